// Commvault / SnapProtect adapter under faults at login and over HTTPS with a self-signed certificate.
import * as assert from 'node:assert/strict';
import { authError, useCommvault } from './commvault-fixtures';

describe('Commvault adapter', () => {
  const { mock, conn, loginAdmin, whoAmI } = useCommvault();

  describe('faults at login', () => {
    const cases = [
      { fault: { kind: 'status500' }, kind: 'server', format: 'json' },
      { fault: { kind: 'status500' }, kind: 'server', format: 'xml' },
      { fault: { kind: 'html' }, kind: 'protocol', format: 'json' },
      { fault: { kind: 'html' }, kind: 'protocol', format: 'xml' },
      { fault: { kind: 'notJson' }, kind: 'protocol', format: 'json' },
      { fault: { kind: 'notJson' }, kind: 'protocol', format: 'xml' },
      { fault: { kind: 'drop' }, kind: 'network', format: 'json' },
    ] as const;
    for (const t of cases) {
      it(`${t.fault.kind} (${t.format}) → ${t.kind}`, async () => {
        mock().setFault('commvault', { fault: t.fault, times: 1 });
        const c = conn({ format: t.format });
        const e = await authError(() => loginAdmin(c));
        assert.equal(e.kind, t.kind, e.message);
        if (t.fault.kind === 'html') assert.match(e.message, /HTML page/);
        if (t.fault.kind === 'notJson') assert.match(e.message, t.format === 'json' ? /not JSON/ : /not XML/);
        if (t.fault.kind === 'status500') assert.equal(e.details.status, 500);
      });
    }

    it('a slow server with a small timeoutMs → timeout', async () => {
      mock().setFault('commvault', { fault: { kind: 'delay', ms: 1500 }, times: 1 });
      const c = conn({ timeoutMs: 300 });
      const e = await authError(() => loginAdmin(c));
      assert.equal(e.kind, 'timeout');
    });

    it('a delay within timeoutMs is fine', async () => {
      mock().setFault('commvault', { fault: { kind: 'delay', ms: 200 }, times: 1 });
      const s = await loginAdmin(conn({ timeoutMs: 3000 }));
      assert.match(s.token, /^QSDK /);
    });

    it('a dropped connection during a request → network', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      mock().setFault('commvault', { fault: { kind: 'drop' }, times: 1 });
      assert.equal((await authError(() => whoAmI(c, s))).kind, 'network');
    });
  });

  describe('HTTPS with a self-signed certificate', () => {
    it('is refused by default (tls)', async () => {
      const c = conn({ baseUrl: mock().baseUrl('commvault', true) });
      const e = await authError(() => loginAdmin(c));
      assert.equal(e.kind, 'tls');
    });
    it('works with tls.rejectUnauthorized false', async () => {
      const c = conn({ baseUrl: mock().baseUrl('commvault', true), tls: { rejectUnauthorized: false } });
      const s = await loginAdmin(c);
      assert.equal((await whoAmI(c, s)).response.status, 200);
    });
  });
});

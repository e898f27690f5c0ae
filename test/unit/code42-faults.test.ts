// Code42 under transport faults and over HTTPS with a self-signed certificate, against the loopback mock.
import * as assert from 'node:assert/strict';
import { code42Adapter as adapter } from '../../src/vendors/code42';
import { ctxFor, rejects, TRANSPORT_FAULTS } from './helpers';
import { clock, U, useCode42 } from './code42-fixtures';

describe('Code42', () => {
  const { mock, conn, login, get } = useCode42();

  describe('faults', () => {
    for (const [fault, kind, msg] of TRANSPORT_FAULTS) {
      for (const auth of ['token', 'basic'] as const) {
        it(`${auth} login with fault ${fault} → ${kind}`, async () => {
          mock().setFault('code42', { fault: { kind: fault } });
          const e = await rejects(login({ auth }), kind);
          assert.match(e.message, msg);
        });
      }
    }

    it('a delay longer than timeoutMs → timeout', async () => {
      mock().setFault('code42', { fault: { kind: 'delay', ms: 400 } });
      const e = await rejects(login({ timeoutMs: 100 }), 'timeout');
      assert.match(e.message, /within 0\.1 s/);
    });

    it('a delay shorter than timeoutMs is waited out', async () => {
      mock().setFault('code42', { fault: { kind: 'delay', ms: 150 } });
      const s = await login({ timeoutMs: 2000 });
      assert.match(s.token, /^eyJ/);
    });
  });

  describe('HTTPS with a self-signed certificate', () => {
    it('is rejected by default → tls', async () => {
      const e = await rejects(login({ baseUrl: mock().baseUrl('code42', true) }), 'tls');
      assert.match(e.message, /certificate/);
    });

    it('works with tls.rejectUnauthorized false', async () => {
      const c = conn({ baseUrl: mock().baseUrl('code42', true), tls: { rejectUnauthorized: false } });
      const s = await adapter.login(c, { secret: U.password }, ctxFor(c, clock));
      assert.equal((await get(c, s, '/api/User/my')).response.status, 200);
    });
  });
});

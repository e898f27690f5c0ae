// datarhei Core adapter, calls: requests with the token, transport faults and HTTPS with a self-signed certificate.
import * as assert from 'node:assert/strict';
import { datarheiAdapter as adapter } from '../../src/vendors/datarhei';
import { ctxFor, rejects, TRANSPORT_FAULTS } from './helpers';
import { A, clock, useAdapterMock } from './datarhei-fixtures';

describe('datarhei Core adapter', () => {
  const { mock, conn, login } = useAdapterMock();

  it('requests: full about with the token, config, skills, ping as text, 404 returned not thrown', async () => {
    const c = conn();
    const s = await login();
    const before = mock().env.stats.get('datarhei.call');
    const about = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api' }, ctxFor(c, clock));
    assert.equal(about.response.status, 200);
    assert.equal((about.response.body as Record<string, unknown>).name, 'nameless-snowflake-2665');
    assert.equal(about.response.contentType, 'application/json');
    assert.ok(about.session.lastUsedAt >= s.lastUsedAt);
    const cfg = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/config' }, ctxFor(c, clock));
    const config = (cfg.response.body as { config: { api: { auth: { username: string; password: string } } } }).config;
    assert.equal(config.api.auth.username, A.username);
    // As on the real Core: the adapter returns the answer as it came (the views and the CLI mask it).
    assert.equal(config.api.auth.password, A.password);
    const skills = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/skills' }, ctxFor(c, clock));
    assert.equal(skills.response.status, 200);
    assert.equal(mock().env.stats.get('datarhei.call'), before + 2);
    const ping = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/ping' }, ctxFor(c, clock));
    assert.equal(ping.response.body, 'pong');
    assert.equal(ping.response.rawBody, 'pong');
    const missing = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/nothing' }, ctxFor(c, clock));
    assert.equal(missing.response.status, 404);
    await rejects(adapter.request(c, s, { kind: 'rpc', method: 'Login' }, ctxFor(c, clock)), 'config');
  });

  describe('faults', () => {
    for (const [fault, kind, msg] of TRANSPORT_FAULTS) {
      it(`login with fault ${fault} → ${kind}`, async () => {
        mock().setFault('datarhei', { fault: { kind: fault } });
        const e = await rejects(login(), kind);
        assert.match(e.message, msg);
      });
    }

    it('refresh with fault status500 → server; a call with status500 is returned, not thrown', async () => {
      const c = conn();
      const s = await login();
      mock().setFault('datarhei', { fault: { kind: 'status500' }, times: 2 });
      await rejects(adapter.refresh!(c, s, ctxFor(c, clock)), 'server');
      const r = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock));
      assert.equal(r.response.status, 500);
      assert.equal(r.response.body, 'Internal Server Error');
    });

    it('a delay longer than timeoutMs → timeout', async () => {
      mock().setFault('datarhei', { fault: { kind: 'delay', ms: 400 } });
      const e = await rejects(login({ timeoutMs: 100 }), 'timeout');
      assert.match(e.message, /within 0\.1 s/);
    });

    it('a server that is not there → network', async () => {
      const e = await rejects(login({ baseUrl: 'http://127.0.0.1:1/datarhei' }), 'network');
      assert.match(e.message, /refused/);
    });
  });

  describe('HTTPS with a self-signed certificate', () => {
    it('is rejected by default → tls', async () => {
      await rejects(login({ baseUrl: mock().baseUrl('datarhei', true) }), 'tls');
    });

    it('works with tls.rejectUnauthorized false', async () => {
      const c = conn({ baseUrl: mock().baseUrl('datarhei', true), tls: { rejectUnauthorized: false } });
      const s = await adapter.login(c, { secret: A.password }, ctxFor(c, clock));
      const r = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock));
      assert.equal(r.response.status, 200);
      const s2 = await adapter.refresh!(c, s, ctxFor(c, clock));
      assert.equal(s2.refreshToken, s.refreshToken);
    });
  });
});

// Commvault / SnapProtect adapter requests against the loopback mock (the protocol: docs/protocols.md §2),
// and the idle window that ends a session.
import * as assert from 'node:assert/strict';
import { commvaultAdapter as cv } from '../../src/vendors/commvault';
import { ctxFor } from './helpers';
import { authError, useCommvault } from './commvault-fixtures';

describe('Commvault adapter', () => {
  const { clock, mock, rec, conn, loginAdmin, whoAmI } = useCommvault();

  describe('requests', () => {
    it('attaches the whole Authtoken header, QSDK prefix included, and returns parsed JSON', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      const before = mock().env.stats.get('commvault.call');
      const r = await whoAmI(c, s);
      assert.equal(rec().lastAuthtoken, s.token);
      assert.match(rec().lastAuthtoken ?? '', /^QSDK /);
      assert.equal(mock().env.stats.get('commvault.call'), before + 1);
      assert.equal(r.response.status, 200);
      assert.equal((r.response.body as { user: Record<string, unknown> }).user.userName, 'admin');

      const clients = await cv.request(c, s, { kind: 'rest', method: 'GET', path: 'Client' }, ctxFor(c, clock));
      const list = (clients.response.body as { clientProperties: unknown[] }).clientProperties;
      assert.ok(Array.isArray(list) && list.length > 0);
      const groups = await cv.request(c, s, { kind: 'rest', method: 'get', path: '/V4/ServerGroup' }, ctxFor(c, clock));
      assert.equal(groups.response.status, 200);
    });

    it('the sample requests all succeed', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      assert.ok(cv.sampleRequests.length >= 3);
      for (const req of cv.sampleRequests) {
        const r = await cv.request(c, s, req, ctxFor(c, clock));
        assert.equal(r.response.status, 200, JSON.stringify(req));
      }
    });

    it('a token without its QSDK prefix is rejected: expired', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      const bare = s.token.slice('QSDK '.length);
      const e = await authError(() => whoAmI(c, { ...s, token: bare, attach: { kind: 'header', name: 'Authtoken', value: bare } }));
      assert.equal(e.kind, 'expired');
      assert.equal(e.details.status, 401);
      assert.equal(e.details.serverMessage, 'Access denied');
    });

    it('other statuses are returned, not thrown', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      const r = await cv.request(c, s, { kind: 'rest', method: 'GET', path: '/NoSuchThing' }, ctxFor(c, clock));
      assert.equal(r.response.status, 404);
      assert.equal(r.session.lastUsedAt, s.lastUsedAt, 'a failed call does not move the idle window');
      mock().setFault('commvault', { fault: { kind: 'status500' }, times: 1 });
      const r2 = await whoAmI(c, s);
      assert.equal(r2.response.status, 500);
      assert.equal(r2.response.body, 'Internal Server Error');
    });

    it('refuses JSON-RPC requests and absolute URLs (the Authtoken stays on this server)', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      assert.equal((await authError(() => cv.request(c, s, { kind: 'rpc', method: 'Login' }, ctxFor(c, clock)))).kind, 'config');
      const e = await authError(() => cv.request(c, s, { kind: 'rest', method: 'GET', path: 'http://127.0.0.1:1/x' }, ctxFor(c, clock)));
      assert.equal(e.kind, 'config');
    });

    it('sends a JSON body as JSON and an XML body as XML, per format', async () => {
      const cx = conn({ format: 'xml' });
      const sx = await loginAdmin(cx);
      const r = await cv.request(cx, sx, { kind: 'rest', method: 'POST', path: '/WhoAmI', body: { App_WhoAmIReq: { level: 1 } } }, ctxFor(cx, clock));
      assert.equal(r.response.status, 200);
      assert.match(r.response.contentType, /xml/);
      assert.equal(rec().lastCall?.body, '<App_WhoAmIReq level="1"/>');
      assert.match(rec().lastCall?.contentType ?? '', /^application\/xml/);
      assert.match(rec().lastCall?.accept ?? '', /^application\/xml/);
      assert.equal(rec().lastCall?.path, '/webconsole/api/WhoAmI');

      const cj = conn();
      const sj = await loginAdmin(cj);
      await cv.request(cj, sj, { kind: 'rest', method: 'POST', path: '/WhoAmI', body: { level: 1 } }, ctxFor(cj, clock));
      assert.equal(rec().lastCall?.body, '{"level":1}');
      assert.match(rec().lastCall?.contentType ?? '', /^application\/json/);

      // A GET has no body and no Content-Type; caller headers may replace Accept but never the Authtoken.
      await cv.request(cj, sj, { kind: 'rest', method: 'GET', path: '/CommServ', headers: { accept: 'application/xml', Authtoken: 'x' } }, ctxFor(cj, clock));
      assert.equal(rec().lastCall?.contentType, '');
      assert.equal(rec().lastCall?.accept, 'application/xml');
      assert.equal(rec().lastAuthtoken, sj.token);
    });
  });

  describe('idle window', () => {
    it('the token dies after the idle window with no calls: expired', async () => {
      const c = conn({ lifetimeSeconds: 2 });
      const s = await loginAdmin(c);
      assert.equal(s.slidingWindowMs, 2000);
      clock.advance(2000);
      assert.ok(s.expiresAt !== null && s.expiresAt <= clock(), 'the client also thinks it expired');
      const e = await authError(() => whoAmI(c, s));
      assert.equal(e.kind, 'expired');
    });

    it('calls less than 2 s apart keep it alive beyond 2 s, and each call moves the expiry', async () => {
      const c = conn({ lifetimeSeconds: 2 });
      let s = await loginAdmin(c);
      // Four calls 1.9 s apart: 7.6 s in all, alive throughout.
      for (let i = 0; i < 4; i++) {
        clock.advance(1900);
        const before = s.expiresAt ?? 0;
        const r = await whoAmI(c, s);
        assert.equal(r.response.status, 200, `call ${i}`);
        assert.ok((r.session.expiresAt ?? 0) > before, 'expiry moved');
        assert.equal(r.session.lastUsedAt, clock());
        assert.equal(r.session.expiresAt, clock() + 2000);
        s = r.session;
      }
      // It was the calls that kept it alive: 2 s without one and it is gone.
      clock.advance(2000);
      assert.equal((await authError(() => whoAmI(c, s))).kind, 'expired');
    });
  });
});

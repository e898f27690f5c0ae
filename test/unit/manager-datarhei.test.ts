// The session manager's renewal policy for datarhei Core: transparent refresh after expiry and after a rejection
// the client did not see coming, single-flight under concurrency, refresh-token fallback.
import * as assert from 'node:assert/strict';
import { describeError } from '../../src/core/errors';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { datarheiReceived } from '../mock-vendors/datarhei';
import { rejects } from './helpers';
import { PROCESS, useRenewal } from './manager-fixtures';

describe('session manager: renewal policy per vendor', () => {
  const { clock, mock, secrets, manager, stat, datarhei } = useRenewal();

  describe('datarhei Core', () => {
    it('refreshes an expired access token transparently (no new login) and the request succeeds', async () => {
      const m = manager();
      const conn = datarhei();
      await m.login(conn);
      const [logins, refreshes] = [stat('datarhei.login'), stat('datarhei.refresh')];
      clock.advance(2100);
      const { response, session } = await m.request(conn, PROCESS);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, []);
      assert.equal(stat('datarhei.refresh'), refreshes + 1);
      assert.equal(stat('datarhei.login'), logins);
      assert.equal(session.history.at(-1)?.event, 'refresh');
      assert.equal(session.history.at(-1)?.replaced, session.history.at(-2)?.token);
    });

    it('20 concurrent requests on an expired session cause exactly one refresh and no login', async () => {
      const m = manager();
      const conn = datarhei();
      await m.login(conn);
      clock.advance(2100);
      const [logins, refreshes, calls] = [stat('datarhei.login'), stat('datarhei.refresh'), stat('datarhei.call')];
      const results = await Promise.all(Array.from({ length: 20 }, () => m.request(conn, PROCESS)));
      assert.ok(results.every((r) => r.response.status === 200));
      assert.equal(stat('datarhei.refresh'), refreshes + 1);
      assert.equal(stat('datarhei.login'), logins);
      assert.equal(stat('datarhei.call'), calls + 20);
    });

    it('a 401 while the client still thinks the access token is valid is answered by a refresh, not a login', async () => {
      const m = manager();
      const conn = datarhei();
      const s = await m.login(conn);
      // The client's idea of the expiry is a minute off (clock skew); the server's 2 s are what count.
      m.set({ ...s, expiresAt: clock() + 60_000 });
      clock.advance(2100);
      assert.equal(m.needsRenewal(conn, m.get(conn.id) ?? s), false, 'the client sees no reason to renew');
      const [logins, refreshes, calls] = [stat('datarhei.login'), stat('datarhei.refresh'), stat('datarhei.call')];
      const { response, session } = await m.request(conn, PROCESS);
      assert.equal(response.status, 200);
      assert.equal(stat('datarhei.refresh'), refreshes + 1);
      assert.equal(stat('datarhei.login'), logins);
      assert.equal(stat('datarhei.call'), calls + 1, 'the retry got through');
      assert.equal(session.history.at(-1)?.event, 'refresh');
      assert.equal(session.history.at(-1)?.replaced, s.token);
      assert.equal(session.refreshToken, s.refreshToken, 'datarhei does not rotate the refresh token');
    });

    it('falls back to a full login when the refresh token has expired', async () => {
      const m = manager();
      const conn = datarhei();
      await m.login(conn);
      clock.advance(4100);
      const [logins, refreshes] = [stat('datarhei.login'), stat('datarhei.refresh')];
      const { response, session } = await m.request(conn, PROCESS);
      assert.equal(response.status, 200);
      assert.equal(stat('datarhei.login'), logins + 1);
      assert.equal(stat('datarhei.refresh'), refreshes);
      // The server saw the first login, then straight away the second and the call: the client knew that the refresh
      // token had expired and sent neither it nor the expired access token.
      assert.deepEqual(
        datarheiReceived(mock().env)
          .slice(-3)
          .map((r) => `${r.method} ${r.path}`),
        ['POST /api/login', 'POST /api/login', 'GET /api/v3/process'],
      );
      assert.equal(session.history.at(-1)?.event, 'relogin');
    });

    it('falls back to a full login when the server rejects the refresh token', async () => {
      const m = manager();
      const conn = datarhei();
      const s = await m.login(conn);
      // A refresh token the server does not accept (wrong kind: the access token), still "valid" locally.
      m.set({ ...s, refreshToken: s.token, refreshExpiresAt: null, expiresAt: clock() - 1 });
      const logins = stat('datarhei.login');
      const { response } = await m.request(conn, PROCESS);
      assert.equal(response.status, 200);
      assert.equal(stat('datarhei.login'), logins + 1);
    });

    it('a wrong stored password during re-login is a clear error, and the connection works once it is fixed', async () => {
      const m = manager();
      const conn = datarhei();
      await m.login(conn);
      secrets.set('dr', 'not-the-password');
      clock.advance(4100);
      const err = await rejects(m.request(conn, PROCESS));
      assert.equal(err.kind, 'credentials');
      const sentence = describeError(err, conn);
      assert.match(sentence, /^Connection "dr": wrong username or password/);
      assert.ok(!sentence.includes('not-the-password'));
      secrets.set('dr', ACCOUNTS.datarhei.password);
      const { response } = await m.request(conn, PROCESS);
      assert.equal(response.status, 200);
    });

    it('a failed renewal leaves a still-valid session in place', async () => {
      const m = manager();
      const conn = datarhei();
      const s = await m.login(conn);
      mock().setFault('datarhei', { fault: { kind: 'drop' } });
      const err = await rejects(m.renew(conn));
      assert.equal(err.kind, 'network');
      assert.equal(m.get(conn.id)?.token, s.token);
    });
  });
});

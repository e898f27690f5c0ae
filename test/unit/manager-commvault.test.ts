// The session manager's renewal policy for Commvault: renewal after the idle window and recovery from a wrong stored password.
import * as assert from 'node:assert/strict';
import { describeError } from '../../src/core/errors';
import { isExpired } from '../../src/core/session';
import type { ExploreRequest } from '../../src/core/types';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { commvaultRecord } from '../mock-vendors/commvault';
import { rejects } from './helpers';
import { useRenewal } from './manager-fixtures';

describe('session manager: renewal policy per vendor', () => {
  const { clock, mock, secrets, manager, stat, commvault } = useRenewal();

  describe('Commvault', () => {
    const CLIENT: ExploreRequest = { kind: 'rest', method: 'GET', path: '/Client' };
    const WHOAMI: ExploreRequest = { kind: 'rest', method: 'POST', path: '/WhoAmI' };

    it('after the idle window, renews or logs in again transparently and the request succeeds', async () => {
      const m = manager();
      const conn = commvault();
      await m.login(conn);
      clock.advance(1100);
      const logins = stat('commvault.login');
      const { response } = await m.request(conn, { kind: 'rest', method: 'POST', path: '/WhoAmI' });
      assert.equal(response.status, 200);
      assert.equal(stat('commvault.login'), logins + 1);
    });

    it('renews with RenewLoginToken (no new login) when the server rejects a still-renewable token', async () => {
      const m = manager();
      const conn = commvault();
      const s = await m.login(conn);
      const renews = stat('commvault.renew');
      const renewed = await m.renew(conn);
      assert.equal(stat('commvault.renew'), renews + 1);
      assert.notEqual(renewed.token, s.token);
      assert.equal(renewed.history.at(-1)?.event, 'renew');
      const { response } = await m.request(conn, { kind: 'rest', method: 'GET', path: '/Client' });
      assert.equal(response.status, 200);
    });

    it('20 concurrent requests on a token the server dropped cause one RenewLoginToken and one login', async () => {
      const m = manager();
      const conn = commvault(); // the client assumes the documented 30 minutes; the server's idle window is 1 s
      await m.login(conn);
      clock.advance(1100);
      const [logins, renews, calls] = [stat('commvault.login'), stat('commvault.renew'), stat('commvault.call')];
      const results = await Promise.all(Array.from({ length: 20 }, () => m.request(conn, CLIENT)));
      assert.ok(results.every((r) => r.response.status === 200));
      assert.equal(stat('commvault.renew'), renews + 1);
      assert.equal(stat('commvault.login'), logins + 1);
      assert.equal(stat('commvault.call'), calls + 40, '20 rejected, 20 retried');
    });

    it('20 concurrent requests on a token the client knows has expired cause one login and no renewal attempt', async () => {
      const m = manager();
      const conn = commvault({ lifetimeSeconds: 1 });
      await m.login(conn);
      clock.advance(1100);
      const [logins, renews, calls] = [stat('commvault.login'), stat('commvault.renew'), stat('commvault.call')];
      const results = await Promise.all(Array.from({ length: 20 }, () => m.request(conn, CLIENT)));
      assert.ok(results.every((r) => r.response.status === 200));
      assert.equal(stat('commvault.login'), logins + 1);
      assert.equal(stat('commvault.renew'), renews, 'RenewLoginToken needs a live token');
      assert.equal(stat('commvault.call'), calls + 20, 'no call went out with the dead token');
    });

    it('a 401 while the client still thinks the token is valid: one RenewLoginToken attempt, refused, then a login', async () => {
      const m = manager();
      const conn = commvault({ lifetimeSeconds: 60 });
      const s = await m.login(conn);
      clock.advance(1100); // past the server's 1 s idle window, well inside the client's 60 s
      assert.ok(!isExpired(m.get(conn.id) ?? s, clock()));
      assert.equal(m.canRefresh(conn), true);
      const [logins, renews, calls] = [stat('commvault.login'), stat('commvault.renew'), stat('commvault.call')];
      const { response, session } = await m.request(conn, WHOAMI);
      assert.equal(response.status, 200);
      // The mock forgets an idle token for good, so RenewLoginToken with it is refused (401) like the call was.
      assert.equal(stat('commvault.renew'), renews + 1);
      assert.equal(commvaultRecord(mock().env).lastRenewBody?.sessionId, s.token, 'the renewal was tried with the rejected token');
      assert.equal(stat('commvault.login'), logins + 1);
      assert.equal(stat('commvault.call'), calls + 2, 'the rejected call and its retry');
      assert.equal(commvaultRecord(mock().env).lastAuthtoken, session.token, 'the retry carried the new token');
      assert.notEqual(session.token, s.token);
      assert.equal(session.history.at(-1)?.event, 'relogin');
    });

    it('a wrong stored password during re-login is a clear error, and the connection works once it is fixed', async () => {
      const m = manager();
      const conn = commvault();
      await m.login(conn);
      secrets.set('cv', 'not-the-password');
      clock.advance(1100);
      const [logins, renews] = [stat('commvault.login'), stat('commvault.renew')];
      const err = await rejects(m.request(conn, CLIENT), 'credentials');
      assert.equal(stat('commvault.renew'), renews + 1);
      assert.equal(stat('commvault.login'), logins + 1, 'one login attempt with the wrong password, not a retry loop');
      const sentence = describeError(err, conn);
      assert.match(sentence, /^Connection "cv": wrong username or password \(server said: "Username or password is incorrect"\)/);
      assert.ok(!sentence.includes('not-the-password'));
      assert.ok(!sentence.includes(Buffer.from('not-the-password').toString('base64')));
      secrets.set('cv', ACCOUNTS.commvault.password);
      const { response } = await m.request(conn, CLIENT);
      assert.equal(response.status, 200);
      assert.equal(stat('commvault.login'), logins + 2);
    });

    it('a renewal that fails on the network keeps the still-valid token, which goes on working', async () => {
      const m = manager();
      const conn = commvault();
      const s = await m.login(conn);
      const [logins, renews] = [stat('commvault.login'), stat('commvault.renew')];
      mock().setFault('commvault', { fault: { kind: 'drop' }, times: 1 });
      const err = await rejects(m.renew(conn), 'network');
      assert.match(err.message, /dropped|reset|closed|socket/i);
      assert.equal(m.get(conn.id)?.token, s.token);
      assert.equal(stat('commvault.login'), logins, 'a network failure is not a reason to log in again');
      assert.equal(stat('commvault.renew'), renews, 'the renewal never reached the server');
      const { response, session } = await m.request(conn, CLIENT);
      assert.equal(response.status, 200);
      assert.equal(commvaultRecord(mock().env).lastAuthtoken, s.token);
      assert.equal(session.token, s.token);
    });
  });
});

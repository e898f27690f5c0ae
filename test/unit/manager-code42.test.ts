// The session manager's renewal policy for Code42 and IPCortex: TOTP renewals, non-interactive renewals and a failed
// renewal keeping a still-valid session.
import * as assert from 'node:assert/strict';
import { describeError } from '../../src/core/errors';
import { isExpired } from '../../src/core/session';
import type { ExploreRequest } from '../../src/core/types';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { setCode42Options, totpOf } from '../mock-vendors/code42';
import { rejects } from './helpers';
import { useRenewal } from './manager-fixtures';

describe('session manager: renewal policy per vendor', () => {
  const { clock, mock, secrets, manager, stat, code42, ipcortex } = useRenewal();

  describe('Code42', () => {
    const USER_MY: ExploreRequest = { kind: 'rest', method: 'GET', path: '/api/User/my' };
    afterEach(() => setCode42Options(mock().env, { tokenExp: true }));

    /** The two-factor account, and a manager whose code prompt answers the current code and counts the questions. */
    const twoFactor = () => {
      const totp = totpOf(ACCOUNTS.code42.mfa.totpSecret);
      const asked = { count: 0 };
      const m = manager(async () => {
        asked.count++;
        return totp.generate({ timestamp: clock() });
      });
      return { totp, asked, m, conn: code42(ACCOUNTS.code42.mfa.username) };
    };

    it('logs in again after the v3 token expired and the request succeeds', async () => {
      const m = manager();
      const conn = code42();
      await m.login(conn);
      clock.advance(2100);
      const logins = stat('code42.login');
      const { response } = await m.request(conn, { kind: 'rest', method: 'GET', path: '/api/User/my' });
      assert.equal(response.status, 200);
      assert.equal(stat('code42.login'), logins + 1);
    });

    it('asks for the two-factor code when the server requires it, at login and at re-login', async () => {
      const { asked, m, conn } = twoFactor();
      await m.login(conn);
      assert.equal(asked.count, 1);
      clock.advance(2100);
      const { response } = await m.request(conn, { kind: 'rest', method: 'GET', path: '/api/User/my' });
      assert.equal(response.status, 200);
      assert.equal(asked.count, 2);
    });

    it('reports a two-factor demand as its own kind when nobody can answer it', async () => {
      const err = await rejects(manager().login(code42(ACCOUNTS.code42.mfa.username)));
      assert.equal(err.kind, 'twoFactorRequired');
    });

    it('20 concurrent requests on an expired token cause exactly one login', async () => {
      const m = manager();
      const conn = code42();
      await m.login(conn);
      clock.advance(2100);
      const [logins, calls] = [stat('code42.login'), stat('code42.call')];
      const results = await Promise.all(Array.from({ length: 20 }, () => m.request(conn, USER_MY)));
      assert.ok(results.every((r) => r.response.status === 200));
      assert.equal(stat('code42.login'), logins + 1);
      assert.equal(stat('code42.call'), calls + 20);
      assert.equal(m.canRefresh(conn), false, 'Code42 has no refresh: renewal is a login');
      assert.equal(m.get(conn.id)?.history.filter((h) => h.event === 'relogin').length, 1);
    });

    it('logs in again on a 401 while the client still thinks the token is valid', async () => {
      const m = manager();
      const conn = code42();
      // Tokens without `exp`: the client assumes 30 minutes, the server keeps its own 2 s.
      setCode42Options(mock().env, { tokenExp: false });
      const s = await m.login(conn);
      assert.equal(s.expiresBecause, 'fixed-lifetime');
      clock.advance(2100);
      assert.ok(!isExpired(m.get(conn.id) ?? s, clock()));
      const [logins, calls] = [stat('code42.login'), stat('code42.call')];
      const { response, session } = await m.request(conn, USER_MY);
      assert.equal(response.status, 200);
      assert.equal(stat('code42.login'), logins + 1);
      assert.equal(stat('code42.call'), calls + 1);
      assert.notEqual(session.token, s.token);
      assert.equal(session.history.at(-1)?.event, 'relogin');
      assert.equal(session.history.at(-1)?.replaced, s.token);
    });

    it('a wrong stored password during re-login is a clear error, and the connection works once it is fixed', async () => {
      const m = manager();
      const conn = code42();
      await m.login(conn);
      secrets.set(conn.id, 'not-the-password');
      clock.advance(2100);
      const [logins, calls] = [stat('code42.login'), stat('code42.call')];
      const err = await rejects(m.request(conn, USER_MY), 'credentials');
      assert.equal(stat('code42.call'), calls, 'no call went out with the expired token');
      const sentence = describeError(err, conn);
      assert.match(sentence, new RegExp(`^Connection "${conn.id}": wrong username or password`));
      assert.ok(!sentence.includes('not-the-password'));
      secrets.set(conn.id, ACCOUNTS.code42.password);
      const { response } = await m.request(conn, USER_MY);
      assert.equal(response.status, 200);
      assert.equal(stat('code42.login'), logins + 1);
    });

    it('a non-interactive renewal of a two-factor account fails with twoFactorRequired and never asks for a code', async () => {
      const { totp, asked, m, conn } = twoFactor();
      // Logged in with a code given up front, so the prompt has not been used at all.
      const s = await m.login(conn, { secret: ACCOUNTS.code42.mfa.password, totp: totp.generate({ timestamp: clock() }) });
      const logins = stat('code42.login');
      const err = await rejects(m.renew(conn, { interactive: false }), 'twoFactorRequired');
      assert.equal(asked.count, 0, 'askTotp was never called');
      assert.equal(stat('code42.login'), logins);
      assert.equal(m.get(conn.id)?.token, s.token, 'the still-valid session stays');
      assert.equal(m.isRenewing(conn.id), false);
      assert.match(describeError(err, conn), /enter the current code/);
      // The same renewal, interactive, asks once and succeeds.
      const renewed = await m.renew(conn);
      assert.equal(asked.count, 1);
      assert.equal(stat('code42.login'), logins + 1);
      assert.notEqual(renewed.token, s.token);
    });

    it('announces each new session with the connection settings it was made with', async () => {
      const m = manager();
      const conn = code42();
      const seen: (string | undefined)[] = [];
      m.onDidChange((_id, session, madeFor) => session && seen.push(madeFor?.baseUrl));
      await m.login(conn);
      await m.request(conn, { kind: 'rest', method: 'GET', path: '/api/User/my' });
      assert.ok(seen.length >= 2, `${seen.length} announcements`);
      assert.ok(
        seen.every((u) => u === conn.baseUrl),
        JSON.stringify(seen),
      );
    });

    it('a request that joins a background (non-interactive) renewal still gets its two-factor prompt', async () => {
      const { totp, asked, m, conn } = twoFactor();
      const s = await m.login(conn, { secret: ACCOUNTS.code42.mfa.password, totp: totp.generate({ timestamp: clock() }) });
      const background = m.renew(conn, { interactive: false }); // keep-alive's renewal, in flight
      const foreground = m.renew(conn); // the user's, joining it
      await rejects(background, 'twoFactorRequired');
      const renewed = await foreground;
      assert.equal(asked.count, 1, 'the interactive caller was asked once');
      assert.notEqual(renewed.token, s.token);
      assert.equal(m.get(conn.id)?.token, renewed.token);
    });
  });

  describe('IPCortex', () => {
    const LIST: ExploreRequest = { kind: 'rest', method: 'POST', path: '/rest/user/list', body: {} };

    it('logs in again when the server rejects an idle session, and the request succeeds', async () => {
      const m = manager();
      const conn = ipcortex();
      await m.login(conn);
      clock.advance(1100);
      const logins = stat('ipcortex.login');
      const { response } = await m.request(conn, LIST);
      assert.equal(response.status, 200);
      assert.equal(stat('ipcortex.login'), logins + 1);
    });

    it('20 concurrent requests on a rejected session cause exactly one login', async () => {
      const m = manager();
      const conn = ipcortex();
      await m.login(conn);
      clock.advance(1100);
      const [logins, calls] = [stat('ipcortex.login'), stat('ipcortex.call')];
      const results = await Promise.all(Array.from({ length: 20 }, () => m.request(conn, LIST)));
      assert.ok(results.every((r) => r.response.status === 200));
      assert.equal(stat('ipcortex.login'), logins + 1);
      assert.equal(stat('ipcortex.call'), calls + 40, '20 rejected, 20 retried');
      assert.equal(m.canRefresh(conn), false, 'IPCortex has no refresh: renewal is a login');
    });

    it('a wrong stored password during re-login is a clear error, and the connection works once it is fixed', async () => {
      const m = manager();
      const conn = ipcortex();
      await m.login(conn);
      secrets.set('ipc', 'not-the-password');
      clock.advance(1100);
      const logins = stat('ipcortex.login');
      const err = await rejects(m.request(conn, LIST), 'credentials');
      assert.equal(stat('ipcortex.login'), logins + 1, 'one login attempt with the wrong password, not a retry loop');
      const sentence = describeError(err, conn);
      assert.match(sentence, /^Connection "ipc": wrong username or password/);
      assert.ok(!sentence.includes('not-the-password'));
      secrets.set('ipc', ACCOUNTS.ipcortex.password);
      const { response } = await m.request(conn, LIST);
      assert.equal(response.status, 200);
      assert.equal(stat('ipcortex.login'), logins + 2);
    });
  });
});

// The renewal policy of the session manager, per vendor, against the loopback vendor servers with lifetimes of
// a second or two, on a test clock shared by the servers and the manager (moving it past a lifetime is how a
// token expires here; nothing waits in real time): transparent renewal after expiry and after a rejection the client did not see coming,
// single-flight under concurrency, the Cove visa chain, refresh-token fallback, recovery from a wrong stored
// password, a failed renewal keeping a still-valid session, and non-interactive renewals.
import * as assert from 'node:assert/strict';
import axios from 'axios';
import { describeError } from '../../src/core/errors';
import { ADAPTERS } from '../../src/vendors';
import { SessionManager } from '../../src/engine/manager';
import { isExpired } from '../../src/core/session';
import type { ConnectionConfig, ExploreRequest } from '../../src/core/types';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { setCode42Options, totpOf } from '../mock-vendors/code42';
import { commvaultRecord } from '../mock-vendors/commvault';
import { datarheiReceived } from '../mock-vendors/datarhei';
import type { CoveReceived } from '../mock-vendors/cove';
import { RENEWAL_LIFETIMES as LIFETIMES, rejects, testClock, useMockVendors } from './helpers';

describe('session manager: renewal policy per vendor', () => {
  const clock = testClock();
  const mock = useMockVendors({ lifetimes: LIFETIMES, clock });
  const secrets = new Map<string, string>();
  const manager = (askTotp?: (c: ConnectionConfig, attempt: number) => Promise<string | undefined>) =>
    new SessionManager({ adapters: ADAPTERS, clock, getSecret: async (c) => secrets.get(c.id), ...(askTotp ? { askTotp } : {}) });
  const stat = (name: string) => mock().env.stats.get(name);

  const datarhei = (): ConnectionConfig => ({
    id: 'dr',
    vendor: 'datarhei',
    baseUrl: mock().baseUrl('datarhei'),
    username: ACCOUNTS.datarhei.username,
    refreshLeadSeconds: 0,
  });
  const cove = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    id: 'cove',
    vendor: 'cove',
    baseUrl: mock().baseUrl('cove'),
    partner: ACCOUNTS.cove.partner,
    username: ACCOUNTS.cove.username,
    ...over,
  });
  const commvault = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    id: 'cv',
    vendor: 'commvault',
    baseUrl: mock().baseUrl('commvault'),
    username: ACCOUNTS.commvault.username,
    ...over,
  });
  const code42 = (username: string = ACCOUNTS.code42.username): ConnectionConfig => ({
    id: `c42-${username}`,
    vendor: 'code42',
    baseUrl: mock().baseUrl('code42'),
    username,
  });
  const ipcortex = (): ConnectionConfig => ({ id: 'ipc', vendor: 'ipcortex', baseUrl: mock().baseUrl('ipcortex'), username: ACCOUNTS.ipcortex.username });

  beforeEach(() => {
    secrets.clear();
    secrets.set('dr', ACCOUNTS.datarhei.password);
    secrets.set('cove', ACCOUNTS.cove.password);
    secrets.set('cv', ACCOUNTS.commvault.password);
    secrets.set(`c42-${ACCOUNTS.code42.username}`, ACCOUNTS.code42.password);
    secrets.set(`c42-${ACCOUNTS.code42.mfa.username}`, ACCOUNTS.code42.mfa.password);
    secrets.set('ipc', ACCOUNTS.ipcortex.password);
  });

  const PROCESS: ExploreRequest = { kind: 'rest', method: 'GET', path: '/api/v3/process' };
  const PARTNERS: ExploreRequest = { kind: 'rpc', method: 'EnumeratePartners', params: { parentPartnerId: 0 } };

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

  describe('N-able Cove', () => {
    const received = async (): Promise<CoveReceived[]> => (await axios.get<CoveReceived[]>(`${mock().url}/cove/__mock/received`)).data;

    it('logs in again when the server says the visa lapsed, and the call succeeds', async () => {
      const m = manager();
      const conn = cove();
      await m.login(conn);
      clock.advance(1100);
      const logins = stat('cove.Login');
      const { response, session } = await m.request(conn, PARTNERS);
      assert.equal(response.status, 200);
      assert.equal(stat('cove.Login'), logins + 1);
      assert.deepEqual(
        session.history.slice(-2).map((h) => [h.event, h.method]),
        [
          ['relogin', 'Login'],
          ['call', 'EnumeratePartners'],
        ],
      );
    });

    it('logs in again without a failed call when the client knows the visa window has passed', async () => {
      const m = manager();
      const conn = cove({ lifetimeSeconds: 1 });
      await m.login(conn);
      clock.advance(1100);
      const [logins, calls] = [stat('cove.Login'), stat('cove.call')];
      await m.request(conn, PARTNERS);
      assert.equal(stat('cove.Login'), logins + 1);
      assert.equal(stat('cove.call'), calls + 1);
    });

    it('grows the visa chain by one entry per call and always sends the newest visa', async () => {
      const m = manager();
      const conn = cove();
      let s = await m.login(conn);
      for (let i = 0; i < 4; i++) {
        const before = s;
        const { session } = await m.request(conn, PARTNERS);
        const sent = (await received()).at(-1);
        assert.equal(sent?.visa, before.token, 'the newest visa is the one sent');
        assert.equal(session.history.length, before.history.length + 1);
        assert.equal(session.history.at(-1)?.replaced, before.token);
        assert.notEqual(session.token, before.token);
        s = session;
      }
      assert.equal(m.get(conn.id)?.token, s.token);
    });

    it('20 concurrent calls after the visa lapsed cause exactly one Login, and the chain keeps every call', async () => {
      const m = manager();
      const conn = cove();
      const s = await m.login(conn);
      clock.advance(1100);
      const [logins, calls] = [stat('cove.Login'), stat('cove.call')];
      const results = await Promise.all(Array.from({ length: 20 }, () => m.request(conn, PARTNERS)));
      assert.ok(results.every((r) => r.response.status === 200));
      assert.equal(stat('cove.Login'), logins + 1);
      // Cove has no refresh: the lapsed visa is rejected once per call, then each call is retried once.
      assert.equal(stat('cove.call'), calls + 40);
      const history = m.get(conn.id)?.history ?? [];
      assert.equal(history.length, s.history.length + 1 + 20);
      assert.equal(history.filter((h) => h.event === 'relogin').length, 1);
      assert.equal(history.filter((h) => h.event === 'call').length, 20);
    });

    it('a wrong stored password during re-login is a clear error, and the connection works once it is fixed', async () => {
      const m = manager();
      const conn = cove();
      await m.login(conn);
      secrets.set('cove', 'not-the-password');
      clock.advance(1100);
      const logins = stat('cove.Login');
      const err = await rejects(m.request(conn, PARTNERS), 'credentials');
      assert.equal(stat('cove.Login'), logins + 1, 'one login attempt with the wrong password, not a retry loop');
      const sentence = describeError(err, conn);
      assert.match(sentence, /^Connection "cove": wrong partner, username or password/);
      assert.ok(!sentence.includes('not-the-password'));
      secrets.set('cove', ACCOUNTS.cove.password);
      const { response, session } = await m.request(conn, PARTNERS);
      assert.equal(response.status, 200);
      assert.equal(stat('cove.Login'), logins + 2);
      assert.equal(session.history.at(-2)?.event, 'relogin');
    });
  });

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

  describe('Code42', () => {
    const USER_MY: ExploreRequest = { kind: 'rest', method: 'GET', path: '/api/User/my' };
    afterEach(() => setCode42Options(mock().env, { tokenExp: true }));

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
      const totp = totpOf(ACCOUNTS.code42.mfa.totpSecret);
      let asked = 0;
      const m = manager(async () => {
        asked++;
        return totp.generate({ timestamp: clock() });
      });
      const conn = code42(ACCOUNTS.code42.mfa.username);
      await m.login(conn);
      assert.equal(asked, 1);
      clock.advance(2100);
      const { response } = await m.request(conn, { kind: 'rest', method: 'GET', path: '/api/User/my' });
      assert.equal(response.status, 200);
      assert.equal(asked, 2);
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
      const totp = totpOf(ACCOUNTS.code42.mfa.totpSecret);
      let asked = 0;
      const m = manager(async () => {
        asked++;
        return totp.generate({ timestamp: clock() });
      });
      const conn = code42(ACCOUNTS.code42.mfa.username);
      // Logged in with a code given up front, so the prompt has not been used at all.
      const s = await m.login(conn, { secret: ACCOUNTS.code42.mfa.password, totp: totp.generate({ timestamp: clock() }) });
      const logins = stat('code42.login');
      const err = await rejects(m.renew(conn, { interactive: false }), 'twoFactorRequired');
      assert.equal(asked, 0, 'askTotp was never called');
      assert.equal(stat('code42.login'), logins);
      assert.equal(m.get(conn.id)?.token, s.token, 'the still-valid session stays');
      assert.equal(m.isRenewing(conn.id), false);
      assert.match(describeError(err, conn), /enter the current code/);
      // The same renewal, interactive, asks once and succeeds.
      const renewed = await m.renew(conn);
      assert.equal(asked, 1);
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
      const totp = totpOf(ACCOUNTS.code42.mfa.totpSecret);
      let asked = 0;
      const m = manager(async () => {
        asked++;
        return totp.generate({ timestamp: clock() });
      });
      const conn = code42(ACCOUNTS.code42.mfa.username);
      const s = await m.login(conn, { secret: ACCOUNTS.code42.mfa.password, totp: totp.generate({ timestamp: clock() }) });
      const background = m.renew(conn, { interactive: false }); // keep-alive's renewal, in flight
      const foreground = m.renew(conn); // the user's, joining it
      await rejects(background, 'twoFactorRequired');
      const renewed = await foreground;
      assert.equal(asked, 1, 'the interactive caller was asked once');
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

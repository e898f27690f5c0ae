// The session manager's limits, against the loopback vendor servers: how many renewals a request may cost when
// the server rejects every token (the last rejection is final: no renewal after it), and the refresh lead, which
// is capped at half the token's lifetime so that a short-lived token is not refreshed on every request.
import * as assert from 'node:assert/strict';
import axios from 'axios';
import { describeError } from '../../src/core/errors';
import { DEFAULT_REFRESH_LEAD_SECONDS, SessionManager, refreshLeadMs } from '../../src/engine/manager';
import { ADAPTERS } from '../../src/vendors';
import { createSession } from '../../src/core/session';
import type { ConnectionConfig, ExploreRequest, Session } from '../../src/core/types';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { setCode42Options, totpOf } from '../mock-vendors/code42';
import { commvaultRecord } from '../mock-vendors/commvault';
import type { CoveReceived } from '../mock-vendors/cove';
import type { Lifetimes } from '../mock-vendors/types';
import { RENEWAL_LIFETIMES as LIFETIMES, rejects, testClock, useMockVendors } from './helpers';

const WHOAMI: ExploreRequest = { kind: 'rest', method: 'POST', path: '/WhoAmI' };
const PARTNERS: ExploreRequest = { kind: 'rpc', method: 'EnumeratePartners', params: { parentPartnerId: 0 } };
const USER_MY: ExploreRequest = { kind: 'rest', method: 'GET', path: '/api/User/my' };
const PROCESS: ExploreRequest = { kind: 'rest', method: 'GET', path: '/api/v3/process' };

describe('session manager: retry limit and refresh lead', () => {
  // The servers and the managers share a clock that only moves when a test moves it.
  const clock = testClock();
  const mock = useMockVendors({ lifetimes: LIFETIMES, clock });
  const stat = (name: string) => mock().env.stats.get(name);
  const secrets = new Map<string, string>([
    ['cv', ACCOUNTS.commvault.password],
    ['cove', ACCOUNTS.cove.password],
    ['c42', ACCOUNTS.code42.mfa.password],
    ['dr', ACCOUNTS.datarhei.password],
  ]);
  const manager = (askTotp?: (c: ConnectionConfig, attempt: number) => Promise<string | undefined>) =>
    new SessionManager({ adapters: ADAPTERS, clock, getSecret: async (c) => secrets.get(c.id), ...(askTotp ? { askTotp } : {}) });

  const commvault = (): ConnectionConfig => ({ id: 'cv', vendor: 'commvault', baseUrl: mock().baseUrl('commvault'), username: ACCOUNTS.commvault.username });
  const cove = (): ConnectionConfig => ({
    id: 'cove',
    vendor: 'cove',
    baseUrl: mock().baseUrl('cove'),
    partner: ACCOUNTS.cove.partner,
    username: ACCOUNTS.cove.username,
  });
  const code42Mfa = (): ConnectionConfig => ({ id: 'c42', vendor: 'code42', baseUrl: mock().baseUrl('code42'), username: ACCOUNTS.code42.mfa.username });
  const datarhei = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    id: 'dr',
    vendor: 'datarhei',
    baseUrl: mock().baseUrl('datarhei'),
    username: ACCOUNTS.datarhei.username,
    ...over,
  });

  // A server that rejects every token, even one it has just issued: its lifetime (or idle window) set to zero.
  // Login itself keeps working. Restored after every test.
  let saved: Lifetimes | undefined;
  const rejectEveryToken = (patch: Partial<Lifetimes>): void => {
    saved ??= { ...mock().env.lifetimes };
    Object.assign(mock().env.lifetimes, patch);
  };
  afterEach(() => {
    if (saved) Object.assign(mock().env.lifetimes, saved);
    saved = undefined;
    setCode42Options(mock().env, { tokenExp: true });
  });

  describe('a server that rejects every token: the last rejection is final, without one more login', () => {
    it('Commvault: one RenewLoginToken, two logins, three calls, then "rejected the new token too"', async () => {
      const m = manager();
      const conn = commvault();
      await m.login(conn);
      rejectEveryToken({ commvaultIdleSec: 0 });
      const [logins, renews, calls] = [stat('commvault.login'), stat('commvault.renew'), stat('commvault.call')];
      const err = await rejects(m.request(conn, WHOAMI), 'expired');
      assert.match(err.message, /^the server rejected the new token too, right after a fresh login$/);
      assert.equal(err.details.status, 401);
      assert.equal(stat('commvault.renew'), renews + 1, 'the first rejection tries RenewLoginToken');
      assert.equal(stat('commvault.login'), logins + 2, 'renew refused → login; second rejection → login; third → stop');
      assert.equal(stat('commvault.call'), calls + 3);
      // The last call went out with the token of the last login, and nothing followed it.
      assert.equal(commvaultRecord(mock().env).lastAuthtoken, m.get(conn.id)?.token);
      assert.match(
        describeError(err, conn),
        /^Connection "cv": the server rejected the new token too, right after a fresh login \(server said: "Access denied"\); check that this account may use this API/,
      );
      assert.doesNotMatch(describeError(err, conn), /log in again/, 'not the advice that just failed');
    });

    it('Cove: Login and call alternate (call, Login, call, Login, call) and no Login follows the last call', async () => {
      const m = manager();
      const conn = cove();
      await m.login(conn);
      rejectEveryToken({ coveVisaSec: 0 });
      const [logins, calls] = [stat('cove.Login'), stat('cove.call')];
      const before = (await axios.get<CoveReceived[]>(`${mock().url}/cove/__mock/received`)).data.length;
      const err = await rejects(m.request(conn, PARTNERS), 'expired');
      assert.match(err.message, /rejected the new token too/);
      assert.equal(stat('cove.Login'), logins + 2);
      assert.equal(stat('cove.call'), calls + 3);
      const sent = (await axios.get<CoveReceived[]>(`${mock().url}/cove/__mock/received`)).data.slice(before);
      assert.deepEqual(
        sent.map((r) => r.method),
        ['EnumeratePartners', 'Login', 'EnumeratePartners', 'Login', 'EnumeratePartners'],
      );
      assert.equal(new Set(sent.filter((r) => r.method !== 'Login').map((r) => r.visa)).size, 3, 'each retry carries a new visa');
    });

    it('Code42 two-factor: two re-logins and two code prompts, not three', async () => {
      const totp = totpOf(ACCOUNTS.code42.mfa.totpSecret);
      let asked = 0;
      const m = manager(async () => {
        asked++;
        return totp.generate({ timestamp: clock() });
      });
      const conn = code42Mfa();
      // Tokens without `exp`: the client assumes 30 minutes while the server's token lifetime becomes zero.
      setCode42Options(mock().env, { tokenExp: false });
      const s = await m.login(conn);
      assert.equal(s.expiresBecause, 'fixed-lifetime');
      assert.equal(asked, 1);
      rejectEveryToken({ code42TokenSec: 0 });
      const [logins, calls] = [stat('code42.login'), stat('code42.call')];
      const err = await rejects(m.request(conn, USER_MY), 'expired');
      assert.match(err.message, /rejected the new token too/);
      assert.equal(err.details.status, 401);
      assert.equal(stat('code42.login'), logins + 2);
      assert.equal(asked, 3, 'one prompt per re-login, none after the last rejection');
      assert.equal(stat('code42.call'), calls, 'no call got through');
    });

    it('datarhei: access tokens dead on arrival: one refresh, one re-login, then the final error', async () => {
      const m = manager();
      const conn = datarhei({ refreshLeadSeconds: 0 });
      rejectEveryToken({ datarheiAccessSec: 0 });
      const [logins, refreshes, calls] = [stat('datarhei.login'), stat('datarhei.refresh'), stat('datarhei.call')];
      const err = await rejects(m.request(conn, PROCESS), 'expired');
      assert.match(err.message, /rejected the new token too/);
      // The first login (no session yet), the refresh after the first rejection, the login after the second.
      assert.equal(stat('datarhei.login'), logins + 2);
      assert.equal(stat('datarhei.refresh'), refreshes + 1);
      assert.equal(stat('datarhei.call'), calls);
    });
  });

  describe('the refresh lead is capped at half the token lifetime', () => {
    it('datarhei, 2 s access token, default 30 s lead: a request soon after login uses the token as is', async () => {
      const m = manager();
      const conn = datarhei(); // refreshLeadSeconds unset: 30 s, capped at 1 s
      clock.toNextSecond(); // JWT times are whole seconds: a token issued now has its whole 2 s
      const s = await m.login(conn);
      assert.equal(s.expiresAt, clock() + 2000);
      clock.advance(900); // 1.1 s left: outside the capped 1 s lead (an uncapped 30 s lead would refresh here)
      const [logins, refreshes, calls] = [stat('datarhei.login'), stat('datarhei.refresh'), stat('datarhei.call')];
      const { response, session } = await m.request(conn, PROCESS);
      assert.equal(response.status, 200);
      assert.equal(stat('datarhei.refresh'), refreshes, 'outside the lead: no refresh');
      assert.equal(stat('datarhei.login'), logins);
      assert.equal(stat('datarhei.call'), calls + 1);
      assert.equal(session.token, s.token);
    });

    it('datarhei, 2 s access token, default 30 s lead: a request inside the last second refreshes first (one refresh, no login)', async () => {
      const m = manager();
      const conn = datarhei();
      clock.toNextSecond();
      const s = await m.login(conn);
      assert.ok(s.expiresAt !== null);
      clock.advance(s.expiresAt - clock() - 600); // 600 ms left: inside the 1 s lead, still valid on the server
      const [logins, refreshes, calls] = [stat('datarhei.login'), stat('datarhei.refresh'), stat('datarhei.call')];
      const { response, session } = await m.request(conn, PROCESS);
      assert.equal(response.status, 200);
      assert.equal(stat('datarhei.refresh'), refreshes + 1);
      assert.equal(stat('datarhei.login'), logins);
      assert.equal(stat('datarhei.call'), calls + 1);
      assert.notEqual(session.token, s.token);
      assert.equal(session.history.at(-1)?.event, 'refresh');
      assert.equal(session.history.at(-1)?.replaced, s.token);
    });

    describe('needsRenewal on made-up sessions (no server)', () => {
      const T0 = 1_700_000_000_000;
      const conn = (lead?: number): ConnectionConfig => ({
        id: 'dr',
        vendor: 'datarhei',
        baseUrl: 'http://127.0.0.1:1',
        ...(lead === undefined ? {} : { refreshLeadSeconds: lead }),
      });
      const session = (lifetimeMs: number, over: Partial<Session> = {}): Session => ({
        ...createSession({
          connectionId: 'dr',
          vendor: 'datarhei',
          authKind: 'password',
          token: 'access',
          attach: { kind: 'header', name: 'Authorization', value: 'Bearer access' },
          now: T0,
          method: 'POST /api/login',
          fixedLifetimeMs: lifetimeMs,
          refreshToken: 'refresh',
        }),
        ...over,
      });
      const m = new SessionManager({ adapters: ADAPTERS, getSecret: async () => undefined });

      it('a 10-minute token: renewed from 30 s before expiry, not earlier', () => {
        const s = session(600_000);
        const exp = T0 + 600_000;
        assert.equal(m.needsRenewal(conn(), s, exp - 30_001), false);
        assert.equal(m.needsRenewal(conn(), s, exp - 30_000), true);
        assert.equal(refreshLeadMs(conn(), s), DEFAULT_REFRESH_LEAD_SECONDS * 1000);
      });

      it('a 20 s token: the lead is 10 s, so it is not renewed on every request', () => {
        const s = session(20_000);
        assert.equal(refreshLeadMs(conn(), s), 10_000);
        assert.equal(m.needsRenewal(conn(), s, T0 + 1_000), false, 'just issued');
        assert.equal(m.needsRenewal(conn(), s, T0 + 9_999), false);
        assert.equal(m.needsRenewal(conn(), s, T0 + 10_000), true);
        assert.equal(m.needsRenewal(conn(60), s, T0 + 9_999), false, 'a configured lead is capped too');
      });

      it('a token with a fixed end keeps its lead however recently it was used', () => {
        const exp = T0 + 600_000;
        const s = session(600_000, { lastUsedAt: exp - 21_000 });
        assert.equal(m.needsRenewal(conn(), s, exp - 20_000), true);
      });

      it('a sliding window counts from the last use', () => {
        const s = session(20_000, { expiresBecause: 'sliding-idle', slidingWindowMs: 20_000, lastUsedAt: T0 + 5_000, expiresAt: T0 + 25_000 });
        assert.equal(refreshLeadMs(conn(), s), 10_000);
        assert.equal(m.needsRenewal(conn(), s, T0 + 14_999), false);
        assert.equal(m.needsRenewal(conn(), s, T0 + 15_000), true);
      });

      it('lead 0: only an expired token; no refresh token: only an expired one', () => {
        const s = session(20_000);
        assert.equal(m.needsRenewal(conn(0), s, T0 + 19_999), false);
        assert.equal(m.needsRenewal(conn(0), s, T0 + 20_000), true);
        const plain = session(20_000, { refreshToken: null });
        assert.equal(m.needsRenewal(conn(), plain, T0 + 19_999), false);
        assert.equal(m.needsRenewal(conn(), plain, T0 + 20_000), true);
      });
    });
  });
});

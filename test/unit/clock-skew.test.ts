// Clock skew: the server's `Date` measured at login and renewal; server-issued times (JWT exp / iat) read on this
// computer's clock; one warning per connection. Against the loopback vendor servers, whose clock is the test clock
// put 7 min behind (or 30 s, or ahead).
import * as assert from 'node:assert/strict';
import { describeClaims, expiryOf } from '../../src/core/jwt';
import { isExpired, timeLeftMs } from '../../src/core/session';
import { formatRemaining } from '../../src/core/time';
import type { ConnectionConfig, Session } from '../../src/core/types';
import { SessionManager } from '../../src/engine/manager';
import { buildTokenView } from '../../src/engine/view';
import { ADAPTERS } from '../../src/vendors';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { setCode42Options } from '../mock-vendors/code42';
import type { MockVendors } from '../mock-vendors/server';
import { testClock, useMockVendors } from './helpers';

const MIN = 60_000;
const BEHIND = -7 * MIN;

/** The mock vendors on a test clock with their own clock `offsetMs` from it, and a manager that records warnings. */
function useSkewedServers(offsetMs: number) {
  const clock = testClock();
  const mock = useMockVendors({ clock, serverClockOffsetMs: offsetMs });
  const warnings: { id: string; text: string; offsetMs: number }[] = [];
  const secrets: Record<string, string> = {
    dr: ACCOUNTS.datarhei.password,
    cv: ACCOUNTS.commvault.password,
    c42: ACCOUNTS.code42.password,
  };
  const manager = () =>
    new SessionManager({
      adapters: ADAPTERS,
      clock,
      getSecret: async (c) => secrets[c.id],
      onClockSkew: (c, text, off) => warnings.push({ id: c.id, text, offsetMs: off }),
    });
  beforeEach(() => void warnings.splice(0));
  const conns = {
    datarhei: (): ConnectionConfig => ({ id: 'dr', vendor: 'datarhei', baseUrl: mock().baseUrl('datarhei'), username: ACCOUNTS.datarhei.username }),
    commvault: (): ConnectionConfig => ({ id: 'cv', vendor: 'commvault', baseUrl: mock().baseUrl('commvault'), username: ACCOUNTS.commvault.username }),
    code42: (): ConnectionConfig => ({ id: 'c42', vendor: 'code42', baseUrl: mock().baseUrl('code42'), username: ACCOUNTS.code42.username }),
  };
  return { clock, mock, warnings, manager, ...conns };
}

/** How far the server's own exp is from the test clock: what the client showed before the correction. */
const uncorrectedLeft = (s: Session, now: number) => formatRemaining((expiryOf(s.jwt) ?? NaN) - now);
const host = (m: MockVendors) => new URL(m.url).host.replace(/\./g, '\\.');

describe('clock skew: a server 7 min behind this computer', () => {
  const { clock, mock, warnings, manager, datarhei, commvault, code42 } = useSkewedServers(BEHIND);

  it('datarhei login with the server 7 min behind: the session is not expired, 10:00 left, one warning', async () => {
    const m = manager();
    const s = await m.login(datarhei());
    const now = clock();
    assert.equal(uncorrectedLeft(s, now), '03:00', 'read on the server clock as it is, the token has 3 min left');
    assert.equal(isExpired(s, now), false);
    assert.equal(formatRemaining(timeLeftMs(s, now)), '10:00');
    assert.ok(Math.abs((s.serverClockOffsetMs ?? 0) - BEHIND) <= 1000, `offset ${s.serverClockOffsetMs}`);
    assert.equal(s.history.at(-1)?.expiresAt, s.expiresAt, 'the history entry reads the same expiry');
    assert.ok(s.refreshExpiresAt !== null && Math.abs(s.refreshExpiresAt - (now + 86_400_000)) <= 1000, 'the refresh token: 1 day from now');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].id, 'dr');
    assert.match(
      warnings[0].text,
      new RegExp(`^the clock of ${host(mock())} is 7 min behind this computer's; times left are computed from the server's clock$`),
    );
  });

  it('the claims of a token from a server 7 min behind read "in 10 min" in the tree and in Token Details', async () => {
    const m = manager();
    const conn = datarhei();
    const s = await m.login(conn);
    const now = clock();
    const exp = describeClaims(s.jwt?.claims ?? {}, now, s.serverClockOffsetMs).find((r) => r.name === 'exp');
    assert.match(exp?.human ?? '', /· in 10 min$/);
    const view = buildTokenView({ conn, vendorName: 'datarhei Core', session: s, state: 'loggedIn', error: null, now });
    assert.equal(view.state, 'loggedIn');
    const viewExp = view.token?.jwt?.claims.find((r) => r.name === 'exp');
    assert.ok(viewExp?.timeMs && Math.abs(viewExp.timeMs - (now + 600_000)) <= 1000, `exp on the local clock: ${viewExp?.timeMs}`);
    assert.equal(viewExp?.raw, String(s.jwt?.claims.exp), 'the raw claim stays as the server wrote it');
    assert.match(view.token?.serverClockNote ?? '', /^The clock of .* is 7 min behind this computer's; .*times here are on this computer's clock\.$/);
  });

  it('renewals and later logins of the same connection do not warn again, and keep reading the server clock', async () => {
    const m = manager();
    const conn = datarhei();
    await m.login(conn);
    clock.advance(601_000);
    assert.equal(m.needsRenewal(conn, m.get('dr') as Session), true, 'expired on the corrected clock after 10 min');
    const { session } = await m.request(conn, { kind: 'rest', method: 'GET', path: '/api/v3/process' });
    assert.equal(session.history.at(-1)?.event, 'refresh');
    assert.equal(formatRemaining(timeLeftMs(session, clock())), '10:00', 'the refreshed token: 10 min again');
    await m.login(conn);
    assert.equal(warnings.length, 1, 'one warning for the connection, not one per renewal');
  });

  it('the refresh ahead of expiry comes 30 s before the corrected expiry, not 7 min early', async () => {
    const m = manager();
    const conn = { ...datarhei(), refreshLeadSeconds: 30 };
    const s = await m.login(conn);
    clock.advance(560_000);
    assert.equal(m.needsRenewal(conn, s), false, 'at 9:20 after login nothing is due (uncorrected: due since 2:30)');
    clock.advance(15_000);
    assert.equal(m.needsRenewal(conn, s), true, 'at 9:35 the 30 s lead has begun');
  });

  it('a renewal measures again: a server back in step drops the correction without a new warning', async () => {
    const m = manager();
    const conn = datarhei();
    await m.login(conn);
    const skewed = mock().env.clock;
    mock().env.clock = () => clock();
    try {
      const s = await m.renew(conn);
      assert.equal(s.history.at(-1)?.event, 'refresh');
      assert.equal(s.serverClockOffsetMs, undefined);
      assert.equal(s.expiresAt, expiryOf(s.jwt), 'exp read as it is');
      assert.equal(warnings.length, 1);
    } finally {
      mock().env.clock = skewed;
    }
  });

  it('Commvault login with the server 7 min behind: the idle window counts from the local login, unshifted', async () => {
    const s = await manager().login(commvault());
    assert.equal(s.expiresBecause, 'sliding-idle');
    assert.equal(s.expiresAt, clock() + 30 * MIN);
    assert.ok(Math.abs((s.serverClockOffsetMs ?? 0) - BEHIND) <= 1000);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].text, /7 min behind this computer's; this session's lifetime is counted on this computer from the login, so it is not affected$/);
  });

  it('Code42 with the server 7 min behind: a token without exp lives 30 min from the local login; one with exp reads it on the server clock', async () => {
    setCode42Options(mock().env, { tokenExp: false });
    try {
      const fixed = await manager().login(code42());
      assert.equal(fixed.expiresBecause, 'fixed-lifetime');
      assert.equal(fixed.expiresAt, clock() + 30 * MIN, 'counted on this computer: nothing to correct');
      assert.match(warnings[0].text, /is not affected$/);
    } finally {
      setCode42Options(mock().env, { tokenExp: true });
    }
    const withExp = await manager().login(code42());
    assert.equal(withExp.expiresBecause, 'exp-claim');
    assert.equal(uncorrectedLeft(withExp, clock()), '23:00');
    assert.equal(formatRemaining(timeLeftMs(withExp, clock())), '30:00');
  });
});

describe('clock skew: small differences and a server ahead', () => {
  describe('30 s behind', () => {
    const { clock, warnings, manager, datarhei } = useSkewedServers(-30_000);
    it('a 30 s difference is neither warned about nor corrected', async () => {
      const s = await manager().login(datarhei());
      assert.equal(s.serverClockOffsetMs, undefined);
      assert.equal(s.expiresAt, expiryOf(s.jwt));
      assert.equal(formatRemaining(timeLeftMs(s, clock())), '09:30');
      assert.equal(warnings.length, 0);
    });
  });

  describe('12 min ahead', () => {
    const { clock, warnings, manager, datarhei } = useSkewedServers(12 * MIN);
    it('a server 12 min ahead is said to be ahead, and its token does not last 22 min', async () => {
      const s = await manager().login(datarhei());
      assert.equal(uncorrectedLeft(s, clock()), '22:00');
      assert.equal(formatRemaining(timeLeftMs(s, clock())), '10:00');
      assert.match(warnings[0]?.text ?? '', /is 12 min ahead of this computer's; times left are computed from the server's clock$/);
    });
  });
});

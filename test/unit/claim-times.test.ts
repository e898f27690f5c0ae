// Times that cannot be dates never throw: out-of-range, millisecond, string and negative time claims are shown with
// a note and never used for expiry; an nbf ahead says "not valid yet". Logins with such tokens still succeed.
import * as assert from 'node:assert/strict';
import { claimRows, describeClaims, expiryOf, timeClaim } from '../../src/core/jwt';
import { createSession, replaceToken } from '../../src/core/session';
import { describeTime, formatInstant, MAX_DATE_MS } from '../../src/core/time';
import type { ConnectionConfig, Session } from '../../src/core/types';
import { buildTokenView } from '../../src/engine/view';
import { code42Adapter } from '../../src/vendors/code42';
import { datarheiAdapter } from '../../src/vendors/datarhei';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { setCode42Options } from '../mock-vendors/code42';
import { setDatarheiOptions } from '../mock-vendors/datarhei';
import { ctxFor, testClock, useMockVendors } from './helpers';
import { jwtWith } from './untrusted-fixtures';

const NOW = Date.UTC(2031, 0, 15, 9, 30, 0);
const row = (claims: Record<string, unknown>, name: string) => describeClaims(claims, NOW).find((r) => r.name === name)!;

function sessionOf(claims: Record<string, unknown>, fallback: { fixedLifetimeMs?: number } = {}): Session {
  const token = jwtWith(claims);
  return createSession({
    connectionId: 'c',
    vendor: 'datarhei',
    authKind: 'password',
    token,
    attach: { kind: 'header', name: 'Authorization', value: `Bearer ${token}` },
    now: NOW,
    method: 'POST /api/login',
    ...fallback,
  });
}

describe('formatInstant', () => {
  it('formats every time a Date holds, up to ±8.64e15 ms, and says "not a date" beyond instead of throwing', () => {
    assert.equal(formatInstant(0), '1970-01-01T00:00:00.000Z');
    assert.equal(formatInstant(MAX_DATE_MS), '+275760-09-13T00:00:00.000Z');
    assert.equal(formatInstant(-MAX_DATE_MS), '-271821-04-20T00:00:00.000Z');
    assert.match(formatInstant(NOW, 'local'), /^2031-01-1[45] \d\d:\d\d:\d\d$/);
    for (const ms of [MAX_DATE_MS + 1, 1e303, -1e23, NaN, Infinity]) {
      assert.equal(formatInstant(ms), `not a date (${ms})`);
      assert.equal(formatInstant(ms, 'local'), `not a date (${ms})`);
      assert.equal(describeTime(ms, NOW), `not a date (${ms})`);
    }
  });
});

describe('time claims that are not dates', () => {
  it('exp 1e300, exp -1e20 and iat 1e17 are "not a date (VALUE)" with no time; exp says it is not used for expiry', () => {
    const claims = { exp: 1e300, iat: 1e17, nbf: -1e20 };
    assert.equal(row(claims, 'exp').human, 'not a date (1e+300); not used for expiry');
    assert.equal(row(claims, 'iat').human, 'not a date (100000000000000000)');
    assert.equal(row(claims, 'nbf').human, 'not a date (-100000000000000000000)');
    assert.equal(row({ exp: -1e20 }, 'exp').timeMs, null);
    for (const r of claimRows(claims)) assert.equal(r.timeMs, null, r.name);
  });

  it('an exp above 1e11 that fits as milliseconds "looks like milliseconds (would be DATE)" and is not used', () => {
    const r = row({ exp: NOW }, 'exp');
    assert.equal(r.timeMs, null);
    assert.equal(r.human, `looks like milliseconds (would be ${new Date(NOW).toISOString()}); not used for expiry`);
    assert.equal(row({ iat: NOW }, 'iat').human, `looks like milliseconds (would be ${new Date(NOW).toISOString()})`);
    assert.equal(expiryOf({ header: {}, claims: { exp: NOW } }), null);
  });

  it('a numeric string exp is flagged as a string, not a number, and not used; other values are "not a date"', () => {
    assert.equal(row({ exp: '1926322200' }, 'exp').human, 'a string, not a number (RFC 7519 NumericDate); not used for expiry');
    assert.equal(row({ exp: 'tomorrow' }, 'exp').human, 'not a date ("tomorrow"); not used for expiry');
    assert.equal(row({ iat: null }, 'iat').human, 'not a date (null)');
    assert.equal(row({ nbf: { a: 1 } }, 'nbf').human, 'not a date ({"a":1})');
    assert.equal(expiryOf({ header: {}, claims: { exp: '1926322200' } }), null);
  });

  it('a usable exp still is a date, with local, ISO and relative time', () => {
    const exp = NOW / 1000 + 600;
    assert.deepEqual(timeClaim('exp', exp), { ms: NOW + 600_000, note: null });
    assert.match(row({ exp }, 'exp').human ?? '', /2031-01-15T09:40:00\.000Z · in 10 min$/);
    assert.equal(row({ exp }, 'exp').note, null);
  });

  it('exi: a negative or non-number exi is no lifetime and says why', () => {
    assert.equal(row({ exi: -5 }, 'exi').human, 'exi -5 is negative; ignored');
    assert.equal(row({ exi: -5 }, 'exi').lifetimeMs, null);
    assert.equal(row({ exi: '600' }, 'exi').human, 'exi "600" is not a number of seconds; ignored');
    assert.equal(row({ exi: 1e300 }, 'exi').human, 'exi 1e+300 is longer than any date range; ignored');
    assert.equal(row({ exi: 600 }, 'exi').human, '10 min total lifetime');
  });

  it('an nbf ahead says "not valid yet (valid from DATE, in 5 min)"; one behind is a plain time', () => {
    const ahead = row({ nbf: NOW / 1000 + 300 }, 'nbf');
    assert.match(ahead.human ?? '', /^not valid yet \(valid from 2031-01-1[45] \d\d:\d\d:00 · 2031-01-15T09:35:00\.000Z, in 5 min\)$/);
    assert.equal(ahead.timeMs, NOW + 300_000);
    assert.match(row({ nbf: NOW / 1000 - 60 }, 'nbf').human ?? '', /· 1 min ago$/);
  });
});

describe('sessions from tokens whose times are not dates', () => {
  const BAD_EXPS: unknown[] = [1e300, -1e20, NOW, '1926322200', 'soon', null];

  it('an unusable exp counts as no exp: the fixed lifetime applies, or the expiry is unknown', () => {
    for (const exp of BAD_EXPS) {
      const s = sessionOf({ exp, iat: 1e17 }, { fixedLifetimeMs: 600_000 });
      assert.equal(s.expiresBecause, 'fixed-lifetime', String(exp));
      assert.equal(s.expiresAt, NOW + 600_000);
      assert.equal(s.issuedAt, NOW, 'an iat of 1e17 is not the issue time');
      const bare = sessionOf({ exp });
      assert.equal(bare.expiresBecause, 'unknown');
      assert.equal(bare.expiresAt, null);
    }
  });

  it('a refresh to a token without a usable exp keeps the fixed lifetime, counted from the refresh', () => {
    const s = sessionOf({ exp: 1e300 }, { fixedLifetimeMs: 600_000 });
    const token = jwtWith({ exp: 'later' });
    const r = replaceToken(s, { token, now: NOW + 60_000, method: 'GET /api/login/refresh', event: 'refresh' });
    assert.equal(r.expiresAt, NOW + 660_000);
    assert.equal(r.expiresBecause, 'fixed-lifetime');
  });

  it('the Token Details view of such a session builds without throwing and shows the notes', () => {
    const conn: ConnectionConfig = { id: 'c', vendor: 'datarhei', baseUrl: 'http://127.0.0.1:9', username: 'u' };
    const s = sessionOf({ exp: 1e300, iat: 1e17, nbf: -1e20, exi: -5 }, { fixedLifetimeMs: 600_000 });
    const v = buildTokenView({ conn, vendorName: 'datarhei Core', session: s, state: 'loggedIn', error: null, now: NOW });
    assert.equal(v.token?.lifetimeMs, 600_000);
    const notes = Object.fromEntries((v.token?.jwt?.claims ?? []).map((c) => [c.name, c.note]));
    assert.deepEqual(notes, {
      exp: 'not a date (1e+300); not used for expiry',
      iat: 'not a date (100000000000000000)',
      nbf: 'not a date (-100000000000000000000)',
      exi: 'exi -5 is negative; ignored',
    });
  });
});

describe('logins whose server issues an exp no date can be (loopback mocks)', () => {
  const clock = testClock();
  const mock = useMockVendors({ clock });
  afterEach(() => {
    setDatarheiOptions(mock().env, { claims: {} });
    setCode42Options(mock().env, { tokenExp: true });
  });

  it('datarhei: exp 1e300, -1e20, in ms or as a string → login succeeds, expiry from exi (fixed at issue)', async () => {
    const conn: ConnectionConfig = { id: 'dr', vendor: 'datarhei', baseUrl: mock().baseUrl('datarhei'), username: ACCOUNTS.datarhei.username };
    for (const exp of [1e300, -1e20, clock(), '1926322200']) {
      setDatarheiOptions(mock().env, { claims: { exp, iat: 1e17 } });
      const s = await datarheiAdapter.login(conn, { secret: ACCOUNTS.datarhei.password }, ctxFor(conn, clock));
      assert.equal(s.jwt?.claims.exp, exp);
      assert.equal(s.expiresBecause, 'fixed-lifetime', String(exp));
      assert.equal(s.expiresAt, clock() + 600_000);
      assert.ok(describeClaims(s.jwt?.claims ?? {}, clock()).every((r) => r.human === null || !/Invalid/.test(r.human)));
    }
  });

  it('datarhei: a negative exi is no lifetime either: the expiry is unknown, the login still succeeds', async () => {
    const conn: ConnectionConfig = { id: 'dr', vendor: 'datarhei', baseUrl: mock().baseUrl('datarhei'), username: ACCOUNTS.datarhei.username };
    setDatarheiOptions(mock().env, { claims: { exp: 1e300, exi: -5 } });
    const s = await datarheiAdapter.login(conn, { secret: ACCOUNTS.datarhei.password }, ctxFor(conn, clock));
    assert.equal(s.expiresBecause, 'unknown');
    assert.equal(s.expiresAt, null);
  });

  it('Code42: exp 1e300 or a string → login succeeds with the assumed lifetime (1800 s)', async () => {
    const conn: ConnectionConfig = { id: 'c42', vendor: 'code42', baseUrl: mock().baseUrl('code42'), username: ACCOUNTS.code42.username };
    for (const exp of [1e300, '1926322200']) {
      setCode42Options(mock().env, { tokenExp: exp });
      const s = await code42Adapter.login(conn, { secret: ACCOUNTS.code42.password }, ctxFor(conn, clock));
      assert.equal(s.jwt?.claims.exp, exp);
      assert.equal(s.expiresBecause, 'fixed-lifetime');
      assert.equal(s.expiresAt, clock() + 1800_000);
    }
  });
});

// Clock skew, the parts: the pure maths and wording, send()'s reading of `Date`, the mocks' `Date` on their own
// clock, the offset kept in secret storage across a reload, and the CLI's one warning line.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { clockSkewText, parseHttpDate, type ServerDateReading, skewOf } from '../../src/core/clockSkew';
import { send } from '../../src/core/http';
import { createSession, replaceToken, timeLeftMs, withServerClock } from '../../src/core/session';
import { formatRemaining } from '../../src/core/time';
import type { ConnectionConfig } from '../../src/core/types';
import { connectionBinding } from '../../src/engine/config';
import { SessionManager } from '../../src/engine/manager';
import { SecretVault, secretKey } from '../../src/engine/secretVault';
import { SessionStore } from '../../src/engine/sessionStore';
import { ADAPTERS } from '../../src/vendors';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { MOCK_VENDORS } from '../mock-vendors/server';
import { cli } from './cli-fixtures';
import { FakeSecretStorage } from './fakes/secretStorage';
import { ctxFor, testClock, useMockVendors } from './helpers';

const MIN = 60_000;
const unsigned = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

describe('clock skew: the maths and the words', () => {
  const at = (serverMs: number, localMs: number): ServerDateReading => ({ serverMs, localMs });

  it('clocks within a minute count as in step; beyond it the offset is server minus local', () => {
    assert.equal(skewOf(at(1_000_000 + 60_000, 1_000_000)), 0);
    assert.equal(skewOf(at(1_000_000 - 60_000, 1_000_000)), 0);
    assert.equal(skewOf(at(1_000_000 + 61_000, 1_000_000)), 61_000);
    assert.equal(skewOf(at(1_000_000 - 7 * MIN, 1_000_000)), -7 * MIN);
  });

  it('reads an HTTP Date and nothing else', () => {
    assert.equal(parseHttpDate('Wed, 15 Jan 2031 09:23:00 GMT'), Date.UTC(2031, 0, 15, 9, 23, 0));
    for (const bad of [undefined, '', 'yesterday']) assert.equal(parseHttpDate(bad), null);
  });

  it('says behind or ahead of, with the host, and whether the session is affected', () => {
    assert.equal(
      clockSkewText('https://cv.example.test:8443/webconsole/api', -7 * MIN, true),
      "the clock of cv.example.test:8443 is 7 min behind this computer's; times left are computed from the server's clock",
    );
    assert.equal(
      clockSkewText('http://127.0.0.1:8080/code42', 65 * MIN, false),
      "the clock of 127.0.0.1:8080 is 1 h 5 min ahead of this computer's; this session's lifetime is counted on this computer from the login, so it is not affected",
    );
  });

  it('withServerClock re-bases exp, iat, the refresh exp and the newest history entry, and is idempotent', () => {
    const now = Date.UTC(2031, 0, 15, 9, 30, 0);
    const iat = now / 1000 - 420;
    const s = createSession({
      connectionId: 'dr',
      vendor: 'datarhei',
      authKind: 'password',
      token: unsigned({ iat, exp: iat + 600 }),
      refreshToken: unsigned({ iat, exp: iat + 86400 }),
      attach: { kind: 'header', name: 'Authorization', value: 'Bearer x' },
      now,
      method: 'POST /api/login',
    });
    const shifted = withServerClock(s, -7 * MIN);
    assert.equal(shifted.expiresAt, now + 600_000);
    assert.equal(shifted.issuedAt, now);
    assert.equal(shifted.refreshExpiresAt, now + 86_400_000);
    assert.equal(shifted.history.at(-1)?.expiresAt, now + 600_000);
    assert.equal(shifted.serverClockOffsetMs, -7 * MIN);
    assert.equal(withServerClock(shifted, -7 * MIN), shifted, 'the same offset again changes nothing');
    const back = withServerClock(shifted, 0);
    assert.deepEqual(back, s, 'offset 0 gives the server times back, without the field');
    // A token that replaces it is read on the same clock.
    const next = replaceToken(shifted, { token: unsigned({ iat: iat + 300, exp: iat + 900 }), now: now + 300_000, method: 'refresh', event: 'refresh' });
    assert.equal(next.expiresAt, now + 900_000);
    assert.equal(formatRemaining(timeLeftMs(next, now + 300_000)), '10:00');
  });

  it('a lifetime counted on this computer (sliding window, fixed lifetime) does not move', () => {
    const now = 2_000_000_000_000;
    for (const life of [{ slidingWindowMs: 30 * MIN }, { fixedLifetimeMs: 30 * MIN }]) {
      const s = createSession({
        connectionId: 'cv',
        vendor: 'commvault',
        authKind: 'password',
        token: 'QSDK 1',
        attach: { kind: 'header', name: 'Authtoken', value: 'QSDK 1' },
        now,
        method: 'Login',
        ...life,
      });
      const shifted = withServerClock(s, -7 * MIN);
      assert.equal(shifted.expiresAt, now + 30 * MIN);
      assert.equal(shifted.issuedAt, now);
    }
  });
});

describe('clock skew: Date on the wire', () => {
  const clock = testClock();
  const mock = useMockVendors({ clock, serverClockOffsetMs: -7 * MIN });

  it('every mock vendor dates its answers by the servers’ clock (test clock and offset), not the real one', async () => {
    const expected = new Date(clock() - 7 * MIN).toUTCString();
    for (const v of MOCK_VENDORS) {
      const r = await fetch(`${mock().baseUrl(v)}/`, { method: 'GET' });
      await r.text();
      assert.equal(r.headers.get('date'), expected, v);
    }
    const stats = await fetch(`${mock().url}/__mock/stats`);
    await stats.text();
    assert.equal(stats.headers.get('date'), expected, 'the mock’s own answers too');
  });

  it('send() reports each answer’s Date with the local time at the middle of the exchange', async () => {
    const conn: ConnectionConfig = { id: 'dr', vendor: 'datarhei', baseUrl: mock().baseUrl('datarhei') };
    const readings: ServerDateReading[] = [];
    const ctx = { ...ctxFor(conn, clock), onServerDate: (r: ServerDateReading) => readings.push(r) };
    await send(ctx, { method: 'GET', url: `${conn.baseUrl}/api` });
    assert.deepEqual(readings, [{ serverMs: clock() - 7 * MIN, localMs: clock() }]);
  });
});

describe('clock skew: kept with the session', () => {
  const clock = testClock();
  const mock = useMockVendors({ clock, serverClockOffsetMs: -7 * MIN });

  it('the offset is stored with the session and restored after a reload', async () => {
    const storage = new FakeSecretStorage();
    const conn: ConnectionConfig = { id: 'dr', vendor: 'datarhei', baseUrl: mock().baseUrl('datarhei'), username: ACCOUNTS.datarhei.username };
    const settings = { all: () => [conn], get: (id: string) => (id === conn.id ? conn : undefined) };
    const open = () => {
      const vault = new SecretVault(storage, () => undefined);
      const manager = new SessionManager({ adapters: ADAPTERS, clock, getSecret: async () => ACCOUNTS.datarhei.password });
      return { vault, manager, store: new SessionStore(manager, vault, settings, { info: () => undefined }) };
    };
    const first = open();
    const s = await first.manager.login(conn);
    const end = Date.now() + 2000;
    while (!storage.raw(secretKey('dr', 'session'))?.includes('serverClockOffsetMs') && Date.now() < end) await new Promise((r) => setTimeout(r, 2));
    const stored = JSON.parse(storage.raw(secretKey('dr', 'session')) ?? '{}') as { value?: { serverClockOffsetMs?: number } };
    assert.equal(stored.value?.serverClockOffsetMs, -7 * MIN);
    first.store.dispose();
    first.vault.dispose();

    const after = open();
    await after.store.restore();
    const restored = after.manager.get('dr');
    assert.equal(restored?.serverClockOffsetMs, -7 * MIN);
    assert.equal(restored?.expiresAt, s.expiresAt);
    assert.equal(formatRemaining(timeLeftMs(restored ?? s, clock())), '10:00');
    after.store.dispose();
    after.vault.dispose();
  });

  it('a stored session whose serverClockOffsetMs is not a number is unreadable and removed', async () => {
    const storage = new FakeSecretStorage();
    const conn: ConnectionConfig = { id: 'dr', vendor: 'datarhei', baseUrl: 'https://core.example.test' };
    const warned: string[] = [];
    const vault = new SecretVault(storage, (m) => warned.push(m));
    const session = createSession({
      connectionId: 'dr',
      vendor: 'datarhei',
      authKind: 'password',
      token: 't',
      attach: { kind: 'header', name: 'Authorization', value: 't' },
      now: 1,
      method: 'x',
      fixedLifetimeMs: 1,
    });
    for (const [offset, ok] of [
      [-420_000, true],
      ['-420000', false],
      [1e300, false],
    ] as const) {
      await storage.store(secretKey('dr', 'session'), JSON.stringify({ for: connectionBinding(conn), value: { ...session, serverClockOffsetMs: offset } }));
      assert.equal((await vault.getSession(conn)) !== undefined, ok, String(offset));
    }
    assert.equal(warned.length, 2);
    vault.dispose();
  });
});

describe('clock skew: the CLI', () => {
  const mock = useMockVendors({ serverClockOffsetMs: -7 * MIN });
  let dir: string;
  let config: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-auth-skew-'));
    config = path.join(dir, 'api-auth.json');
    const dr: ConnectionConfig = { id: 'dr', vendor: 'datarhei', baseUrl: mock().baseUrl('datarhei'), username: ACCOUNTS.datarhei.username };
    fs.writeFileSync(config, JSON.stringify({ connections: [dr] }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const WARNING =
    /^api-auth: warning: Connection "dr": the clock of 127\.0\.0\.1:\d+ is 7 min( 1 s)? behind this computer's; times left are computed from the server's clock\.$/;

  it('the CLI prints the clock warning once on standard error, and the time left from the server clock', async () => {
    const r = await cli(['login', 'dr', '--config', config, '--secret-stdin'], { stdin: `${ACCOUNTS.datarhei.password}\n` });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], WARNING);
    assert.match(r.stdout, /\((10:00|09:5\d) left; the token’s exp claim\)/);
  });

  it('login --json gives the times on this computer’s clock and the offset they were converted with', async () => {
    const r = await cli(['login', 'dr', '--json', '--config', config, '--secret-stdin'], { stdin: `${ACCOUNTS.datarhei.password}\n` });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { expiresAt: string; claims: { exp: number }; serverClockOffsetMs: number };
    assert.ok(Math.abs(out.serverClockOffsetMs + 7 * MIN) <= 2000, String(out.serverClockOffsetMs));
    assert.equal(Date.parse(out.expiresAt), out.claims.exp * 1000 - out.serverClockOffsetMs);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });

  it('a request (login, then the call) warns once too', async () => {
    const r = await cli(['request', 'dr', 'GET', '/api/v3/process', '--config', config, '--secret-stdin'], { stdin: `${ACCOUNTS.datarhei.password}\n` });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => WARNING.test(l)).length,
      1,
      r.stderr,
    );
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });
});

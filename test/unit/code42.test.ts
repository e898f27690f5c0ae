// Code42: Basic on every request, or a v3 JWT fetched with Basic (+ a TOTP code when the org requires one),
// against the loopback mock.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { describeError } from '../../src/core/errors';
import { ADAPTERS } from '../../src/vendors';
import { validateConnection } from '../../src/engine/config';
import { SessionManager } from '../../src/engine/manager';
import type { ConnectionConfig, Credentials, Session } from '../../src/core/types';
import { code42Adapter as adapter } from '../../src/vendors/code42';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { CODE42_SIGNING_KEY, setCode42Options, totpOf } from '../mock-vendors/code42';
import { signHs256 } from '../mock-vendors/jwt';
import type { MockVendors } from '../mock-vendors/server';
import { ctxFor, rejects, testClock, TRANSPORT_FAULTS, useMockVendors } from './helpers';

const U = ACCOUNTS.code42;
const TOKEN_SEC = 2;
/** The time of the mock server and of the client: it moves only when a test moves it. */
const clock = testClock();

function totpCode(at = clock()): string {
  return totpOf(U.mfa.totpSecret).generate({ timestamp: at });
}

/** A 6-digit code that is none of the codes accepted now (window ±1). */
function wrongCode(): string {
  const valid = new Set([-30_000, 0, 30_000].map((d) => totpCode(clock() + d)));
  for (let n = 0; ; n++) {
    const c = String(n).padStart(6, '0');
    if (!valid.has(c)) return c;
  }
}

function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') }));
      })
      .on('error', reject);
  });
}

const basic = (user: string, pass: string): string => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

/** Puts the mock server's clock (not the client's) `ms` ahead; returns the undo. */
function shiftMockClock(mock: MockVendors, ms: number): () => void {
  const before = mock.env.clock;
  mock.env.clock = () => before() + ms;
  return () => {
    mock.env.clock = before;
  };
}

describe('Code42', () => {
  const mock = useMockVendors({ lifetimes: { code42TokenSec: TOKEN_SEC, datarheiBadLoginDelayMs: 50 }, clock });
  const conn = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    id: 'c42-test',
    label: 'Code42 test',
    vendor: 'code42',
    baseUrl: mock().baseUrl('code42'),
    username: U.username,
    ...over,
  });
  const login = (over: Partial<ConnectionConfig> = {}, creds: Credentials = { secret: U.password }): Promise<Session> => {
    const c = conn(over);
    return adapter.login(c, creds, ctxFor(c, clock));
  };
  const get = (c: ConnectionConfig, s: Session, path: string) => adapter.request(c, s, { kind: 'rest', method: 'GET', path }, ctxFor(c, clock));
  let undo: (() => void) | undefined;
  afterEach(() => {
    undo?.();
    undo = undefined;
    setCode42Options(mock().env, { tokenExp: true, echoCredentials: false });
  });

  describe('mock wire format', () => {
    it('token resource: {"data":{"v3_user_token"},"error":null,"warnings":null}', async () => {
      for (const p of ['/c42api/v3/auth/jwt', '/api/v3/auth/jwt']) {
        const r = await rawGet(`${mock().baseUrl('code42')}${p}?useBody=true`, { Authorization: basic(U.username, U.password) });
        assert.equal(r.status, 200);
        assert.match(r.type, /^application\/json/);
        assert.match(r.body, /^\{"data":\{"v3_user_token":"eyJ[\w-]+\.[\w-]+\.[\w-]+"\},"error":null,"warnings":null\}$/);
      }
    });

    it('bad credentials: 401 with a SYSTEM error "Could not authenticate user"', async () => {
      const r = await rawGet(`${mock().baseUrl('code42')}/c42api/v3/auth/jwt?useBody=true`, { Authorization: basic(U.username, 'nope') });
      assert.equal(r.status, 401);
      const body = JSON.parse(r.body) as { data: unknown; error: { primaryErrorKey: string; description: string }[]; warnings: unknown };
      assert.equal(body.data, null);
      assert.equal(body.warnings, null);
      assert.equal(body.error[0].primaryErrorKey, 'SYSTEM');
      assert.equal(body.error[0].description, 'Could not authenticate user');
    });

    it('two-factor user without a code: exactly the documented 401 body', async () => {
      const r = await rawGet(`${mock().baseUrl('code42')}/c42api/v3/auth/jwt?useBody=true`, { Authorization: basic(U.mfa.username, U.mfa.password) });
      assert.equal(r.status, 401);
      assert.equal(r.body, '{"error":[{"primaryErrorKey":"TIME_BASED_ONE_TIME_PASSWORD_REQUIRED"}]}');
      const ok = await rawGet(`${mock().baseUrl('code42')}/c42api/v3/auth/jwt?useBody=true`, {
        Authorization: basic(U.mfa.username, U.mfa.password),
        'totp-auth': totpCode(),
      });
      assert.equal(ok.status, 200);
    });

    it('a forged or foreign-key bearer token is refused', async () => {
      const iat = Math.floor(clock() / 1000);
      const claims = { sub: '1042000000000001042', iat, exp: iat + 60 };
      const good = await rawGet(`${mock().baseUrl('code42')}/api/User/my`, { Authorization: `Bearer ${signHs256(claims, CODE42_SIGNING_KEY)}` });
      assert.equal(good.status, 200);
      const bad = await rawGet(`${mock().baseUrl('code42')}/api/User/my`, { Authorization: `Bearer ${signHs256(claims, 'other-key')}` });
      assert.equal(bad.status, 401);
    });
  });

  it('describes itself: token (default) and basic, no refresh, no logout', () => {
    assert.deepEqual(adapter.authKinds, ['token', 'basic']);
    assert.equal(adapter.secretLabel('token'), 'password');
    assert.equal(adapter.refresh, undefined);
    assert.equal(adapter.logout, undefined);
    assert.deepEqual(adapter.validate(conn()), []);
    assert.deepEqual(adapter.validate(conn({ username: undefined })), ['a username is required']);
    assert.deepEqual(adapter.validate(conn({ tokenPath: '/api/v3/auth/jwt' })), []);
    assert.equal(adapter.validate(conn({ tokenPath: 'c42api/v3/auth/jwt' })).length, 1);
    assert.deepEqual(validateConnection({ ...conn(), auth: 'password' }, ADAPTERS), ['"auth": Code42 supports token, basic, not password']);
    assert.deepEqual(
      adapter.sampleRequests.map((r) => (r.kind === 'rest' ? `${r.method} ${r.path}` : r.method)),
      ['GET /api/User/my', 'GET /api/v1/Org/my', 'GET /api/v1/Computer'],
    );
  });

  describe('basic', () => {
    it('login checks the credentials with GET /api/User/my; every request carries them; nothing expires', async () => {
      const c = conn({ auth: 'basic' });
      const before = mock().env.stats.get('code42.call');
      const tokensBefore = mock().env.stats.get('code42.login');
      const s = await adapter.login(c, { secret: U.password }, ctxFor(c, clock));
      assert.equal(mock().env.stats.get('code42.call'), before + 1, 'one real check');
      assert.equal(mock().env.stats.get('code42.login'), tokensBefore, 'no token issued');
      assert.equal(s.authKind, 'basic');
      assert.deepEqual(s.attach, { kind: 'header', name: 'Authorization', value: basic(U.username, U.password) });
      assert.equal(s.expiresAt, null);
      assert.equal(s.expiresBecause, 'per-request');
      assert.ok(!s.token.includes(U.password) && !s.token.includes(Buffer.from(`${U.username}:${U.password}`).toString('base64')));
      assert.deepEqual(s.user, { name: U.username, id: 1042 });
      assert.equal(s.history[0].method, 'GET /api/User/my');
      const me = await get(c, s, '/api/User/my');
      assert.equal(me.response.status, 200);
      assert.equal((me.response.body as { data: { username: string } }).data.username, U.username);
      const org = await get(c, s, '/api/v1/Org/my');
      assert.equal((org.response.body as { data: { orgName: string } }).data.orgName, 'Acme Backup');
      const computers = await get(c, s, '/api/v1/Computer');
      assert.equal((computers.response.body as { data: { computers: unknown[] } }).data.computers.length, 2);
      assert.equal(mock().env.stats.get('code42.call'), before + 4);
    });

    it('bad password → credentials with the server words; no secret in the sentence', async () => {
      const e = await rejects(login({ auth: 'basic' }, { secret: 'bad-pass' }), 'credentials');
      assert.equal(e.message, 'wrong username or password');
      assert.equal(e.details.status, 401);
      assert.equal(e.details.serverMessage, 'Could not authenticate user');
      assert.ok(!describeError(e, conn()).includes('bad-pass'));
    });

    it('two-factor user: the Basic login fails clearly as config (use auth token), with or without a code', async () => {
      const c = conn({ auth: 'basic', username: U.mfa.username });
      const calls = mock().env.stats.get('code42.call');
      for (const creds of [{ secret: U.mfa.password }, { secret: U.mfa.password, totp: totpCode() }]) {
        const e = await rejects(adapter.login(c, creds, ctxFor(c, clock)), 'config');
        assert.match(e.message, /requires two-factor authentication, which Basic auth cannot carry/);
        assert.match(e.message, /use "auth": "token"/);
        assert.equal(e.details.serverMessage, 'TIME_BASED_ONE_TIME_PASSWORD_REQUIRED');
        assert.match(describeError(e, c), /use "auth": "token".*; fix the connection settings\.$/);
      }
      assert.equal(mock().env.stats.get('code42.call'), calls, 'the code is never sent with Basic, so no check passed');
      // The same account with token login works with the code.
      const s = await adapter.login(conn({ username: U.mfa.username }), { secret: U.mfa.password, totp: totpCode() }, ctxFor(c, clock));
      assert.equal(s.authKind, 'token');
    });

    it('a Basic session whose org later requires two-factor → requests fail as config, not as a prompt', async () => {
      const c = conn({ auth: 'basic' });
      const s = await adapter.login(c, { secret: U.password }, ctxFor(c, clock));
      const mfa: Session = { ...s, attach: { kind: 'header', name: 'Authorization', value: basic(U.mfa.username, U.mfa.password) } };
      const e = await rejects(get(c, mfa, '/api/User/my'), 'config');
      assert.match(e.message, /Basic auth cannot carry/);
    });

    it('a server that echoes the password, the Basic value and its base64 → none of them in the error', async () => {
      setCode42Options(mock().env, { echoCredentials: true });
      const secret = 'Hunter2-basic';
      const b64 = Buffer.from(`${U.username}:${secret}`).toString('base64');
      const e = await rejects(login({ auth: 'basic' }, { secret }), 'credentials');
      const text = `${e.message} ${e.details.serverMessage} ${describeError(e, conn())} ${e.stack}`;
      assert.match(e.details.serverMessage ?? '', /^Could not authenticate user: bad password ‹redacted›/, 'the server words stay');
      assert.ok(!text.includes(secret), text);
      assert.ok(!text.includes(b64), text);
    });

    it('a password changed later → requests throw expired', async () => {
      const c = conn({ auth: 'basic' });
      const s = await adapter.login(c, { secret: U.password }, ctxFor(c, clock));
      const stale: Session = { ...s, attach: { kind: 'header', name: 'Authorization', value: basic(U.username, 'old-pass') } };
      const e = await rejects(get(c, stale, '/api/User/my'), 'expired');
      assert.equal(e.message, 'the credentials were rejected');
      assert.equal(e.details.serverMessage, 'Could not authenticate user');
    });
  });

  describe('token', () => {
    it('login: GET /c42api/v3/auth/jwt?useBody=true → Bearer v3 token, expiry from its exp', async () => {
      const before = mock().env.stats.get('code42.login');
      const s = await login();
      assert.equal(mock().env.stats.get('code42.login'), before + 1);
      assert.equal(s.authKind, 'token');
      assert.match(s.token, /^eyJ/);
      assert.deepEqual(s.attach, { kind: 'header', name: 'Authorization', value: `Bearer ${s.token}` });
      const claims = s.jwt?.claims ?? {};
      assert.equal((claims.exp as number) - (claims.iat as number), TOKEN_SEC);
      assert.equal(s.expiresAt, (claims.exp as number) * 1000);
      assert.equal(s.expiresBecause, 'exp-claim');
      assert.equal(s.refreshToken, null);
      assert.equal(s.history[0].method, 'GET /c42api/v3/auth/jwt');
      assert.equal(s.user?.name, U.username);
      const c = conn();
      const me = await get(c, s, '/api/User/my');
      assert.equal(me.response.status, 200);
      assert.equal((me.response.body as { data: { userId: number } }).data.userId, 1042);
    });

    it('tokenPath /api/v3/auth/jwt works the same', async () => {
      const s = await login({ tokenPath: '/api/v3/auth/jwt' });
      assert.equal(s.history[0].method, 'GET /api/v3/auth/jwt');
      assert.equal((await get(conn(), s, '/api/v1/Org/my')).response.status, 200);
    });

    it('a token without exp → fixed lifetime (lifetimeSeconds, else 1800 s)', async () => {
      setCode42Options(mock().env, { tokenExp: false });
      const s = await login();
      assert.equal(s.jwt?.claims.exp, undefined);
      assert.equal(s.expiresBecause, 'fixed-lifetime');
      assert.equal(s.expiresAt, clock() + 1800_000);
      const s2 = await login({ lifetimeSeconds: 60 });
      assert.equal(s2.expiresAt, clock() + 60_000);
    });

    it('bad password → credentials "Could not authenticate user"', async () => {
      const before = mock().env.stats.get('code42.login');
      const e = await rejects(login({}, { secret: 'bad-pass' }), 'credentials');
      assert.equal(e.message, 'wrong username or password');
      assert.equal(e.details.status, 401);
      assert.equal(e.details.serverMessage, 'Could not authenticate user');
      assert.equal(mock().env.stats.get('code42.login'), before);
    });

    it('2FA: twoFactorRequired without a code, then a correct code succeeds', async () => {
      const c = conn({ username: U.mfa.username });
      const before = mock().env.stats.get('code42.login');
      const e = await rejects(adapter.login(c, { secret: U.mfa.password }, ctxFor(c, clock)), 'twoFactorRequired');
      assert.equal(e.message, 'this account needs a two-factor code');
      assert.equal(e.details.status, 401);
      assert.equal(e.details.serverMessage, 'TIME_BASED_ONE_TIME_PASSWORD_REQUIRED');
      assert.match(describeError(e, c), /enter the current code from your authenticator app\.$/);
      assert.equal(mock().env.stats.get('code42.login'), before);
      const s = await adapter.login(c, { secret: U.mfa.password, totp: totpCode() }, ctxFor(c, clock));
      assert.equal(mock().env.stats.get('code42.login'), before + 1);
      assert.equal(s.jwt?.claims.username, U.mfa.username);
      const me = await get(c, s, '/api/User/my');
      assert.equal((me.response.body as { data: { username: string } }).data.username, U.mfa.username, 'the token needs no code');
    });

    it('2FA: a wrong code → twoFactorRequired "the two-factor code was rejected" with the server words', async () => {
      const c = conn({ username: U.mfa.username });
      const e = await rejects(adapter.login(c, { secret: U.mfa.password, totp: wrongCode() }, ctxFor(c, clock)), 'twoFactorRequired');
      assert.equal(e.message, 'the two-factor code was rejected');
      assert.equal(e.details.status, 401);
      assert.equal(e.details.serverMessage, 'TIME_BASED_ONE_TIME_PASSWORD_INVALID');
      assert.equal(
        describeError(e, c),
        'Connection "Code42 test": the two-factor code was rejected (server said: "TIME_BASED_ONE_TIME_PASSWORD_INVALID"); enter the current code from your authenticator app.',
      );
    });

    it('2FA: after a wrong code the session manager asks again, and the right code logs in', async () => {
      const c = conn({ username: U.mfa.username });
      const attempts: number[] = [];
      const m = new SessionManager({
        adapters: ADAPTERS,
        clock,
        getSecret: async () => U.mfa.password,
        askTotp: async (_c, attempt) => {
          attempts.push(attempt);
          return attempt === 1 ? wrongCode() : totpCode();
        },
      });
      const s = await m.login(c);
      assert.deepEqual(attempts, [1, 2], 'asked once for the code, once more after it was rejected');
      assert.equal(s.jwt?.claims.username, U.mfa.username);
    });

    it('2FA: wrong codes only → the manager gives up after its attempts with twoFactorRequired', async () => {
      const c = conn({ username: U.mfa.username });
      let asked = 0;
      const m = new SessionManager({
        adapters: ADAPTERS,
        clock,
        getSecret: async () => U.mfa.password,
        askTotp: async () => {
          asked++;
          return wrongCode();
        },
      });
      const e = await rejects(m.login(c), 'twoFactorRequired');
      assert.equal(e.message, 'the two-factor code was rejected');
      assert.equal(asked, 3);
    });

    it('a server that echoes the password → the token login error does not carry it', async () => {
      setCode42Options(mock().env, { echoCredentials: true });
      const e = await rejects(login({}, { secret: 'Hunter2-token' }), 'credentials');
      assert.match(e.details.serverMessage ?? '', /bad password ‹redacted›/);
      for (const t of [e.message, e.details.serverMessage ?? '', describeError(e, conn())]) {
        assert.ok(!t.includes('Hunter2-token') && !t.includes(Buffer.from(`${U.username}:Hunter2-token`).toString('base64')), t);
      }
    });

    it('2FA: a wrong password with a right code is still a wrong password', async () => {
      const c = conn({ username: U.mfa.username });
      const e = await rejects(adapter.login(c, { secret: 'bad-pass', totp: totpCode() }, ctxFor(c, clock)), 'credentials');
      assert.equal(e.message, 'wrong username or password');
    });

    it("an expired token → request throws expired (the server's clock alone moved, then both clocks)", async () => {
      const c = conn();
      const s = await login();
      undo = shiftMockClock(mock(), (TOKEN_SEC + 1) * 1000);
      const e = await rejects(get(c, s, '/api/User/my'), 'expired');
      assert.equal(e.message, 'the token was rejected');
      assert.equal(e.details.serverMessage, 'Token expired');
      undo();
      undo = undefined;
      assert.equal((await get(c, s, '/api/User/my')).response.status, 200);
      assert.ok(s.expiresAt !== null);
      clock.advance(s.expiresAt - clock() - 1);
      assert.equal((await get(c, s, '/api/User/my')).response.status, 200, 'a millisecond before exp');
      clock.advance(1);
      await rejects(get(c, s, '/api/User/my'), 'expired');
    });

    it('a garbage token → expired; other statuses are returned; rpc is refused', async () => {
      const c = conn();
      const s = await login();
      await rejects(get(c, { ...s, attach: { kind: 'header', name: 'Authorization', value: 'Bearer garbage' } }, '/api/User/my'), 'expired');
      const missing = await get(c, s, '/api/Nothing');
      assert.equal(missing.response.status, 404);
      await rejects(adapter.request(c, s, { kind: 'rpc', method: 'x' }, ctxFor(c, clock)), 'config');
    });
  });

  describe('faults', () => {
    for (const [fault, kind, msg] of TRANSPORT_FAULTS) {
      for (const auth of ['token', 'basic'] as const) {
        it(`${auth} login with fault ${fault} → ${kind}`, async () => {
          mock().setFault('code42', { fault: { kind: fault } });
          const e = await rejects(login({ auth }), kind);
          assert.match(e.message, msg);
        });
      }
    }

    it('a delay longer than timeoutMs → timeout', async () => {
      mock().setFault('code42', { fault: { kind: 'delay', ms: 400 } });
      const e = await rejects(login({ timeoutMs: 100 }), 'timeout');
      assert.match(e.message, /within 0\.1 s/);
    });

    it('a delay shorter than timeoutMs is waited out', async () => {
      mock().setFault('code42', { fault: { kind: 'delay', ms: 150 } });
      const s = await login({ timeoutMs: 2000 });
      assert.match(s.token, /^eyJ/);
    });
  });

  describe('HTTPS with a self-signed certificate', () => {
    it('is rejected by default → tls', async () => {
      const e = await rejects(login({ baseUrl: mock().baseUrl('code42', true) }), 'tls');
      assert.match(e.message, /certificate/);
    });

    it('works with tls.rejectUnauthorized false', async () => {
      const c = conn({ baseUrl: mock().baseUrl('code42', true), tls: { rejectUnauthorized: false } });
      const s = await adapter.login(c, { secret: U.password }, ctxFor(c, clock));
      assert.equal((await get(c, s, '/api/User/my')).response.status, 200);
    });
  });
});

// Code42 with a v3 JWT fetched with Basic (+ a TOTP code when the org requires one), against the loopback mock.
import * as assert from 'node:assert/strict';
import { describeError } from '../../src/core/errors';
import { ADAPTERS } from '../../src/vendors';
import { SessionManager } from '../../src/engine/manager';
import { code42Adapter as adapter } from '../../src/vendors/code42';
import { setCode42Options } from '../mock-vendors/code42';
import { ctxFor, rejects } from './helpers';
import { clock, TOKEN_SEC, totpCode, U, useCode42, wrongCode } from './code42-fixtures';
import { shiftMockClock } from './helpers';

describe('Code42', () => {
  const { mock, conn, login, get } = useCode42();

  describe('token', () => {
    let undo: (() => void) | undefined;
    afterEach(() => {
      undo?.();
      undo = undefined;
    });

    it('login by default: GET /api/v3/auth/jwt?useBody=true (as py42) → Bearer v3 token, expiry from its exp', async () => {
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
      assert.equal(s.history[0].method, 'GET /api/v3/auth/jwt');
      assert.equal(s.user?.name, U.username);
      const c = conn();
      const me = await get(c, s, '/api/User/my');
      assert.equal(me.response.status, 200);
      assert.equal((me.response.body as { data: { userId: number } }).data.userId, 1042);
    });

    it('tokenPath /c42api/v3/auth/jwt (older servers) stays selectable and works the same', async () => {
      const s = await login({ tokenPath: '/c42api/v3/auth/jwt' });
      assert.equal(s.history[0].method, 'GET /c42api/v3/auth/jwt');
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
});

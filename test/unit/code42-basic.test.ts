// Code42 with Basic on every request, against the loopback mock.
import * as assert from 'node:assert/strict';
import { describeError } from '../../src/core/errors';
import type { Session } from '../../src/core/types';
import { code42Adapter as adapter } from '../../src/vendors/code42';
import { setCode42Options } from '../mock-vendors/code42';
import { ctxFor, rejects } from './helpers';
import { basic, clock, totpCode, U, useCode42 } from './code42-fixtures';

describe('Code42', () => {
  const { mock, conn, login, get } = useCode42();

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
});

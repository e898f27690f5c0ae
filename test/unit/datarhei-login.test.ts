// datarhei Core adapter, login: password and Auth0 logins, every refusal mapped to its AuthError kind with the
// server's words and no secret, and the deliberate bad-login delay.
import * as assert from 'node:assert/strict';
import { describeError } from '../../src/core/errors';
import type { ConnectionConfig } from '../../src/core/types';
import { validateConnection } from '../../src/engine/config';
import { ADAPTERS } from '../../src/vendors';
import { datarheiAdapter as adapter } from '../../src/vendors/datarhei';
import { datarheiReceived, mintAuth0Token, setDatarheiAuth0, setDatarheiOptions } from '../mock-vendors/datarhei';
import { ctxFor, rejects, useMockVendors } from './helpers';
import { A, clock, useAdapterMock } from './datarhei-fixtures';

describe('datarhei Core adapter', () => {
  const { mock, conn, login } = useAdapterMock();

  it('describes itself: password and Auth0 logins, refresh, no logout', () => {
    assert.deepEqual(adapter.authKinds, ['password', 'auth0']);
    assert.equal(adapter.secretLabel('auth0'), 'Auth0 access token');
    assert.equal(adapter.secretLabel('password'), 'password');
    assert.equal(typeof adapter.refresh, 'function');
    assert.equal(adapter.logout, undefined);
    assert.deepEqual(adapter.validate(conn()), []);
    assert.deepEqual(adapter.validate(conn({ username: undefined })), ['a username is required for password login']);
    assert.deepEqual(adapter.validate(conn({ username: undefined, auth: 'auth0' })), []);
    assert.deepEqual(validateConnection({ ...conn(), auth: 'basic' }, ADAPTERS), ['"auth": datarhei Core supports password, auth0, not basic']);
    assert.deepEqual(
      adapter.sampleRequests.map((r) => (r.kind === 'rest' ? `${r.method} ${r.path}` : r.method)),
      ['GET /api', 'GET /api/v3/process', 'GET /api/v3/config', 'GET /api/v3/skills', 'GET /api/v3/fs', 'GET /ping'],
    );
  });

  it('password login: Bearer access token, refresh token, expiry from exp (exi is the lifetime)', async () => {
    const before = mock().env.stats.get('datarhei.login');
    const t0 = clock();
    const s = await login();
    assert.equal(mock().env.stats.get('datarhei.login'), before + 1);
    assert.equal(s.vendor, 'datarhei');
    assert.equal(s.authKind, 'password');
    assert.deepEqual(s.attach, { kind: 'header', name: 'Authorization', value: `Bearer ${s.token}` });
    assert.ok(s.jwt && s.refreshJwt);
    assert.equal(s.jwt.claims.exi, 3);
    assert.equal(s.jwt.claims.usefor, 'access');
    assert.equal(s.jwt.claims.sub, A.username);
    assert.equal(s.expiresAt, (s.jwt.claims.exp as number) * 1000);
    assert.equal(s.expiresBecause, 'exp-claim');
    assert.equal(s.issuedAt, (s.jwt.claims.iat as number) * 1000);
    assert.equal(s.expiresAt, (Math.floor(t0 / 1000) + 3) * 1000, 'exp = iat + 3 s, iat in whole seconds');
    assert.ok(s.refreshToken);
    assert.equal(s.refreshJwt.claims.usefor, 'refresh');
    assert.equal(s.refreshJwt.claims.exi, 8);
    assert.equal(s.refreshExpiresAt, (s.refreshJwt.claims.exp as number) * 1000);
    assert.deepEqual(s.user, { name: A.username });
    assert.equal(s.history.length, 1);
    assert.equal(s.history[0].event, 'login');
    assert.equal(s.history[0].method, 'POST /api/login');
    assert.equal(s.history[0].token, s.token);
    assert.equal(s.history[0].replaced, null);
  });

  it('wrong password / wrong username → credentials with the server words, no secret in the message', async () => {
    for (const [over, secret] of [
      [{}, 'wrong-pass'],
      [{ username: 'nobody' }, A.password],
    ] as const) {
      const e = await rejects(login(over, secret), 'credentials');
      assert.equal(e.message, 'wrong username or password');
      assert.equal(e.details.status, 401);
      assert.equal(e.details.serverMessage, 'Invalid authorization credentials: invalid username or password');
      const sentence = describeError(e, conn());
      assert.match(sentence, /^Connection "datarhei test": wrong username or password \(server said: "Invalid authorization credentials/);
      assert.ok(!sentence.includes(secret));
    }
  });

  it('no password → credentials before any request', async () => {
    const before = mock().env.stats.get('datarhei.login');
    const e = await rejects(login({}, ''), 'credentials');
    assert.equal(e.message, 'no password was given');
    assert.equal(mock().env.stats.get('datarhei.login'), before);
  });

  it('Auth0 login: the tenant token as Bearer, no body → a session for the Auth0 subject', async () => {
    setDatarheiAuth0(mock().env, true);
    const c = conn({ auth: 'auth0', username: undefined });
    const token = mintAuth0Token(clock(), 300);
    const s = await adapter.login(c, { secret: token }, ctxFor(c, clock));
    const sent = datarheiReceived(mock().env)
      .filter((r) => r.path === '/api/login')
      .pop();
    assert.ok(sent, 'the mock saw the login');
    assert.equal(sent.method, 'POST');
    assert.equal(sent.headers.authorization, `Bearer ${token}`);
    assert.equal(sent.headers['content-type'], undefined, 'no Content-Type without a body');
    assert.equal(sent.body, '');
    assert.ok(sent.headers['content-length'] === undefined || sent.headers['content-length'] === '0', String(sent.headers['content-length']));
    assert.equal(sent.headers['transfer-encoding'], undefined);
    assert.equal(s.authKind, 'auth0');
    assert.equal(s.jwt?.claims.sub, A.auth0.subject);
    assert.deepEqual(s.user, { name: A.auth0.subject });
    assert.equal(s.history[0].method, 'POST /api/login');
    const r = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock));
    assert.equal(r.response.status, 200);
    assert.deepEqual(r.response.body, []);
  });

  it('password login sends JSON with its Content-Type', async () => {
    await login();
    const sent = datarheiReceived(mock().env)
      .filter((r) => r.path === '/api/login')
      .pop();
    assert.equal(sent?.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(sent?.body ?? ''), { username: A.username, password: A.password });
  });

  it('a server that echoes the password or the Auth0 token: scrubbed from the error, the words kept', async () => {
    setDatarheiOptions(mock().env, { auth0: true, echoSecret: true });
    const e = await rejects(login({}, 'Hunter2-datarhei'), 'credentials');
    assert.equal(e.details.serverMessage, 'Invalid authorization credentials: invalid username or password: bad password ‹redacted›');
    assert.ok(!`${e.message} ${e.stack} ${describeError(e, conn())}`.includes('Hunter2-datarhei'));
    assert.match(describeError(e, conn()), /; check the username and password\.$/);

    const c = conn({ auth: 'auth0', username: undefined });
    const expired = mintAuth0Token(clock() - 3_600_000, 300);
    const e1 = await rejects(adapter.login(c, { secret: expired }, ctxFor(c, clock)), 'credentials');
    // The server's words are cut at 300 characters in the middle of the echoed token: the cut-off part is hidden too.
    assert.match(e1.details.serverMessage ?? '', /token is expired \(Bearer ‹redacted›/);
    assert.match(describeError(e1, c), /; get a fresh Auth0 token\.$/);
    assert.ok(!`${e1.message} ${e1.details.serverMessage} ${e1.stack}`.includes(expired));
  });

  it('Auth0 login with an expired token → credentials, the server says why', async () => {
    setDatarheiAuth0(mock().env, true);
    const c = conn({ auth: 'auth0' });
    const e = await rejects(adapter.login(c, { secret: mintAuth0Token(clock() - 3_600_000, 300) }, ctxFor(c, clock)), 'credentials');
    assert.equal(e.message, 'the Auth0 access token was rejected');
    assert.equal(e.details.status, 401);
    assert.equal(e.details.serverMessage, 'Invalid authorization credentials: token has invalid claims: token is expired');
  });

  it('Auth0 login on a server without Auth0 → config (400 "Missing authorization credentials")', async () => {
    setDatarheiAuth0(mock().env, false);
    const c = conn({ auth: 'auth0' });
    const e = await rejects(adapter.login(c, { secret: mintAuth0Token(clock(), 300) }, ctxFor(c, clock)), 'config');
    assert.equal(e.details.status, 400);
    assert.equal(e.details.serverMessage, 'Missing authorization credentials');
  });
});

describe('datarhei Core adapter: the deliberate bad-login delay', () => {
  const mock = useMockVendors({ lifetimes: { datarheiBadLoginDelayMs: 200 } });
  const conn = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    id: 'dr-delay',
    vendor: 'datarhei',
    baseUrl: mock().baseUrl('datarhei'),
    username: A.username,
    ...over,
  });

  it('the default 15 s timeout waits the delay out: wrong password → credentials after ≥ 200 ms', async () => {
    const c = conn();
    const t0 = Date.now();
    const e = await rejects(adapter.login(c, { secret: 'wrong' }, ctxFor(c)), 'credentials');
    assert.ok(Date.now() - t0 >= 190, `answered after ${Date.now() - t0} ms`);
    assert.equal(e.details.serverMessage, 'Invalid authorization credentials: invalid username or password');
  });

  it('a good login is not delayed', async () => {
    const c = conn();
    const before = mock().env.stats.get('datarhei.delayed');
    const s = await adapter.login(c, { secret: A.password }, ctxFor(c));
    assert.equal(mock().env.stats.get('datarhei.delayed'), before, 'the mock did not hold the answer back');
    assert.equal(s.jwt?.claims.exi, 600, 'default access lifetime');
    assert.equal(s.refreshJwt?.claims.exi, 86400, 'default refresh lifetime');
  });

  it('a timeoutMs shorter than the delay turns a wrong password into timeout', async () => {
    const c = conn({ timeoutMs: 100 });
    const e = await rejects(adapter.login(c, { secret: 'wrong' }, ctxFor(c)), 'timeout');
    assert.match(e.message, /no answer from http:\/\/127\.0\.0\.1:\d+ within 0\.1 s/);
  });
});

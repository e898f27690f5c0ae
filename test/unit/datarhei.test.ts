// datarhei Core: the loopback mock reproduces the answers captured from a real Core v16.16 server byte for byte,
// and the adapter logs in (password, Auth0), refreshes, calls and maps every failure to its AuthError kind.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { describeError } from '../../src/core/errors';
import { decodeJwt } from '../../src/core/jwt';
import type { ConnectionConfig, Session } from '../../src/core/types';
import { validateConnection } from '../../src/engine/config';
import { ADAPTERS } from '../../src/vendors';
import { datarheiAdapter as adapter } from '../../src/vendors/datarhei';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { changeDatarheiPassword, datarheiReceived, mintAuth0Token, setDatarheiAuth0, setDatarheiOptions } from '../mock-vendors/datarhei';
import { signHs256, verifyHs256 } from '../mock-vendors/jwt';
import { type MockVendors, startMockVendors } from '../mock-vendors/server';
import { ctxFor, rejects, testClock, TRANSPORT_FAULTS, useMockVendors } from './helpers';

const A = ACCOUNTS.datarhei;
/**
 * The time of the mock servers and of the client (token times, expiry, Auth0 tokens the tests mint): it moves only
 * when a test moves it. Real time matters only for the deliberate bad-login delay.
 */
const clock = testClock();

// The real server's bodies, as captured (Go's encoder ends each with a newline).
const ABOUT_SHORT_TRANSCRIPT = '{"app":"datarhei-core","auths":["localjwt"],"version":{"number":"16.0.0"}}\n';
const ABOUT_SHORT_WITH_AUTH0 = '{"app":"datarhei-core","auths":["localjwt","auth0"],"version":{"number":"16.0.0"}}\n';
const INVALID_JWT = '{"code":401,"message":"Unauthorized","details":["Missing or invalid JWT token"]}\n';
const BAD_CREDENTIALS = '{"code":401,"message":"Unauthorized","details":["Invalid authorization credentials: invalid username or password"]}\n';
const MISSING_CREDENTIALS = '{"code":400,"message":"Bad Request","details":["Missing authorization credentials"]}\n';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface RawAnswer {
  status: number;
  statusMessage: string;
  headerNames: string[];
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

/** One plain HTTP exchange, so that status line, header order and body bytes can be compared. */
function raw(url: string, method: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, headers: { ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? '',
            headerNames: res.rawHeaders.filter((_, i) => i % 2 === 0),
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: Date.now() - t0,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function claimsOf(token: string): Record<string, unknown> {
  const d = decodeJwt(token);
  assert.ok(d, 'a JWT');
  return d.claims;
}

/** Puts the mock server's clock (not the client's) `ms` ahead; returns the undo. */
function shiftMockClock(mock: MockVendors, ms: number): () => void {
  const before = mock.env.clock;
  mock.env.clock = () => before() + ms;
  return () => {
    mock.env.clock = before;
  };
}

describe('datarhei Core mock: wire format of the real server', () => {
  const DELAY_MS = 100;
  const mock = useMockVendors({ lifetimes: { datarheiAccessSec: 600, datarheiRefreshSec: 86400, datarheiBadLoginDelayMs: DELAY_MS }, clock });
  /** How many answers the mock has held back for the deliberate delay. */
  const delayed = () => mock().env.stats.get('datarhei.delayed');
  const url = (p: string) => `${mock().baseUrl('datarhei')}${p}`;
  const loginRaw = (body: string, contentType = 'application/json') => raw(url('/api/login'), 'POST', { 'Content-Type': contentType }, body);
  const goodLogin = async (): Promise<{ access_token: string; refresh_token: string }> => {
    const r = await loginRaw(JSON.stringify({ username: A.username, password: A.password }));
    assert.equal(r.status, 200);
    return JSON.parse(r.body) as { access_token: string; refresh_token: string };
  };
  let undo: (() => void) | undefined;
  afterEach(() => {
    undo?.();
    undo = undefined;
    setDatarheiAuth0(mock().env, true);
  });

  it('GET /api without a token: the short about, headers in the server order', async () => {
    setDatarheiAuth0(mock().env, true);
    const r = await raw(url('/api'), 'GET');
    assert.equal(r.status, 200);
    assert.equal(r.statusMessage, 'OK');
    assert.equal(r.body, ABOUT_SHORT_WITH_AUTH0);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers.vary, 'Origin');
    assert.deepEqual(r.headerNames.slice(0, 4), ['Content-Type', 'Vary', 'Date', 'Content-Length']);
    assert.equal(r.headers['content-length'], String(Buffer.byteLength(r.body)));
  });

  it('with Auth0 off, GET /api is the transcript byte for byte (75 bytes)', async () => {
    setDatarheiAuth0(mock().env, false);
    const r = await raw(url('/api'), 'GET');
    assert.equal(r.body, ABOUT_SHORT_TRANSCRIPT);
    assert.equal(r.headers['content-length'], '75');
  });

  it('startMockVendors({ datarheiAuth0: false }): GET /api is the transcript from the start (75 bytes)', async () => {
    const m = await startMockVendors({ datarheiAuth0: false, lifetimes: { datarheiBadLoginDelayMs: 50 } });
    try {
      const r = await raw(`${m.baseUrl('datarhei')}/api`, 'GET');
      assert.equal(r.body, ABOUT_SHORT_TRANSCRIPT);
      assert.equal(r.headers['content-length'], '75');
      assert.deepEqual(r.headerNames.slice(0, 4), ['Content-Type', 'Vary', 'Date', 'Content-Length']);
    } finally {
      await m.close();
    }
  });

  it('GET /ping → text/plain "pong" (4 bytes)', async () => {
    const r = await raw(url('/ping'), 'GET');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/plain; charset=UTF-8');
    assert.equal(r.headers.vary, 'Origin');
    assert.equal(r.body, 'pong');
    assert.equal(r.headers['content-length'], '4');
  });

  it('GET /api/v3/process without a token → 401 "Missing or invalid JWT token" (81 bytes)', async () => {
    const r = await raw(url('/api/v3/process'), 'GET');
    assert.equal(r.status, 401);
    assert.equal(r.statusMessage, 'Unauthorized');
    assert.equal(r.body, INVALID_JWT);
    assert.equal(r.headers['content-length'], '81');
    assert.equal(r.headers['content-type'], 'application/json');
  });

  it('HEAD /api/v3/process without a token → 401 with no body', async () => {
    const r = await raw(url('/api/v3/process'), 'HEAD');
    assert.equal(r.status, 401);
    assert.equal(r.body, '');
    assert.equal(r.headers.vary, 'Origin');
    assert.equal(r.headers['content-type'], undefined);
  });

  it('POST /api/login: access + refresh tokens with the claims in the server order, signed with user+password+secret', async () => {
    const r = await loginRaw(JSON.stringify({ username: A.username, password: A.password }));
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.match(r.body, /^\{"access_token":"eyJ[\w-]+\.[\w-]+\.[\w-]+","refresh_token":"eyJ[\w-]+\.[\w-]+\.[\w-]+"\}\n$/);
    const t = JSON.parse(r.body) as { access_token: string; refresh_token: string };
    for (const [token, usefor, exi] of [
      [t.access_token, 'access', 600],
      [t.refresh_token, 'refresh', 86400],
    ] as const) {
      const d = decodeJwt(token);
      assert.ok(d);
      assert.deepEqual(d.header, { alg: 'HS256', typ: 'JWT' });
      assert.equal(Buffer.from(token.split('.')[0], 'base64url').toString(), '{"alg":"HS256","typ":"JWT"}');
      assert.deepEqual(Object.keys(d.claims), ['exi', 'exp', 'iat', 'iss', 'jti', 'sub', 'usefor']);
      assert.equal(d.claims.exi, exi);
      assert.equal((d.claims.exp as number) - (d.claims.iat as number), exi);
      assert.equal(d.claims.iat, Math.floor(clock() / 1000));
      assert.equal(d.claims.iss, 'datarhei-core');
      assert.match(String(d.claims.jti), UUID);
      assert.equal(d.claims.sub, A.username);
      assert.equal(d.claims.usefor, usefor);
      assert.ok(verifyHs256(token, A.username + A.password + A.jwtSecret), 'signed with username+password+jwt secret');
      assert.equal(verifyHs256(token, A.jwtSecret), null);
    }
    assert.notEqual(claimsOf(t.access_token).jti, claimsOf(t.refresh_token).jti);
  });

  it('GET /api with an access token: the full about, in the server key order', async () => {
    const t = await goodLogin();
    const r = await raw(url('/api'), 'GET', { Authorization: `Bearer ${t.access_token}` });
    assert.equal(r.status, 200);
    const about = JSON.parse(r.body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(about), ['app', 'auths', 'name', 'id', 'created_at', 'uptime_seconds', 'version']);
    assert.equal(about.app, 'datarhei-core');
    assert.deepEqual(about.auths, ['localjwt', 'auth0']);
    assert.match(String(about.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(typeof about.uptime_seconds, 'number');
    assert.deepEqual(about.version, {
      number: '16.16.0',
      repository_commit: '0de97f4a6b2e390ebde9ff702b95de3260119566',
      repository_branch: 'main',
      build_date: '',
      arch: 'linux/amd64',
      compiler: 'go1.23.5',
    });
    assert.ok(r.body.endsWith('}\n'));
  });

  it('GET /api with a refresh token, an expired or a garbage token falls back to the short about', async () => {
    const t = await goodLogin();
    for (const auth of [`Bearer ${t.refresh_token}`, 'Bearer not.a.jwt', 'Bearer ']) {
      const r = await raw(url('/api'), 'GET', { Authorization: auth });
      assert.equal(r.status, 200);
      assert.equal(r.body, ABOUT_SHORT_WITH_AUTH0);
    }
    undo = shiftMockClock(mock(), 601_000);
    const r = await raw(url('/api'), 'GET', { Authorization: `Bearer ${t.access_token}` });
    assert.equal(r.body, ABOUT_SHORT_WITH_AUTH0);
  });

  it('GET /api/v3/process with the access token → "[]" with Vary Origin + Accept-Encoding; lowercase "bearer" works', async () => {
    const t = await goodLogin();
    for (const scheme of ['Bearer', 'bearer']) {
      const r = await raw(url('/api/v3/process'), 'GET', { Authorization: `${scheme} ${t.access_token}` });
      assert.equal(r.status, 200);
      assert.equal(r.body, '[]\n');
      assert.equal(r.headers['content-length'], '3');
      assert.equal(r.headers.vary, 'Origin, Accept-Encoding');
      assert.deepEqual(r.headerNames.slice(0, 5), ['Content-Type', 'Vary', 'Vary', 'Date', 'Content-Length']);
    }
  });

  it('GET /api/login/refresh: refresh token → only a new access token; access token / none → 401', async () => {
    const t = await goodLogin();
    const before = mock().env.stats.get('datarhei.refresh');
    const r = await raw(url('/api/login/refresh'), 'GET', { Authorization: `Bearer ${t.refresh_token}` });
    assert.equal(r.status, 200);
    const body = JSON.parse(r.body) as Record<string, string>;
    assert.deepEqual(Object.keys(body), ['access_token']);
    assert.equal(claimsOf(body.access_token).usefor, 'access');
    assert.equal(claimsOf(body.access_token).exi, 600);
    assert.equal(mock().env.stats.get('datarhei.refresh'), before + 1);
    for (const headers of [{ Authorization: `Bearer ${t.access_token}` }, {}] as Record<string, string>[]) {
      const bad = await raw(url('/api/login/refresh'), 'GET', headers);
      assert.equal(bad.status, 401);
      assert.equal(bad.body, INVALID_JWT);
    }
    assert.equal(mock().env.stats.get('datarhei.refresh'), before + 1);
  });

  it('a refresh token on /api/v3 is rejected', async () => {
    const t = await goodLogin();
    const r = await raw(url('/api/v3/process'), 'GET', { Authorization: `Bearer ${t.refresh_token}` });
    assert.equal(r.status, 401);
    assert.equal(r.body, INVALID_JWT);
  });

  it('expired access token on /api/v3 and expired refresh token on refresh → 401', async () => {
    const t = await goodLogin();
    undo = shiftMockClock(mock(), 601_000);
    assert.equal((await raw(url('/api/v3/process'), 'GET', { Authorization: `Bearer ${t.access_token}` })).body, INVALID_JWT);
    const stillOk = await raw(url('/api/login/refresh'), 'GET', { Authorization: `Bearer ${t.refresh_token}` });
    assert.equal(stillOk.status, 200, 'the refresh token outlives the access token');
    undo();
    undo = shiftMockClock(mock(), 86_401_000);
    const r = await raw(url('/api/login/refresh'), 'GET', { Authorization: `Bearer ${t.refresh_token}` });
    assert.equal(r.status, 401);
    assert.equal(r.body, INVALID_JWT);
  });

  it('bad signature, garbage, alg none and a token without usefor → 401; a self-minted token with the right key → 200', async () => {
    const t = await goodLogin();
    const [h, p] = t.access_token.split('.');
    const key = A.username + A.password + A.jwtSecret;
    const iat = Math.floor(clock() / 1000);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
    const noUsefor = signHs256({ exi: 600, exp: iat + 600, iat, iss: 'datarhei-core', jti: 'x', sub: 'admin' }, key);
    for (const token of [
      `${h}.${p}.AAAA${t.access_token.split('.')[2].slice(4)}`,
      'garbage',
      none,
      noUsefor,
      signHs256(claimsOf(t.access_token), A.jwtSecret),
    ]) {
      const r = await raw(url('/api/v3/process'), 'GET', { Authorization: `Bearer ${token}` });
      assert.equal(r.status, 401, token.slice(0, 20));
      assert.equal(r.body, INVALID_JWT);
    }
    const forged = signHs256({ exi: 600, exp: iat + 600, iat, iss: 'datarhei-core', jti: 'x', sub: 'admin', usefor: 'access' }, key);
    const ok = await raw(url('/api/v3/process'), 'GET', { Authorization: `Bearer ${forged}` });
    assert.equal(ok.status, 200);
    assert.equal(ok.body, '[]\n');
  });

  it('wrong password and wrong username → 401 after the deliberate delay (116 bytes)', async () => {
    for (const creds of [
      { username: A.username, password: 'nope' },
      { username: 'someone', password: A.password },
    ]) {
      const before = delayed();
      const r = await loginRaw(JSON.stringify(creds));
      assert.equal(r.status, 401);
      assert.equal(r.body, BAD_CREDENTIALS);
      assert.equal(r.headers['content-length'], '116');
      assert.equal(delayed(), before + 1, 'held back for the delay');
      assert.ok(r.ms >= DELAY_MS - 10, `answered after ${r.ms} ms`);
    }
  });

  it('malformed JSON, a missing field, an empty body and a form-encoded body → 400 after the delay (85 bytes)', async () => {
    const bodies: [string, string][] = [
      ['{"username":"admin","password":', 'application/json'],
      [JSON.stringify({ username: A.username }), 'application/json'],
      ['', 'application/json'],
      [`username=${A.username}&password=${A.password}`, 'application/x-www-form-urlencoded'],
    ];
    for (const [body, type] of bodies) {
      const before = delayed();
      const r = await loginRaw(body, type);
      assert.equal(r.status, 400, body);
      assert.equal(r.statusMessage, 'Bad Request');
      assert.equal(r.body, MISSING_CREDENTIALS);
      assert.equal(r.headers['content-length'], '85');
      assert.equal(delayed(), before + 1, 'held back for the delay');
      assert.ok(r.ms >= DELAY_MS - 10, `answered after ${r.ms} ms`);
    }
  });

  it('GET /api/login → 401 "Missing or invalid JWT token" at once', async () => {
    const before = delayed();
    const r = await raw(url('/api/login'), 'GET');
    assert.equal(r.status, 401);
    assert.equal(r.body, INVALID_JWT);
    assert.equal(delayed(), before, 'not held back: only a refused POST /api/login waits');
  });

  it('Auth0: a valid tenant token logs in; expired, foreign-issuer or wrong-user tokens → 401 after the delay', async () => {
    const first = delayed();
    const ok = await raw(url('/api/login'), 'POST', { Authorization: `Bearer ${mintAuth0Token(clock(), 300)}` });
    assert.equal(ok.status, 200);
    assert.equal(delayed(), first, 'a good login is not held back');
    const t = JSON.parse(ok.body) as { access_token: string; refresh_token: string };
    assert.equal(claimsOf(t.access_token).sub, A.auth0.subject);
    assert.equal(claimsOf(t.refresh_token).usefor, 'refresh');
    const cases: [string, string][] = [
      [mintAuth0Token(clock() - 600_000, 300), 'token has invalid claims: token is expired'],
      [mintAuth0Token(clock(), 300, { iss: 'https://evil.example/' }), 'no tenant for issuer found'],
      [mintAuth0Token(clock(), 300, { sub: 'auth0|stranger' }), 'user not allowed'],
      [mintAuth0Token(clock(), 300, { aud: 'https://other-api' }), 'token has invalid claims: token has invalid audience'],
    ];
    for (const [token, detail] of cases) {
      const before = delayed();
      const r = await raw(url('/api/login'), 'POST', { Authorization: `Bearer ${token}` });
      assert.equal(r.status, 401);
      assert.equal(r.body, `{"code":401,"message":"Unauthorized","details":["Invalid authorization credentials: ${detail}"]}\n`);
      assert.equal(delayed(), before + 1, 'held back for the delay');
      assert.ok(r.ms >= DELAY_MS - 10, `answered after ${r.ms} ms`);
    }
  });

  it('Auth0 off: an Auth0 token is not a credential → 400', async () => {
    setDatarheiAuth0(mock().env, false);
    const r = await raw(url('/api/login'), 'POST', { Authorization: `Bearer ${mintAuth0Token(clock(), 300)}` });
    assert.equal(r.status, 400);
    assert.equal(r.body, MISSING_CREDENTIALS);
  });

  it('a password change invalidates every issued token', async () => {
    const t = await goodLogin();
    changeDatarheiPassword(mock().env, 'changed-pass');
    try {
      assert.equal((await raw(url('/api/v3/process'), 'GET', { Authorization: `Bearer ${t.access_token}` })).status, 401);
      assert.equal((await raw(url('/api/login/refresh'), 'GET', { Authorization: `Bearer ${t.refresh_token}` })).status, 401);
      assert.equal((await loginRaw(JSON.stringify({ username: A.username, password: A.password }))).status, 401);
      const r = await loginRaw(JSON.stringify({ username: A.username, password: 'changed-pass' }));
      assert.equal(r.status, 200);
      const fresh = JSON.parse(r.body) as { access_token: string };
      assert.equal((await raw(url('/api/v3/process'), 'GET', { Authorization: `Bearer ${fresh.access_token}` })).status, 200);
    } finally {
      changeDatarheiPassword(mock().env, A.password);
    }
    assert.equal((await raw(url('/api/v3/process'), 'GET', { Authorization: `Bearer ${t.access_token}` })).status, 200, 'same key again');
  });
});

describe('datarhei Core adapter', () => {
  const mock = useMockVendors({ lifetimes: { datarheiAccessSec: 3, datarheiRefreshSec: 8, datarheiBadLoginDelayMs: 50 }, clock });
  const conn = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    id: 'dr-test',
    label: 'datarhei test',
    vendor: 'datarhei',
    baseUrl: mock().baseUrl('datarhei'),
    username: A.username,
    ...over,
  });
  const login = (over: Partial<ConnectionConfig> = {}, secret: string = A.password): Promise<Session> => {
    const c = conn(over);
    return adapter.login(c, { secret }, ctxFor(c, clock));
  };
  let undo: (() => void) | undefined;
  afterEach(() => {
    undo?.();
    undo = undefined;
    setDatarheiOptions(mock().env, { auth0: true, echoSecret: false });
  });

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

  it('refresh: a new access token, the same refresh token, a "refresh" history entry', async () => {
    const c = conn();
    const s = await login();
    clock.advance(1000); // a new second, so the new token's iat differs
    const before = mock().env.stats.get('datarhei.refresh');
    const s2 = await adapter.refresh!(c, s, ctxFor(c, clock));
    assert.equal(mock().env.stats.get('datarhei.refresh'), before + 1);
    assert.notEqual(s2.token, s.token);
    assert.equal(s2.refreshToken, s.refreshToken);
    assert.equal(s2.refreshExpiresAt, s.refreshExpiresAt);
    assert.deepEqual(s2.attach, { kind: 'header', name: 'Authorization', value: `Bearer ${s2.token}` });
    assert.equal(s2.jwt?.claims.usefor, 'access');
    assert.ok((s2.jwt?.claims.iat as number) > (s.jwt?.claims.iat as number));
    assert.equal(s2.expiresAt, (s2.jwt?.claims.exp as number) * 1000);
    assert.equal(s2.history.length, 2);
    const h = s2.history[1];
    assert.equal(h.event, 'refresh');
    assert.equal(h.method, 'GET /api/login/refresh');
    assert.equal(h.token, s2.token);
    assert.equal(h.replaced, s.token);
    assert.equal(h.expiresAt, s2.expiresAt);
    const r = await adapter.request(c, s2, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock));
    assert.equal(r.response.status, 200);
  });

  it('refresh with an access token in place of the refresh token → expired', async () => {
    const c = conn();
    const s = await login();
    const e = await rejects(adapter.refresh!(c, { ...s, refreshToken: s.token, refreshExpiresAt: s.expiresAt }, ctxFor(c, clock)), 'expired');
    assert.equal(e.message, 'the refresh token was rejected');
    assert.equal(e.details.status, 401);
    assert.equal(e.details.serverMessage, 'Missing or invalid JWT token');
  });

  it('expired access token → request throws expired; a refresh brings calls back', async () => {
    const c = conn();
    const s = await login();
    undo = shiftMockClock(mock(), 4000);
    const e = await rejects(adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock)), 'expired');
    assert.equal(e.message, 'the access token was rejected');
    assert.equal(e.details.serverMessage, 'Missing or invalid JWT token');
    const s2 = await adapter.refresh!(c, s, ctxFor(c, clock));
    const r = await adapter.request(c, s2, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock));
    assert.equal(r.response.status, 200);
  });

  it('the access token expires when the time reaches its exp (3 s)', async () => {
    const c = conn();
    const s = await login();
    const ok = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock));
    assert.equal(ok.response.status, 200);
    assert.ok(s.expiresAt !== null);
    clock.advance(s.expiresAt - clock() - 1);
    const late = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock));
    assert.equal(late.response.status, 200, 'a millisecond before exp');
    clock.advance(1);
    await rejects(adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock)), 'expired');
  });

  it('expired refresh token → refresh throws expired (server check and client check)', async () => {
    const c = conn();
    const s = await login();
    undo = shiftMockClock(mock(), 9000);
    const e = await rejects(adapter.refresh!(c, s, ctxFor(c, clock)), 'expired');
    assert.equal(e.message, 'the refresh token was rejected');
    assert.equal(e.details.serverMessage, 'Missing or invalid JWT token');
    undo();
    undo = undefined;
    const before = mock().env.stats.get('datarhei.refresh');
    const e2 = await rejects(
      adapter.refresh!(
        c,
        s,
        ctxFor(c, () => clock() + 9000),
      ),
      'expired',
    );
    assert.equal(e2.message, 'the refresh token has expired');
    assert.equal(mock().env.stats.get('datarhei.refresh'), before, 'no request was sent');
  });

  it('a password change on the server: calls and refresh → expired', async () => {
    const c = conn();
    const s = await login();
    changeDatarheiPassword(mock().env, 'rotated-pass');
    try {
      await rejects(adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock)), 'expired');
      await rejects(adapter.refresh!(c, s, ctxFor(c, clock)), 'expired');
      await rejects(login(), 'credentials');
      const s2 = await login({}, 'rotated-pass');
      assert.equal((await adapter.request(c, s2, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock))).response.status, 200);
    } finally {
      changeDatarheiPassword(mock().env, A.password);
    }
  });

  it('requests: full about with the token, config, skills, ping as text, 404 returned not thrown', async () => {
    const c = conn();
    const s = await login();
    const before = mock().env.stats.get('datarhei.call');
    const about = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api' }, ctxFor(c, clock));
    assert.equal(about.response.status, 200);
    assert.equal((about.response.body as Record<string, unknown>).name, 'nameless-snowflake-2665');
    assert.equal(about.response.contentType, 'application/json');
    assert.ok(about.session.lastUsedAt >= s.lastUsedAt);
    const cfg = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/config' }, ctxFor(c, clock));
    const config = (cfg.response.body as { config: { api: { auth: { username: string; password: string } } } }).config;
    assert.equal(config.api.auth.username, A.username);
    assert.equal(config.api.auth.password, '');
    assert.ok(!cfg.response.rawBody.includes(A.password));
    const skills = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/skills' }, ctxFor(c, clock));
    assert.equal(skills.response.status, 200);
    assert.equal(mock().env.stats.get('datarhei.call'), before + 2);
    const ping = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/ping' }, ctxFor(c, clock));
    assert.equal(ping.response.body, 'pong');
    assert.equal(ping.response.rawBody, 'pong');
    const missing = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/nothing' }, ctxFor(c, clock));
    assert.equal(missing.response.status, 404);
    await rejects(adapter.request(c, s, { kind: 'rpc', method: 'Login' }, ctxFor(c, clock)), 'config');
  });

  describe('faults', () => {
    for (const [fault, kind, msg] of TRANSPORT_FAULTS) {
      it(`login with fault ${fault} → ${kind}`, async () => {
        mock().setFault('datarhei', { fault: { kind: fault } });
        const e = await rejects(login(), kind);
        assert.match(e.message, msg);
      });
    }

    it('refresh with fault status500 → server; a call with status500 is returned, not thrown', async () => {
      const c = conn();
      const s = await login();
      mock().setFault('datarhei', { fault: { kind: 'status500' }, times: 2 });
      await rejects(adapter.refresh!(c, s, ctxFor(c, clock)), 'server');
      const r = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock));
      assert.equal(r.response.status, 500);
      assert.equal(r.response.body, 'Internal Server Error');
    });

    it('a delay longer than timeoutMs → timeout', async () => {
      mock().setFault('datarhei', { fault: { kind: 'delay', ms: 400 } });
      const e = await rejects(login({ timeoutMs: 100 }), 'timeout');
      assert.match(e.message, /within 0\.1 s/);
    });

    it('a server that is not there → network', async () => {
      const e = await rejects(login({ baseUrl: 'http://127.0.0.1:1/datarhei' }), 'network');
      assert.match(e.message, /refused/);
    });
  });

  describe('HTTPS with a self-signed certificate', () => {
    it('is rejected by default → tls', async () => {
      await rejects(login({ baseUrl: mock().baseUrl('datarhei', true) }), 'tls');
    });

    it('works with tls.rejectUnauthorized false', async () => {
      const c = conn({ baseUrl: mock().baseUrl('datarhei', true), tls: { rejectUnauthorized: false } });
      const s = await adapter.login(c, { secret: A.password }, ctxFor(c, clock));
      const r = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock));
      assert.equal(r.response.status, 200);
      const s2 = await adapter.refresh!(c, s, ctxFor(c, clock));
      assert.equal(s2.refreshToken, s.refreshToken);
    });
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

// datarhei Core mock, its tokens: the login answer, refresh, expiry and forged tokens, as a real Core v16.16 server.
import * as assert from 'node:assert/strict';
import { decodeJwt } from '../../src/core/jwt';
import { signHs256, verifyHs256 } from '../mock-vendors/jwt';
import { A, ABOUT_SHORT_WITH_AUTH0, claimsOf, clock, INVALID_JWT, raw, useWireMock, UUID } from './datarhei-fixtures';
import { shiftMockClock } from './helpers';

describe('datarhei Core mock: wire format of the real server', () => {
  const { mock, url, loginRaw, goodLogin } = useWireMock();
  let undo: (() => void) | undefined;
  afterEach(() => {
    undo?.();
    undo = undefined;
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
});

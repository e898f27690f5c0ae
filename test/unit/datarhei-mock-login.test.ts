// datarhei Core mock, refused logins: bad credentials, malformed bodies and Auth0 tokens after the deliberate delay,
// and a password change, as a real Core v16.16 server answers them.
import * as assert from 'node:assert/strict';
import { changeDatarheiPassword, mintAuth0Token, setDatarheiAuth0 } from '../mock-vendors/datarhei';
import { A, BAD_CREDENTIALS, clock, DELAY_MS, INVALID_JWT, MISSING_CREDENTIALS, raw, useWireMock } from './datarhei-fixtures';

describe('datarhei Core mock: wire format of the real server', () => {
  const { mock, delayed, url, loginRaw, goodLogin } = useWireMock();

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

// Code42 as the official SDK (py42) sees it (../shared/PROTOCOLS.md §6): the token at /api/v3/auth/jwt by default
// (/c42api/v3/auth/jwt still selectable), LoginConfiguration asked after a failed login to tell an SSO account from a
// wrong password, and absolute API paths joined against a server root such as https://host:4285.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError } from '../../src/core/errors';
import { code42Adapter as adapter, loginConfigurationPath } from '../../src/vendors/code42';
import { code42LoginConfigurationAsked } from '../mock-vendors/code42';
import { clock, rawGet, U, useCode42 } from './code42-fixtures';
import { ctxFor, rejects } from './helpers';

/**
 * A server at a bare root (`http://127.0.0.1:PORT`, like `https://host:4285`) that forwards every request to the
 * Code42 mock under its `/code42` prefix; requests whose path matches `hang` get no answer at all.
 */
async function rootServer(target: string, hang?: RegExp): Promise<{ url: string; paths: string[]; close(): Promise<void> }> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    if (hang?.test(req.url ?? '')) return;
    const up = http.request(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('Code42 as the official SDK sees it', () => {
  const { mock, conn, login, get } = useCode42();

  it('Code42 logs in at /api/v3/auth/jwt by default and at /c42api/v3/auth/jwt when tokenPath says so', async () => {
    const before = mock().env.stats.get('code42.login');
    assert.equal((await login()).history[0].method, 'GET /api/v3/auth/jwt');
    assert.equal((await login({ tokenPath: '/c42api/v3/auth/jwt' })).history[0].method, 'GET /c42api/v3/auth/jwt');
    assert.equal(mock().env.stats.get('code42.login'), before + 2);
  });

  it('Code42 LoginConfiguration answers LOCAL, LOCAL_2FA and CLOUD_SSO without auth, under /api and /c42api', async () => {
    for (const prefix of ['/api', '/c42api']) {
      const ask = async (username: string) => {
        const r = await rawGet(`${mock().baseUrl('code42')}${prefix}/v3/LoginConfiguration?username=${encodeURIComponent(username)}`, {});
        assert.equal(r.status, 200);
        assert.match(r.type, /^application\/json/);
        return (JSON.parse(r.body) as { data: { loginType: string } }).data.loginType;
      };
      assert.equal(await ask(U.username), 'LOCAL');
      assert.equal(await ask(U.mfa.username), 'LOCAL_2FA');
      assert.equal(await ask(U.sso.username), 'CLOUD_SSO');
      assert.equal(await ask('nobody@example.com'), 'LOCAL_2FA', 'an unknown user reads LOCAL_2FA, as py42 documents');
    }
  });

  for (const auth of ['token', 'basic'] as const) {
    it(`Code42 SSO account (${auth}): "this account signs in through SSO; the API needs a local account"`, async () => {
      const c = conn({ username: U.sso.username, auth });
      const e = await rejects(adapter.login(c, { secret: U.sso.password }, ctxFor(c, clock)), 'config');
      assert.equal(e.message, 'this account signs in through SSO; the API needs a local account');
      assert.equal(e.details.status, 401, 'the refused login is still named');
      assert.equal(
        describeError(e, c),
        'Connection "Code42 test": this account signs in through SSO; the API needs a local account (server said: "Could not authenticate user"); ' +
          'put a local Code42 account (one made in the Code42 console, not through the identity provider) in "username".',
      );
      const q = code42LoginConfigurationAsked(mock().env);
      assert.deepEqual(q, { path: '/api/v3/LoginConfiguration', username: U.sso.username, authorization: false }, 'asked without credentials');
      assert.ok(!describeError(e, c).includes(U.sso.password));
    });
  }

  it('Code42 asks LoginConfiguration under /c42api when the token path is the legacy one', async () => {
    await rejects(login({ username: U.sso.username, tokenPath: '/c42api/v3/auth/jwt' }, { secret: U.sso.password }), 'config');
    assert.equal(code42LoginConfigurationAsked(mock().env)?.path, '/c42api/v3/LoginConfiguration');
    assert.equal(loginConfigurationPath(conn({ auth: 'basic', tokenPath: '/c42api/v3/auth/jwt' })), '/api/v3/LoginConfiguration');
  });

  it('Code42 wrong password of a local account stays "wrong username or password" after LoginConfiguration says LOCAL', async () => {
    const asked = mock().env.stats.get('code42.loginConfiguration');
    const e = await rejects(login({}, { secret: 'bad-pass' }), 'credentials');
    assert.equal(e.message, 'wrong username or password');
    assert.equal(mock().env.stats.get('code42.loginConfiguration'), asked + 1, 'the question was asked');
  });

  it('Code42 reads loginType at the top level too (no "data" wrapper)', async () => {
    mock().setFault('code42', {
      fault: { kind: 'reply', path: '/api/v3/LoginConfiguration', status: 200, contentType: 'application/json', body: '{"loginType":"CLOUD_SSO"}' },
      times: 1,
    });
    const e = await rejects(login({}, { secret: 'bad-pass' }), 'config');
    assert.match(e.message, /signs in through SSO/);
  });

  const broken: [string, number, string, string][] = [
    ['HTTP 500', 500, 'text/plain', 'Internal Server Error'],
    ['HTTP 404', 404, 'application/json', '[{"name":"NOT_FOUND","description":"No such resource"}]'],
    ['an HTML page', 200, 'text/html', '<!DOCTYPE html><html><body>Sign in</body></html>'],
    ['text that is not JSON', 200, 'application/json', '{"loginType":'],
    ['JSON without loginType', 200, 'application/json', '{"data":{"type":"CLOUD_SSO"}}'],
  ];
  for (const [what, status, contentType, body] of broken) {
    it(`Code42 LoginConfiguration answering ${what} never hides the original login error`, async () => {
      mock().setFault('code42', { fault: { kind: 'reply', path: '/api/v3/LoginConfiguration', status, contentType, body }, times: 1 });
      const e = await rejects(login({ username: U.sso.username }, { secret: U.sso.password }), 'credentials');
      assert.equal(e.message, 'wrong username or password');
      assert.equal(e.details.serverMessage, 'Could not authenticate user');
    });
  }

  it('Code42 LoginConfiguration that never answers: the original error within the timeout + 1 s', async () => {
    const root = await rootServer(mock().baseUrl('code42'), /LoginConfiguration/);
    try {
      const c = conn({ baseUrl: root.url, username: U.sso.username, timeoutMs: 400 });
      const t0 = Date.now();
      const e = await rejects(adapter.login(c, { secret: U.sso.password }, ctxFor(c, clock)), 'credentials');
      assert.ok(Date.now() - t0 < 1400, `took ${Date.now() - t0} ms`);
      assert.equal(e.details.serverMessage, 'Could not authenticate user');
      assert.ok(root.paths.some((p) => p.startsWith('/api/v3/LoginConfiguration?username=sso%40example.com')));
    } finally {
      await root.close();
    }
  });

  it('Code42 absolute API paths (/api/v1/…) work on a bare server root, with no path prefix', async () => {
    const root = await rootServer(mock().baseUrl('code42'));
    try {
      const c = conn({ baseUrl: root.url });
      const s = await adapter.login(c, { secret: U.password }, ctxFor(c, clock));
      for (const path of ['/api/v1/Computer', '/api/v1/Org/my', '/api/User/my']) {
        const r = await get(c, s, path);
        assert.equal(r.response.status, 200, path);
      }
      assert.deepEqual(
        root.paths.map((p) => p.replace(/\?.*$/, '')),
        ['/api/v3/auth/jwt', '/api/v1/Computer', '/api/v1/Org/my', '/api/User/my'],
      );
    } finally {
      await root.close();
    }
  });
});

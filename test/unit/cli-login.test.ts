// The `api-auth` CLI as a user runs it, logging in: every vendor and credential kind, the exit codes of failed logins.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { credentialSecrets, sessionJson } from '../../src/cli/output';
import { REDACTED } from '../../src/core/redact';
import { createSession, pushHistory } from '../../src/core/session';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { totpOf } from '../mock-vendors/code42';
import { mintAuth0Token } from '../mock-vendors/datarhei';
import { assertNoLeak, brokenIndex, cli, config, dir, leakForms, login, USERNAMES, useCli } from './cli-fixtures';

describe('api-auth CLI', function () {
  this.timeout(30_000);
  const mock = useCli();

  const cases: [string, string, string, string][] = [
    ['cove', ACCOUNTS.cove.password, 'jsonrpc', 'sliding-idle'],
    ['cv-json', ACCOUNTS.commvault.password, 'header', 'sliding-idle'],
    ['cv-xml', ACCOUNTS.commvault.password, 'header', 'sliding-idle'],
    ['ipc', ACCOUNTS.ipcortex.password, 'cookie', 'unknown'],
    ['ipc-key-header', ACCOUNTS.ipcortex.apiKey, 'header', 'per-request'],
    ['ipc-key-body', ACCOUNTS.ipcortex.apiKey, 'body', 'per-request'],
    ['c42-basic', ACCOUNTS.code42.password, 'header', 'per-request'],
    ['c42-token', ACCOUNTS.code42.password, 'header', 'exp-claim'],
    ['dr', ACCOUNTS.datarhei.password, 'header', 'exp-claim'],
  ];
  for (const [id, secret, attach, because] of cases) {
    it(`login ${id} --json prints the session (attach ${attach}, expiry ${because})`, async () => {
      const r = await login(id, secret);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as Record<string, unknown>;
      assert.equal(out.connection, id);
      assert.equal((out.attach as { kind: string }).kind, attach);
      assert.equal(out.expiresBecause, because);
      assert.equal(typeof out.token, 'string');
      assert.ok(Array.isArray(out.history) && out.history.length === 1);
      for (const k of ['vendor', 'issuedAt', 'expiresAt', 'claims', 'header', 'refreshToken', 'refreshExpiresAt']) assert.ok(k in out, `missing ${k}`);
      // The password / API key never appears, in any form; the one-line summary neither.
      assertNoLeak(r, leakForms(secret, USERNAMES[id]));
      const text = await cli(['login', id, '--config', config, '--secret-stdin'], { stdin: `${secret}\n` });
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^Logged in to "/);
      assertNoLeak(text, leakForms(secret, USERNAMES[id]));
    });
  }

  it('login --json masks a credential that is the secret itself (Basic, API key in header or body) and prints real tokens', async () => {
    const basic = JSON.parse((await login('c42-basic', ACCOUNTS.code42.password)).stdout) as Record<string, unknown>;
    assert.deepEqual(basic.attach, { kind: 'header', name: 'Authorization', value: `Basic ${REDACTED}` });
    assert.equal(basic.token, `Basic credentials of ${ACCOUNTS.code42.username}`, 'the descriptive token (no secret) stays');
    const header = JSON.parse((await login('ipc-key-header', ACCOUNTS.ipcortex.apiKey)).stdout) as {
      attach: unknown;
      token: string;
      history: { token: string }[];
    };
    assert.deepEqual(header.attach, { kind: 'header', name: 'Authorization', value: `token auth=${REDACTED}` });
    assert.equal(header.token, REDACTED);
    assert.deepEqual(
      header.history.map((h) => h.token),
      [REDACTED],
    );
    const body = JSON.parse((await login('ipc-key-body', ACCOUNTS.ipcortex.apiKey)).stdout) as { attach: unknown; token: string };
    assert.deepEqual(body.attach, { kind: 'body', name: 'auth.key', value: REDACTED });
    assert.equal(body.token, REDACTED);
    // Session tokens the server issued are the point of login --json: printed whole.
    const cv = JSON.parse((await login('cv-json', ACCOUNTS.commvault.password)).stdout) as { attach: { value: string }; token: string };
    assert.match(cv.token, /^QSDK [0-9a-f]{64,}$/);
    assert.equal(cv.attach.value, cv.token);
    const c42 = JSON.parse((await login('c42-token', ACCOUNTS.code42.password)).stdout) as { attach: { value: string }; token: string };
    assert.equal(c42.attach.value, `Bearer ${c42.token}`);
    assert.match(c42.token, /^eyJ/);
    const ipc = JSON.parse((await login('ipc', ACCOUNTS.ipcortex.password)).stdout) as { attach: { value: string }; token: string };
    assert.match(ipc.token, /^[0-9a-f]{40}$/);
    assert.equal(ipc.attach.value, ipc.token);
  });

  it('sessionJson masks the key in the token, the attach value and the whole history of an API-key session', () => {
    const key = 'ipck-0123456789abcdefghijklmnopqrstuvwxyz';
    const s = pushHistory(
      createSession({
        connectionId: 'k',
        vendor: 'ipcortex',
        authKind: 'apiKey',
        token: key,
        attach: { kind: 'header', name: 'Authorization', value: `token auth=${key}` },
        now: 0,
        method: 'POST /rest/user/list',
        perRequest: true,
      }),
      { at: 1, event: 'relogin', method: 'POST /rest/user/list', token: key, replaced: key, expiresAt: null },
    );
    assert.equal(s.history.length, 2);
    assert.deepEqual(credentialSecrets(s), [key]);
    const out = JSON.stringify(sessionJson({ id: 'k', vendor: 'ipcortex', baseUrl: 'http://127.0.0.1:9' }, s));
    assert.ok(!out.includes(key));
    assert.equal(out.split(REDACTED).length - 1, 5, 'token, attach value, two history tokens and one replaced');
    assert.deepEqual(credentialSecrets({ ...s, authKind: 'password' }), [], 'a session token is not masked');
  });

  it('login datarhei: claims with exi, refresh token and its expiry, ISO times', async () => {
    const r = await login('dr', ACCOUNTS.datarhei.password);
    const out = JSON.parse(r.stdout) as { claims: Record<string, unknown>; refreshToken: string; refreshExpiresAt: string; expiresAt: string; header: unknown };
    assert.equal(out.claims.exi, 600);
    assert.equal(out.claims.usefor, 'access');
    assert.deepEqual(out.header, { alg: 'HS256', typ: 'JWT' });
    assert.match(out.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(out.refreshToken.startsWith('eyJ'));
    assert.ok(Date.parse(out.refreshExpiresAt) - Date.parse(out.expiresAt) > 80_000_000);
  });

  it('login with an Auth0 token, read from API_AUTH_SECRET', async () => {
    const r = await cli(['login', 'dr-auth0', '--json', '--config', config], { env: { API_AUTH_SECRET: mintAuth0Token(Date.now(), 300) } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { claims: { usefor: string } }).claims.usefor, 'access');
  });

  it('Code42 two-factor: without a code exits 4 and says so; with --totp it logs in', async () => {
    const without = await login('c42-mfa', ACCOUNTS.code42.mfa.password);
    assert.equal(without.code, 4);
    assert.match(without.stderr, /^api-auth: Connection "c42-mfa": .*two-factor code.*\n$/);
    // No terminal to ask on: the way forward is the option, and the line says so.
    assert.match(without.stderr, /; retry with --totp CODE \(the current code from your authenticator app\)\.\n$/);
    assert.equal(without.stderr.split('\n').filter(Boolean).length, 1);
    const code = totpOf(ACCOUNTS.code42.mfa.totpSecret).generate();
    const withCode = await login('c42-mfa', ACCOUNTS.code42.mfa.password, ['--totp', code]);
    assert.equal(withCode.code, 0, withCode.stderr);
    assert.ok(!withCode.stderr.includes(code));
  });

  it('a wrong password exits 3 with one line naming the connection, without the password', async () => {
    const r = await login('cove', 'Wrong-Pass-123');
    assert.equal(r.code, 3);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1);
    assert.match(
      r.stderr,
      /^api-auth: Connection "Acme Cove": wrong partner, username or password \(server said: "Unknown partner\/username or bad password"\); /,
    );
    assert.ok(!r.stderr.includes('Wrong-Pass-123'));
  });

  it('an unreachable server and a self-signed certificate exit 5', async () => {
    const down = await login('dr-down', 'x');
    assert.equal(down.code, 5);
    assert.match(down.stderr, /server unreachable: connection refused/);
    const tls = await login('dr-tls', ACCOUNTS.datarhei.password);
    assert.equal(tls.code, 5);
    assert.match(tls.stderr, /TLS certificate .* was rejected/);
  });

  it('an answer that is not JSON exits 6', async () => {
    mock().setFault('datarhei', { fault: { kind: 'html' }, times: 1 });
    const r = await login('dr', ACCOUNTS.datarhei.password);
    assert.equal(r.code, 6);
    assert.match(r.stderr, /HTML page/);
  });

  it('usage and config errors exit 2 with one line', async () => {
    const missing = await cli(['login', 'dr', '--config', path.join(dir, 'nope.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /config file ".*nope\.json" not found/);
    const unknown = await cli(['login', 'zzz', '--config', path.join(dir, 'with-broken.json')], { env: { API_AUTH_SECRET: 'x' } });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no connection "zzz"/);
    assert.match(unknown.stderr, new RegExp(`warning: .*connections\\[${brokenIndex}\\] "broken": "vendor" must be one of`));
    const noSecret = await cli(['login', 'dr', '--config', config]);
    assert.equal(noSecret.code, 2);
    assert.match(noSecret.stderr, /no password given: use --secret-stdin or set API_AUTH_SECRET/);
    const bad = await cli(['frobnicate']);
    assert.equal(bad.code, 2);
  });
});

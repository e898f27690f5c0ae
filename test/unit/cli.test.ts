// The `api-auth` CLI as a user runs it: the built dist/cli.js in a child process, against the loopback vendor servers.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { credentialSecrets, sessionJson } from '../../src/cli/output';
import { REDACTED } from '../../src/core/redact';
import { createSession, pushHistory } from '../../src/core/session';
import type { ConnectionConfig } from '../../src/core/types';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { totpOf } from '../mock-vendors/code42';
import { mintAuth0Token } from '../mock-vendors/datarhei';
import { useMockVendors } from './helpers';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const DATARHEI_ACCESS =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleGkiOjYwMCwiZXhwIjoxNzk1NDU4MDI4LCJpYXQiOjE3OTU0NTc0MjgsImlzcyI6ImRhdGFyaGVpLWNvcmUiLCJqdGkiOiJmMGI3NGI4YS01M2FmLTQ0ZGMtYjE5Yi1iMGM1MzdkMjRhNjEiLCJzdWIiOiJhZG1pbiIsInVzZWZvciI6ImFjY2VzcyJ9.oRS4Jy7N3_J8k5wUC_eGJeufGLukiUPu-bGnkEUW3LI';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
/** Every form a secret could leak in: as typed, base64 (Commvault's login), Basic user:password (Code42). */
const leakForms = (secret: string, username?: string): string[] => [secret, b64(secret), ...(username ? [b64(`${username}:${secret}`)] : [])];

function assertNoLeak(r: { stdout: string; stderr: string }, forms: string[]): void {
  for (const f of forms) {
    assert.ok(!r.stdout.includes(f), `stdout carries the secret (${f.slice(0, 4)}…)`);
    assert.ok(!r.stderr.includes(f), `stderr carries the secret (${f.slice(0, 4)}…)`);
  }
}

function cli(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...opts.env }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(opts.stdin ?? '');
  });
}

describe('api-auth CLI', function () {
  this.timeout(30_000);
  const mock = useMockVendors({ datarheiAuth0: true });
  let dir: string;
  let config: string;
  /** Where the invalid entry sits in with-broken.json (after all the valid ones). */
  let brokenIndex: number;

  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-auth-cli-'));
    config = path.join(dir, 'api-auth.json');
    const m = mock();
    const connections: ConnectionConfig[] = [
      { id: 'cove', label: 'Acme Cove', vendor: 'cove', baseUrl: m.baseUrl('cove'), partner: ACCOUNTS.cove.partner, username: ACCOUNTS.cove.username },
      { id: 'cv-json', vendor: 'commvault', baseUrl: m.baseUrl('commvault'), username: ACCOUNTS.commvault.username },
      { id: 'cv-xml', vendor: 'commvault', baseUrl: m.baseUrl('commvault'), username: ACCOUNTS.commvault.username, format: 'xml' },
      { id: 'ipc', vendor: 'ipcortex', baseUrl: m.baseUrl('ipcortex'), username: ACCOUNTS.ipcortex.username },
      { id: 'ipc-key-header', vendor: 'ipcortex', baseUrl: m.baseUrl('ipcortex'), auth: 'apiKey', apiKeyIn: 'header' },
      { id: 'ipc-key-body', vendor: 'ipcortex', baseUrl: m.baseUrl('ipcortex'), auth: 'apiKey', apiKeyIn: 'body' },
      { id: 'c42-basic', vendor: 'code42', baseUrl: m.baseUrl('code42'), username: ACCOUNTS.code42.username, auth: 'basic' },
      { id: 'c42-token', vendor: 'code42', baseUrl: m.baseUrl('code42'), username: ACCOUNTS.code42.username },
      { id: 'c42-mfa', vendor: 'code42', baseUrl: m.baseUrl('code42'), username: ACCOUNTS.code42.mfa.username },
      { id: 'dr', vendor: 'datarhei', baseUrl: m.baseUrl('datarhei'), username: ACCOUNTS.datarhei.username },
      { id: 'dr-auth0', vendor: 'datarhei', baseUrl: m.baseUrl('datarhei'), auth: 'auth0' },
      { id: 'dr-tls', vendor: 'datarhei', baseUrl: m.baseUrl('datarhei', true), username: 'admin' },
      { id: 'dr-down', vendor: 'datarhei', baseUrl: 'http://127.0.0.1:9', username: 'admin' },
      { id: 'cove-viewer', vendor: 'cove', baseUrl: m.baseUrl('cove'), partner: ACCOUNTS.cove.partner, username: ACCOUNTS.cove.viewer.username },
    ];
    brokenIndex = connections.length;
    fs.writeFileSync(config, JSON.stringify({ connections }));
    fs.writeFileSync(path.join(dir, 'with-broken.json'), JSON.stringify({ connections: [...connections, { id: 'broken', vendor: 'nope' }] }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const login = (id: string, secret: string, extra: string[] = []) =>
    cli(['login', id, '--json', '--config', config, '--secret-stdin', ...extra], { stdin: `${secret}\n` });

  const USERNAMES: Record<string, string | undefined> = {
    cove: ACCOUNTS.cove.username,
    'cv-json': ACCOUNTS.commvault.username,
    'cv-xml': ACCOUNTS.commvault.username,
    ipc: ACCOUNTS.ipcortex.username,
    'c42-basic': ACCOUNTS.code42.username,
    'c42-token': ACCOUNTS.code42.username,
    dr: ACCOUNTS.datarhei.username,
  };
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

  it('decode shows exi as a lifetime and exp as a time, and --json says whether it is expired', async () => {
    const text = await cli(['decode', DATARHEI_ACCESS]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /exi\s+600\s+— 10 min total lifetime/);
    assert.match(text.stdout, /does not count down/);
    assert.match(text.stdout, /exp\s+1795458028\s+— .*2026-11-23T18:20:28\.000Z/);
    const json = await cli(['decode', '-', '--json'], { stdin: `Bearer ${DATARHEI_ACCESS}\n` });
    const out = JSON.parse(json.stdout) as { claims: { exi: number }; expiresAt: string; expired: boolean; times: Record<string, string> };
    assert.equal(out.claims.exi, 600);
    assert.equal(out.expiresAt, '2026-11-23T18:20:28.000Z');
    assert.equal(out.expired, Date.now() > Date.parse(out.expiresAt));
    assert.match(out.times.exi, /10 min total lifetime/);
    const notJwt = await cli(['decode', 'QSDK 3fee']);
    assert.equal(notJwt.code, 2);
  });

  it('request sends an authenticated REST call and prints status, redacted headers, body and session', async () => {
    const r = await cli(['request', 'dr', 'GET', '/api/v3/process', '--json', '--config', config, '--secret-stdin'], { stdin: ACCOUNTS.datarhei.password });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { status: number; body: unknown; headers: Record<string, string>; session: { connection: string } };
    assert.equal(out.status, 200);
    assert.deepEqual(out.body, []);
    assert.equal(out.headers['content-type'], 'application/json');
    assert.equal(out.session.connection, 'dr');
  });

  const request = (id: string, secret: string, args: string[]) =>
    cli(['request', id, ...args, '--json', '--config', config, '--secret-stdin'], { stdin: `${secret}\n` });
  interface RequestOut {
    status: number;
    body: unknown;
    headers: Record<string, string>;
    session: { connection: string; token: string; attach: { kind: string; value: string }; history: { token: string }[] };
  }

  it('request --json Commvault JSON: POST /WhoAmI with the Authtoken, JSON answer, exit 0, no password anywhere', async () => {
    const logouts = mock().env.stats.get('commvault.logout');
    const r = await request('cv-json', ACCOUNTS.commvault.password, ['POST', '/WhoAmI']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(mock().env.stats.get('commvault.logout'), logouts + 1, 'a one-shot call leaves no session open on the server');
    const out = JSON.parse(r.stdout) as RequestOut;
    assert.equal(out.status, 200);
    assert.equal((out.body as { userName: string }).userName, ACCOUNTS.commvault.username);
    assert.match(out.headers['content-type'], /^application\/json/);
    assert.equal(out.session.attach.kind, 'header');
    assert.match(out.session.attach.value, /^QSDK [0-9a-f]+$/, 'the session token is printed (it is not the password)');
    assertNoLeak(r, leakForms(ACCOUNTS.commvault.password, ACCOUNTS.commvault.username));
  });

  it('request --json Commvault XML: the answer is the XML text, exit 0', async () => {
    const r = await request('cv-xml', ACCOUNTS.commvault.password, ['POST', '/WhoAmI']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as RequestOut;
    assert.equal(out.status, 200);
    assert.equal(typeof out.body, 'string');
    assert.match(out.body as string, new RegExp(`^<\\?xml .*<App_WhoAmIResp [^>]*userName="${ACCOUNTS.commvault.username}"`));
    assert.match(out.headers['content-type'], /^application\/xml/);
    assertNoLeak(r, leakForms(ACCOUNTS.commvault.password, ACCOUNTS.commvault.username));
  });

  it('request --json IPCortex with the session cookie: result success, exit 0', async () => {
    const logouts = mock().env.stats.get('ipcortex.logout');
    const r = await request('ipc', ACCOUNTS.ipcortex.password, ['POST', '/rest/user/list', '--data', '{}']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(mock().env.stats.get('ipcortex.logout'), logouts + 1, 'the session cookie is logged out after the call');
    const out = JSON.parse(r.stdout) as RequestOut;
    assert.equal(out.status, 200);
    assert.equal((out.body as { result: string }).result, 'success');
    assert.equal(out.session.attach.kind, 'cookie');
    assertNoLeak(r, leakForms(ACCOUNTS.ipcortex.password, ACCOUNTS.ipcortex.username));
  });

  for (const [id, kind, value] of [
    ['ipc-key-header', 'header', `token auth=${REDACTED}`],
    ['ipc-key-body', 'body', REDACTED],
  ] as const) {
    it(`request --json IPCortex API key (${kind}): the key is masked in the session and appears nowhere`, async () => {
      const r = await request(id, ACCOUNTS.ipcortex.apiKey, ['POST', '/rest/line/list', '--data', '{}']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as RequestOut;
      assert.equal(out.status, 200);
      assert.equal((out.body as { result: string }).result, 'success');
      assert.equal(out.session.attach.kind, kind);
      assert.equal(out.session.attach.value, value);
      assert.equal(out.session.token, REDACTED);
      assert.ok(out.session.history.every((h) => h.token === REDACTED));
      assertNoLeak(r, leakForms(ACCOUNTS.ipcortex.apiKey));
    });
  }

  it('request --json Code42 Basic: the Basic value is masked, the password appears nowhere (JSON and text output)', async () => {
    const r = await request('c42-basic', ACCOUNTS.code42.password, ['GET', '/api/User/my']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as RequestOut;
    assert.equal(out.status, 200);
    assert.equal((out.body as { data: { username: string } }).data.username, ACCOUNTS.code42.username);
    assert.equal(out.session.attach.value, `Basic ${REDACTED}`);
    assertNoLeak(r, leakForms(ACCOUNTS.code42.password, ACCOUNTS.code42.username));
    const text = await cli(['request', 'c42-basic', 'GET', '/api/User/my', '--config', config, '--secret-stdin'], { stdin: ACCOUNTS.code42.password });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^HTTP 200 /);
    assertNoLeak(text, leakForms(ACCOUNTS.code42.password, ACCOUNTS.code42.username));
  });

  it('request --json Code42 token: Bearer JWT printed, status 200; a 404 exits 6 and still prints the answer', async () => {
    const r = await request('c42-token', ACCOUNTS.code42.password, ['GET', '/api/v1/Computer']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as RequestOut;
    assert.equal(out.status, 200);
    assert.equal((out.body as { data: { computers: unknown[] } }).data.computers.length, 2);
    assert.match(out.session.attach.value, /^Bearer eyJ/);
    assertNoLeak(r, leakForms(ACCOUNTS.code42.password, ACCOUNTS.code42.username));
    const missing = await request('c42-token', ACCOUNTS.code42.password, ['GET', '/api/v1/Nope']);
    assert.equal(missing.code, 6);
    assert.equal((JSON.parse(missing.stdout) as RequestOut).status, 404);
  });

  it('request --json redacts secret-bearing answer headers (Set-Cookie of an IPCortex re-login)', async () => {
    const login = JSON.stringify({ auth: { type: 'auth', username: ACCOUNTS.ipcortex.username, password: ACCOUNTS.ipcortex.password } });
    const r = await request('ipc', ACCOUNTS.ipcortex.password, ['POST', '/rest/auth/', '--data', login]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as RequestOut & { body: { user: { session: string } } };
    assert.equal(out.status, 200);
    assert.equal(out.headers['set-cookie'], REDACTED);
    assert.ok(!JSON.stringify(out.headers).includes(out.body.user.session));
    assert.equal(out.headers['content-type'], 'application/json');
  });

  it('rejected credentials exit 3 with one line that never carries the API key or password', async () => {
    const wrongKey = `${ACCOUNTS.ipcortex.apiKey.slice(0, -4)}XXXX`;
    for (const id of ['ipc-key-header', 'ipc-key-body']) {
      const r = await request(id, wrongKey, ['POST', '/rest/user/list', '--data', '{}']);
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.split('\n').filter(Boolean).length, 1);
      assert.match(r.stderr, /the API key was not accepted/);
      assertNoLeak(r, leakForms(wrongKey));
    }
    const basic = await request('c42-basic', 'Wrong-Pass-123', ['GET', '/api/User/my']);
    assert.equal(basic.code, 3);
    assert.match(basic.stderr, /wrong username or password/);
    assertNoLeak(basic, leakForms('Wrong-Pass-123', ACCOUNTS.code42.username));
  });

  it('rpc sends a Cove JSON-RPC call with the visa and shows the grown visa chain', async () => {
    const r = await cli(['rpc', 'cove', 'EnumeratePartners', '--params', '{"parentPartnerId":0}', '--json', '--config', config, '--secret-stdin'], {
      stdin: ACCOUNTS.cove.password,
    });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { status: number; session: { history: { method: string; replaced: string | null; token: string }[]; token: string } };
    assert.equal(out.status, 200);
    const h = out.session.history;
    assert.deepEqual(
      h.map((e) => e.method),
      ['Login', 'EnumeratePartners'],
    );
    assert.equal(h[1].replaced, h[0].token);
    assert.equal(out.session.token, h[1].token);
    const wrongKind = await cli(['request', 'cove', 'GET', '/', '--config', config], { env: { API_AUTH_SECRET: 'x' } });
    assert.equal(wrongKind.code, 2);
    assert.match(wrongKind.stderr, /use api-auth rpc cove/);
  });

  it('a JSON-RPC error other than the typed ones exits 6 with one line naming connection, method and server message; --json still prints the answer', async () => {
    const text = await cli(['rpc', 'cove', 'NoSuchMethod', '--config', config, '--secret-stdin'], { stdin: ACCOUNTS.cove.password });
    assert.equal(text.code, 6, text.stderr);
    assert.equal(text.stdout, '');
    assert.equal(text.stderr.split('\n').filter(Boolean).length, 1, text.stderr);
    assert.match(
      text.stderr,
      /^api-auth: Connection "Acme Cove": the call NoSuchMethod failed with JSON-RPC error -32601 \(server said: "Method not found"\); /,
    );
    const json = await cli(['rpc', 'cove', 'NoSuchMethod', '--json', '--config', config, '--secret-stdin'], { stdin: ACCOUNTS.cove.password });
    assert.equal(json.code, 6, json.stderr);
    const out = JSON.parse(json.stdout) as { status: number; body: { error: { code: number; message: string } } };
    assert.equal(out.status, 200, 'JSON-RPC errors arrive with HTTP 200');
    assert.deepEqual(out.body.error, { code: -32601, message: 'Method not found' });
    assert.match(json.stderr, /the call NoSuchMethod failed with JSON-RPC error -32601/);
    // A Cove error with its own code (GetPartnerInfo of an unknown partner) names it too.
    const unknownPartner = await cli(['rpc', 'cove', 'GetPartnerInfo', '--params', '{"name":"Nobody"}', '--config', config, '--secret-stdin'], {
      stdin: ACCOUNTS.cove.password,
    });
    assert.equal(unknownPartner.code, 6);
    assert.match(unknownPartner.stderr, /the call GetPartnerInfo failed with JSON-RPC error -32603 \(server said: "Partner not found"\)/);
    assertNoLeak(text, leakForms(ACCOUNTS.cove.password));
    assertNoLeak(json, leakForms(ACCOUNTS.cove.password));
  });

  it('a call the role may not make (Cove 13501, forbidden) exits 6, not 3: the credentials were accepted', async () => {
    const r = await cli(['rpc', 'cove-viewer', 'EnumerateUsers', '--params', '{"partnerIds":[0]}', '--config', config, '--secret-stdin'], {
      stdin: ACCOUNTS.cove.viewer.password,
    });
    assert.equal(r.code, 6, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^api-auth: Connection "cove-viewer": the role of this user does not allow the call EnumerateUsers/);
    assert.match(r.stderr, /use an account whose role allows this call/);
    // The same user may make other calls: exit 0.
    const ok = await cli(['rpc', 'cove-viewer', 'EnumeratePartners', '--config', config, '--secret-stdin'], { stdin: ACCOUNTS.cove.viewer.password });
    assert.equal(ok.code, 0, ok.stderr);
    // The usage text documents it.
    const help = await cli(['--help']);
    assert.match(help.stdout, /6 unexpected response: .*\n.*forbidden/);
  });

  it('request and rpc check METHOD, PATH, --data and --params before reading any secret', async () => {
    // No secret is available: a CLI that read it first would fail with "no password given" instead.
    const bad: [string[], RegExp][] = [
      [['request', 'dr', 'FOO', '/x'], /unsupported HTTP method "FOO" \(use GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS\)/],
      [['request', 'dr', 'GET', 'http://127.0.0.1:9/x'], /PATH must start with "\/" .*got "http:\/\/127\.0\.0\.1:9\/x"/],
      [['request', 'dr', 'GET', '//127.0.0.1:9/x'], /PATH must start with "\/"/],
      [['request', 'dr', 'GET', 'api/v3'], /PATH must start with "\/"/],
      [['request', 'dr', 'GET', '/a b'], /PATH must not contain spaces/],
      [['request', 'dr', 'POST', '/x', '--data', '{nope'], /--data is not valid JSON/],
      [['request', 'dr', 'POST', '/x', '--params', '{}'], /--params is for api-auth rpc/],
      [['request', 'dr', 'POST', '/x', 'stray'], /unexpected argument "stray"/],
      [['rpc', 'cove', 'EnumeratePartners', '--params', '{nope'], /--params is not valid JSON/],
      [['rpc', 'cove', 'EnumeratePartners', '--params', '[0]'], /--params must be a JSON object/],
      [['rpc', 'cove', 'Enumerate Partners'], /is not a JSON-RPC method name/],
      [['rpc', 'cove', 'EnumeratePartners', '--data', '{}'], /--data is for api-auth request/],
    ];
    for (const [args, message] of bad) {
      const r = await cli([...args, '--config', config]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
      assert.match(r.stderr, message, args.join(' '));
      assert.doesNotMatch(r.stderr, /password|secret/, `${args.join(' ')} asked for the secret first`);
    }
    // With --secret-stdin the secret is not consumed either: the error is the method, not the empty input.
    const stdin = await cli(['request', 'dr', 'FOO', '/x', '--config', config, '--secret-stdin']);
    assert.equal(stdin.code, 2);
    assert.match(stdin.stderr, /unsupported HTTP method/);
    // A lowercase method is fine.
    const lower = await cli(['request', 'dr', 'get', '/api/v3/process', '--config', config, '--secret-stdin'], { stdin: ACCOUNTS.datarhei.password });
    assert.equal(lower.code, 0, lower.stderr);
    assert.match(lower.stdout, /^HTTP 200 /);
  });

  it('the IPCortex login summary says the session lifetime is not documented, so there is no countdown', async () => {
    const r = await cli(['login', 'ipc', '--config', config, '--secret-stdin'], { stdin: ACCOUNTS.ipcortex.password });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^Logged in to "ipc" \(IPCortex\) as [^:]+: session cookie; its lifetime is not documented, so no countdown \(set lifetimeSeconds in the connection for an idle timeout\)\.\n$/,
    );
    assert.doesNotMatch(r.stdout, /does not say/);
    // Other summaries keep their expiry: an API key is per request, a JWT counts down.
    const key = await cli(['login', 'ipc-key-header', '--config', config, '--secret-stdin'], { stdin: ACCOUNTS.ipcortex.apiKey });
    assert.match(key.stdout, /: credentials sent with every request; nothing expires\.\n$/);
    const dr = await cli(['login', 'dr', '--config', config, '--secret-stdin'], { stdin: ACCOUNTS.datarhei.password });
    assert.match(dr.stdout, /: expires \d{4}-.*Z \(.* left; the token’s exp claim\); refresh token until /);
  });

  it('no arguments: usage on standard error, exit 2; --help, -h and help: usage on standard output, exit 0', async () => {
    const none = await cli([]);
    assert.equal(none.code, 2);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /^api-auth — log in to vendor APIs/);
    assert.match(none.stderr, /Exit codes:/);
    for (const args of [['--help'], ['-h'], ['help'], ['login', '--help']]) {
      const r = await cli(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.equal(r.stderr, '', args.join(' '));
      assert.match(r.stdout, /^api-auth — log in to vendor APIs/, args.join(' '));
      assert.equal(r.stdout, none.stderr, 'the same text');
    }
  });
});

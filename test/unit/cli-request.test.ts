// The `api-auth` CLI as a user runs it, decode and request: authenticated REST calls with every credential masked.
import * as assert from 'node:assert/strict';
import { REDACTED } from '../../src/core/redact';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { assertNoLeak, cli, config, DATARHEI_ACCESS, leakForms, request, type RequestOut, useCli } from './cli-fixtures';

describe('api-auth CLI', function () {
  this.timeout(30_000);
  const mock = useCli();

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

  it('request --json Commvault JSON: POST /WhoAmI with the Authtoken, JSON answer, exit 0, no password anywhere', async () => {
    const logouts = mock().env.stats.get('commvault.logout');
    const r = await request('cv-json', ACCOUNTS.commvault.password, ['POST', '/WhoAmI']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(mock().env.stats.get('commvault.logout'), logouts + 1, 'a one-shot call leaves no session open on the server');
    const out = JSON.parse(r.stdout) as RequestOut;
    assert.equal(out.status, 200);
    assert.equal((out.body as { user: { userName: string } }).user.userName, ACCOUNTS.commvault.username);
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
    assert.match(out.body as string, new RegExp(`^<\\?xml .*<App_WhoAmIResp[^>]*>\\s*<user [^>]*userName="${ACCOUNTS.commvault.username}"`));
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
});

// The `api-auth` CLI as a user runs it, rpc and usage: JSON-RPC calls and errors, argument checks, help.
import * as assert from 'node:assert/strict';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { assertNoLeak, cli, config, leakForms, request, useCli } from './cli-fixtures';

describe('api-auth CLI', function () {
  this.timeout(30_000);
  useCli();

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
      [
        ['request', 'dr', 'GET', 'http://127.0.0.1:9/x'],
        /the path "http:\/\/127\.0\.0\.1:9\/x" points to another server \(http:\/\/127\.0\.0\.1:9\); only paths on http:\/\/127\.0\.0\.1:\d+ are sent with this connection's credentials/,
      ],
      [['request', 'dr', 'GET', '//127.0.0.1:9/x'], /the path "\/\/127\.0\.0\.1:9\/x" points to another server \(http:\/\/127\.0\.0\.1:9\)/],
      [['request', 'dr', 'GET', '../x'], /the path "\.\.\/x" leads out of the connection's base path \(\/datarhei\)/],
      [['request', 'dr', 'GET', '/a b'], /the path "\/a b" holds spaces or control characters; percent-encode them/],
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

// The CLI against hostile servers: escape sequences, CR and LF in an error message, in a token's claims, in a user
// name and in a text body never reach the terminal raw and never forge a line; odd times never throw in decode.
import * as assert from 'node:assert/strict';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { setDatarheiOptions } from '../mock-vendors/datarhei';
import { cli, config, useCli } from './cli-fixtures';
import { assertInert, HOSTILE, jwtWith } from './untrusted-fixtures';

const PASSWORD = ACCOUNTS.datarhei.password;

/** No raw ESC, BEL, CR or other control (LF between our own lines is fine) and no line of the server's making. */
function assertNoForgery(out: string): void {
  assertInert(out, { allowLineBreaks: true });
  assert.ok(!out.includes('\t'), 'no TAB from the server');
  for (const line of out.split('\n')) assert.ok(!line.startsWith('FAKE LINE'), `forged line: ${JSON.stringify(line)}`);
}

describe('CLI: untrusted text from servers', function () {
  this.timeout(30_000);
  const mock = useCli();
  afterEach(() => setDatarheiOptions(mock().env, { claims: {} }));

  it('a wrong-password message with escape sequences is one inert line on stderr, exit 3', async () => {
    const body = JSON.stringify({ code: 401, message: 'Unauthorized', details: [HOSTILE] });
    mock().setFault('datarhei', { fault: { kind: 'reply', status: 401, contentType: 'application/json', body, path: '/api/login' }, times: 1 });
    const r = await cli(['login', 'dr', '--config', config, '--secret-stdin'], { stdin: 'wrong-pass\n' });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    assertNoForgery(r.stderr);
    assert.equal(r.stderr.split('\n').length, 2, 'one line and its newline');
    assert.match(r.stderr, /^api-auth: Connection "dr": wrong username or password \(server said: "␛\]0;pwned␇␛\[2J␊FAKE LINE"\); /);
  });

  it('a user name (sub) with escape sequences and an exp of 1e300: login succeeds, the summary is one inert line', async () => {
    setDatarheiOptions(mock().env, { claims: { sub: HOSTILE, exp: 1e300 } });
    const r = await cli(['login', 'dr', '--config', config, '--secret-stdin'], { stdin: `${PASSWORD}\n` });
    assert.equal(r.code, 0, r.stderr);
    assertNoForgery(r.stdout);
    assert.equal(r.stdout.split('\n').length, 2);
    assert.match(r.stdout, /as ␛\]0;pwned␇␛\[2J␊FAKE LINE: expires \S+Z \(10:00 left; fixed lifetime from issue\)/);
    const j = await cli(['login', 'dr', '--json', '--config', config, '--secret-stdin'], { stdin: `${PASSWORD}\n` });
    assert.equal(j.code, 0, j.stderr);
    assertNoForgery(j.stdout);
    const session = JSON.parse(j.stdout) as { user: string; claims: { exp: number }; expiresBecause: string };
    assert.equal(session.user, HOSTILE, 'JSON keeps the exact value, escaped');
    assert.equal(session.claims.exp, 1e300);
    assert.equal(session.expiresBecause, 'fixed-lifetime');
  });

  it('decode of a token whose claims carry escape sequences, bidi overrides and U+2028: inert lines, exact JSON', async () => {
    const claims = { sub: HOSTILE, name: 'admin\u202etxt.exe', note: 'a\u2028b\u009b2J\rc', [`k\u001b[2J\nFAKE LINE`]: 1 };
    const token = jwtWith(claims);
    const r = await cli(['decode', token]);
    assert.equal(r.code, 0, r.stderr);
    assertNoForgery(r.stdout);
    assert.match(r.stdout, /admin\\u\{202E\}txt\.exe/);
    const j = await cli(['decode', token, '--json']);
    assert.equal(j.code, 0, j.stderr);
    assertNoForgery(j.stdout);
    assert.deepEqual((JSON.parse(j.stdout) as { claims: unknown }).claims, claims);
  });

  it('decode of tokens whose times are no dates: exit 0, readable lines, no "Invalid time value"', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ exp: 1e300 }, /^exp not used \(not a date \(1e\+300\); not used for expiry\): the token does not say when it expires$/m],
      [{ exp: -1e20, iat: 1e17 }, /^ {2}iat {2}100000000000000000 {2}— not a date \(100000000000000000\)$/m],
      [{ exp: now * 1000 }, /— looks like milliseconds \(would be \d{4}-\d\d-\d\dT[\d:.]+Z\); not used for expiry$/m],
      [{ exp: String(now + 600) }, /— a string, not a number \(RFC 7519 NumericDate\); not used for expiry$/m],
      [{ exi: -5 }, /— exi -5 is negative; ignored$/m],
      [{ nbf: now + 300, exp: now + 900 }, /^not valid yet \(valid from .+, in [45] min( \d+ s)?\)$/m],
    ];
    for (const [claims, expected] of cases) {
      const r = await cli(['decode', jwtWith(claims)]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, expected);
      assert.doesNotMatch(r.stdout + r.stderr, /Invalid time value/);
      const j = await cli(['decode', jwtWith(claims), '--json']);
      assert.equal(j.code, 0, j.stderr);
      assert.equal(typeof (JSON.parse(j.stdout) as { expired: unknown }).expired, 'boolean');
    }
  });

  it('a request whose text body carries escape sequences and lone CRs: the body keeps its lines, nothing acts', async () => {
    const body = `hello\r\n${HOSTILE}\rOVERWRITE\r\n\tindented\u202e`;
    const fault = { kind: 'reply' as const, status: 200, contentType: 'text/plain', body, path: '/api/v3/hostile' };
    mock().setFault('datarhei', { fault });
    const r = await cli(['request', 'dr', 'GET', '/api/v3/hostile', '--config', config, '--secret-stdin'], { stdin: `${PASSWORD}\n` });
    assert.equal(r.code, 0, r.stderr);
    assertInert(r.stdout, { allowLineBreaks: true });
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^HTTP 200 OK \(\d+ ms\)$/);
    assert.deepEqual(lines.slice(1), ['hello', '␛]0;pwned␇␛[2J', 'FAKE LINE␍OVERWRITE', '\tindented\\u{202E}', '']);
    mock().setFault('datarhei', { fault });
    const j = await cli(['request', 'dr', 'GET', '/api/v3/hostile', '--json', '--config', config, '--secret-stdin'], { stdin: `${PASSWORD}\n` });
    assert.equal(j.code, 0, j.stderr);
    assertNoForgery(j.stdout);
    assert.equal((JSON.parse(j.stdout) as { body: unknown }).body, body, 'JSON carries the body exactly');
  });
});

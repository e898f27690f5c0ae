// Token maths, JWT decoding (on the real datarhei tokens), error sentences, redaction and config validation.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import * as path from 'node:path';
import { connectionBinding, describeProblem, parseConnections, validateConnection } from '../../src/engine/config';
import { AuthError, describeError, scrubError, secretForms, truncate, withSecretsScrubbed } from '../../src/core/errors';
import { createHttpClient, send, TRACE_BODY_MAX, traceLine } from '../../src/core/http';
import { decodeJwt, describeClaims } from '../../src/core/jwt';
import { maskToken, redactHeaders, redactText } from '../../src/core/redact';
import { createSession, isExpired, pushHistory, replaceToken, timeLeftMs, touch } from '../../src/core/session';
import { AUTH_KIND_TEXT, AUTH_KINDS, type AuthKind, DEFAULT_AUTH, VENDORS, type Session } from '../../src/core/types';
import { formatDuration, formatRemaining } from '../../src/core/time';
import { ADAPTERS } from '../../src/vendors';

// Captured from a real datarhei Core v16.16 server: its answer to POST /api/login with the right password.
const DATARHEI_ACCESS =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleGkiOjYwMCwiZXhwIjoxNzk1NDU4MDI4LCJpYXQiOjE3OTU0NTc0MjgsImlzcyI6ImRhdGFyaGVpLWNvcmUiLCJqdGkiOiJmMGI3NGI4YS01M2FmLTQ0ZGMtYjE5Yi1iMGM1MzdkMjRhNjEiLCJzdWIiOiJhZG1pbiIsInVzZWZvciI6ImFjY2VzcyJ9.oRS4Jy7N3_J8k5wUC_eGJeufGLukiUPu-bGnkEUW3LI';
const DATARHEI_REFRESH =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleGkiOjg2NDAwLCJleHAiOjE3OTU1NDM4MjgsImlhdCI6MTc5NTQ1NzQyOCwiaXNzIjoiZGF0YXJoZWktY29yZSIsImp0aSI6Ijk1Y2U0MTc2LWNhYmYtNDRmOC1hZDcwLWU3ZmRjNzg3YjNhZSIsInN1YiI6ImFkbWluIiwidXNlZm9yIjoicmVmcmVzaCJ9.HXSiRgoKFj5wreleal9Up6KBj5BqxwTTenLpCgD94Uo';
const ISSUED = 1795457428_000;

function datarheiSession(now: number): Session {
  return createSession({
    connectionId: 'dr',
    vendor: 'datarhei',
    authKind: 'password',
    token: DATARHEI_ACCESS,
    attach: { kind: 'header', name: 'Authorization', value: `Bearer ${DATARHEI_ACCESS}` },
    now,
    method: 'POST /api/login',
    refreshToken: DATARHEI_REFRESH,
  });
}

describe('JWT decoding', () => {
  it('decodes the real datarhei access token: header, exi as lifetime, exp/iat', () => {
    const jwt = decodeJwt(DATARHEI_ACCESS);
    assert.ok(jwt);
    assert.deepEqual(jwt.header, { alg: 'HS256', typ: 'JWT' });
    assert.equal(jwt.claims.exi, 600);
    assert.equal(jwt.claims.usefor, 'access');
    assert.equal((jwt.claims.exp as number) - (jwt.claims.iat as number), 600);
    const rows = describeClaims(jwt.claims, ISSUED);
    const exi = rows.find((r) => r.name === 'exi');
    assert.equal(exi?.human, '10 min total lifetime');
    assert.match(exi?.meaning ?? '', /does not count down/);
    const exp = rows.find((r) => r.name === 'exp');
    assert.match(exp?.human ?? '', /2026-11-23T18:20:28\.000Z · in 10 min/);
  });

  it('rejects strings that are not JWTs', () => {
    assert.equal(decodeJwt('QSDK 3fee0123'), null);
    assert.equal(decodeJwt('abc.def'), null);
    assert.equal(decodeJwt('a.b.c'), null);
  });

  it('formats durations in words', () => {
    assert.equal(formatDuration(600_000), '10 min');
    assert.equal(formatDuration(86_400_000), '1 d');
    assert.equal(formatDuration(61_000), '1 min 1 s');
    assert.equal(formatDuration(0), '0 s');
  });
});

describe('session expiry maths', () => {
  it('takes expiry from exp and the refresh token’s expiry from its own exp', () => {
    const s = datarheiSession(ISSUED + 2000);
    assert.equal(s.expiresAt, ISSUED + 600_000);
    assert.equal(s.expiresBecause, 'exp-claim');
    assert.equal(s.refreshExpiresAt, ISSUED + 86_400_000);
    assert.equal(s.issuedAt, ISSUED);
    assert.equal(s.history.length, 1);
    assert.equal(s.history[0].method, 'POST /api/login');
  });

  it('reports a past exp as expired with zero time left, never negative', () => {
    const s = datarheiSession(ISSUED);
    const later = ISSUED + 700_000;
    assert.equal(isExpired(s, later), true);
    assert.equal(timeLeftMs(s, later), 0);
    assert.equal(formatRemaining(timeLeftMs(s, later)), 'expired');
    assert.equal(formatRemaining(timeLeftMs(s, ISSUED + 599_000)), '00:01');
  });

  it('formats remaining time as mm:ss and h:mm:ss', () => {
    assert.equal(formatRemaining(754_000), '12:34');
    assert.equal(formatRemaining(3_600_000 + 61_000), '1:01:01');
    assert.equal(formatRemaining(500), '00:01');
    assert.equal(formatRemaining(null), 'no expiry');
    assert.equal(formatRemaining(-5), 'expired');
  });

  it('slides an idle window on use and records replaced tokens in the history', () => {
    const t0 = 1_000_000;
    let s = createSession({
      connectionId: 'c',
      vendor: 'cove',
      authKind: 'password',
      token: 'visa-1',
      attach: { kind: 'jsonrpc', name: 'visa', value: 'visa-1' },
      now: t0,
      method: 'Login',
      slidingWindowMs: 900_000,
    });
    assert.equal(s.expiresAt, t0 + 900_000);
    assert.equal(s.expiresBecause, 'sliding-idle');
    s = touch(s, t0 + 60_000);
    assert.equal(s.expiresAt, t0 + 960_000);
    s = replaceToken(s, { token: 'visa-2', now: t0 + 120_000, method: 'EnumeratePartners', event: 'call' });
    assert.equal(s.expiresAt, t0 + 1_020_000);
    assert.equal(s.attach.value, 'visa-2');
    assert.deepEqual(
      s.history.map((h) => [h.method, h.token, h.replaced]),
      [
        ['Login', 'visa-1', null],
        ['EnumeratePartners', 'visa-2', 'visa-1'],
      ],
    );
  });

  it('keeps the attach shape (Bearer …) when a token is replaced', () => {
    const s = datarheiSession(ISSUED);
    const r = replaceToken(s, { token: DATARHEI_REFRESH, now: ISSUED + 1, method: 'x', event: 'refresh' });
    assert.equal(r.attach.value, `Bearer ${DATARHEI_REFRESH}`);
  });

  it('bounds the history, dropping the oldest', () => {
    let s = datarheiSession(ISSUED);
    for (let i = 0; i < 10; i++) s = pushHistory(s, { ...s.history[0], token: `t${i}` }, 5);
    assert.equal(s.history.length, 5);
    assert.equal(s.history[4].token, 't9');
    assert.equal(s.history[0].token, 't5');
  });

  it('marks per-request credentials as never expiring', () => {
    const s = createSession({
      connectionId: 'b',
      vendor: 'code42',
      authKind: 'basic',
      token: 'x',
      attach: { kind: 'header', name: 'Authorization', value: 'Basic eA==' },
      now: 1,
      method: 'GET /api/User/my',
      perRequest: true,
    });
    assert.equal(s.expiresAt, null);
    assert.equal(s.expiresBecause, 'per-request');
  });
});

describe('error sentences', () => {
  it('names the connection, the cause, the server’s words and a way forward in one sentence', () => {
    const e = new AuthError('credentials', 'wrong partner, username or password', { serverMessage: 'Unknown partner/username or bad password', code: 2100 });
    assert.equal(
      describeError(e, { id: 'prod', label: 'Prod Cove' }),
      'Connection "Prod Cove": wrong partner, username or password (server said: "Unknown partner/username or bad password"); check the username and set the secret again.',
    );
    assert.match(describeError(new Error('boom'), { id: 'x' }), /^Connection "x": unexpected error: boom\.$/);
  });

  it('advises by credential kind when the connection says what it is', () => {
    const e = new AuthError('credentials', 'rejected');
    const advice = (conn: Parameters<typeof describeError>[1]) => describeError(e, conn).replace(/^.*; /, '');
    assert.equal(advice({ id: 'c', vendor: 'cove' }), 'check the partner name, username and password.');
    assert.equal(advice({ id: 'c', vendor: 'commvault' }), 'check the username and password.');
    assert.equal(advice({ id: 'c', vendor: 'ipcortex' }), 'check the username and password.');
    assert.equal(advice({ id: 'c', vendor: 'ipcortex', auth: 'apiKey' }), 'check the API key.');
    assert.equal(advice({ id: 'c', vendor: 'datarhei', auth: 'auth0' }), 'get a fresh Auth0 token.');
    assert.equal(advice({ id: 'c', vendor: 'datarhei' }), 'check the username and password.');
    assert.equal(advice({ id: 'c', vendor: 'code42' }), 'check the username and password.');
    assert.equal(advice({ id: 'c', vendor: 'code42', auth: 'basic' }), 'check the username and password.');
    // A whole ConnectionConfig works as well as {id, label}; without a vendor the advice stays generic.
    assert.equal(
      advice({ id: 'c', label: 'L', vendor: 'ipcortex', baseUrl: 'http://x', auth: 'apiKey' } as Parameters<typeof describeError>[1]),
      'check the API key.',
    );
    assert.equal(advice({ id: 'c' }), 'check the username and set the secret again.');
    // Other kinds keep their own advice.
    assert.match(
      describeError(new AuthError('twoFactorRequired', 'the two-factor code was rejected'), { id: 'c', vendor: 'code42' }),
      /enter the current code from your authenticator app\.$/,
    );
  });

  it('without `auth`, advises as for the vendor’s default auth kind (its adapter’s first)', () => {
    const e = new AuthError('credentials', 'rejected');
    for (const vendor of VENDORS) {
      assert.equal(describeError(e, { id: 'c', vendor }), describeError(e, { id: 'c', vendor, auth: ADAPTERS[vendor].authKinds[0] }), vendor);
    }
  });

  it('the settings schema names each auth kind in the same words as the UI (AUTH_KIND_TEXT)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { items: { properties: { auth: { enum: AuthKind[]; enumDescriptions: string[] } } } }> } };
    };
    const auth = pkg.contributes.configuration.properties['authExplorer.connections'].items.properties.auth;
    assert.deepEqual(auth.enum, [...AUTH_KINDS]);
    auth.enum.forEach((kind, i) =>
      assert.ok(auth.enumDescriptions[i].toLowerCase().includes(AUTH_KIND_TEXT[kind].toLowerCase()), `${kind}: ${auth.enumDescriptions[i]}`),
    );
  });

  it('each vendor’s default auth kind (core’s DEFAULT_AUTH) is its adapter’s first', () => {
    for (const vendor of VENDORS) assert.equal(DEFAULT_AUTH[vendor], ADAPTERS[vendor].authKinds[0], vendor);
  });
});

describe('secrets in server messages', () => {
  it('names every form of a secret: as given, trimmed, JSON-escaped, base64 and base64 user:secret', () => {
    const forms = secretForms(' pa"ss ', 'bob');
    for (const f of [' pa"ss ', 'pa"ss', 'pa\\"ss', Buffer.from(' pa"ss ').toString('base64'), Buffer.from('bob:pa"ss').toString('base64')]) {
      assert.ok(forms.includes(f), `${f} in ${JSON.stringify(forms)}`);
    }
    assert.deepEqual(secretForms(''), []);
  });

  it('scrubs every form from message and server words, keeps kind and details, and leaves clean errors alone', () => {
    const secret = 'Hunter2';
    const basic = Buffer.from(`admin:${secret}`).toString('base64');
    const e = new AuthError('credentials', `bad password ${secret}`, { serverMessage: `bad password ${secret} (Basic ${basic})`, status: 401, code: 7 });
    const out = scrubError(e, secretForms(secret, 'admin'));
    assert.ok(out instanceof AuthError);
    assert.equal(out.kind, 'credentials');
    assert.equal(out.message, 'bad password ‹redacted›');
    assert.equal(out.details.serverMessage, 'bad password ‹redacted› (Basic ‹redacted›)');
    assert.equal(out.details.status, 401);
    assert.equal(out.details.code, 7);
    assert.ok(!String(out.stack).includes(secret));
    const clean = new AuthError('network', 'refused');
    assert.equal(scrubError(clean, secretForms(secret)), clean);
    const plain = scrubError(new Error(`boom ${secret}`), [secret]) as Error;
    assert.equal(plain.message, 'boom ‹redacted›');
  });

  it('also hides the start of a secret that a truncation cut off', () => {
    const secret = 'Hunter2-secret';
    const cut = truncate(`server said: bad password ${secret} and more`, 32);
    assert.ok(cut.endsWith('Hunte…'), cut);
    assert.equal(redactText(cut, [secret]), 'server said: bad password ‹redacted›…');
    assert.equal(redactText('nothing to hide…', [secret]), 'nothing to hide…');
  });

  it('withSecretsScrubbed passes results through and scrubs what is thrown', async () => {
    assert.equal(await withSecretsScrubbed('Hunter2', 'u', async () => 42), 42);
    await assert.rejects(
      withSecretsScrubbed('Hunter2', 'u', async () => {
        throw new AuthError('protocol', 'the answer is not JSON (HTTP 200: "bad password Hunter2")');
      }),
      (e: unknown) => e instanceof AuthError && e.kind === 'protocol' && e.message === 'the answer is not JSON (HTTP 200: "bad password ‹redacted›")',
    );
  });
});

describe('HTTP trace lines', () => {
  let server: http.Server;
  let url = '';
  let answer = '';
  const seen: http.IncomingHttpHeaders[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('redacts before it truncates: a JWT or a visa cut at the limit is not logged in part', async () => {
    for (const [name, secretPart, body] of [
      // Each secret starts 40 characters before the cut: truncating first would log its first 39 characters.
      ['jwt', DATARHEI_ACCESS.slice(0, 30), `${'x'.repeat(TRACE_BODY_MAX - 41)} ${DATARHEI_ACCESS} ${'z'.repeat(100)}`],
      [
        'visa',
        'visa-0123456789abcdef0123456',
        `{"filler":"${'y'.repeat(TRACE_BODY_MAX - 61)}","visa":"visa-0123456789abcdef0123456789abcdef","more":"${'z'.repeat(100)}"}`,
      ],
    ] as const) {
      answer = body;
      const lines: string[] = [];
      const res = await send({ http: createHttpClient({}), clock: Date.now, trace: (l) => lines.push(l) }, { method: 'GET', url });
      assert.equal(res.text, body);
      assert.equal(lines.length, 1);
      assert.ok(!lines[0].includes(secretPart), `${name}: ${lines[0].slice(-80)}`);
      assert.match(lines[0], /‹redacted›/, name);
      assert.ok(lines[0].endsWith('…'), `${name}: still cut to the limit`);
    }
  });

  it('traceLine cuts the redacted body to the limit and redacts request headers', () => {
    const line = traceLine(
      { method: 'POST', url: 'http://h/x', headers: { Authorization: 'Bearer abc' }, data: '{"password":"pw"}' },
      200,
      5,
      'z'.repeat(TRACE_BODY_MAX + 100),
    );
    assert.match(line, /^POST http:\/\/h\/x \{"Authorization":"Bearer ‹redacted›"\} \{"password":"‹redacted›"\} → 200 in 5 ms z+…$/);
    assert.equal(line.split(' ms ')[1].length, TRACE_BODY_MAX);
  });

  it('sends no Content-Type when there is no body (axios would add a form type to a POST)', async () => {
    answer = '{}';
    const ctx = { http: createHttpClient({}), clock: Date.now };
    seen.length = 0;
    await send(ctx, { method: 'POST', url, headers: { Authorization: 'Bearer t' } });
    await send(ctx, { method: 'POST', url, headers: { 'Content-Type': 'application/json' }, data: '{}' });
    assert.equal(seen[0]['content-type'], undefined);
    assert.equal(seen[1]['content-type'], 'application/json');
  });
});

describe('redaction', () => {
  it('hides auth headers but keeps the scheme', () => {
    assert.deepEqual(redactHeaders({ Authorization: 'Bearer abc.def.ghi', Authtoken: 'QSDK 1234', Accept: 'application/json', Cookie: 'Red60urne=x' }), {
      Authorization: 'Bearer ‹redacted›',
      Authtoken: 'QSDK ‹redacted›',
      Accept: 'application/json',
      Cookie: '‹redacted›',
    });
  });

  it('hides secret fields in JSON and XML, JWTs, QSDK tokens and known secrets', () => {
    const out = redactText(
      `{"username":"admin","password":"c3Vw","visa":"v1","nested":{"refresh_token":"r"}} <x password="abc" user="u"/> ${DATARHEI_ACCESS} QSDK 3fee0a1b2c3d4e5f my-api-key-123`,
      ['my-api-key-123'],
    );
    assert.ok(!/c3Vw|"v1"|"r"|abc|3fee0a1b|my-api-key-123|eyJ/.test(out), out);
    assert.match(out, /"username":"admin"/);
  });

  it('masks tokens to their ends', () => {
    assert.equal(maskToken('abcdefghijklmnopqrstuvwxyz'), 'abcdef…uvwxyz');
    assert.equal(maskToken('short'), '•••••');
  });
});

describe('connection validation', () => {
  it('accepts a valid entry and reports each bad one with its reason, keeping the good ones', () => {
    const { connections, invalid } = parseConnections(ADAPTERS, [
      { id: 'dr', vendor: 'datarhei', baseUrl: 'http://127.0.0.1:8080', username: 'admin' },
      { id: 'bad vendor', vendor: 'nope', baseUrl: 'x' },
      { id: 'dr', vendor: 'datarhei', baseUrl: 'http://127.0.0.1:8080', username: 'admin' },
      { id: 'c42', vendor: 'code42', baseUrl: 'https://c42:4285', username: 'u', auth: 'apiKey' },
      'text',
    ]);
    assert.deepEqual(
      connections.map((c) => c.id),
      ['dr'],
    );
    assert.equal(invalid.length, 4);
    assert.match(
      describeProblem(invalid[0]),
      /connections\[1\] "bad vendor": "id" may only hold .*"vendor" must be one of cove, commvault, ipcortex, code42, datarhei.*"baseUrl" is not a valid URL/,
    );
    assert.match(describeProblem(invalid[1]), /the id "dr" is used by an earlier connection/);
    assert.match(describeProblem(invalid[2]), /Code42 supports .*not apiKey/);
    assert.match(describeProblem(invalid[3]), /the entry is not an object/);
  });

  it('reports a misspelt field instead of ignoring it, with the field it resembles', () => {
    const { connections, invalid } = parseConnections(ADAPTERS, [
      { id: 'dr', vendor: 'datarhei', baseUrl: 'http://127.0.0.1:8080', username: 'admin', keepalive: true, tls: { reject_unauthorized: false } },
      { id: 'cv', vendor: 'commvault', baseUrl: 'https://cs/webconsole/api', username: 'admin', password: 'do-not-put-me-here' },
    ]);
    assert.equal(connections.length, 0);
    assert.equal(
      describeProblem(invalid[0]),
      'connections[0] "dr": "keepalive" is not a known field (did you mean "keepAlive"?); "tls.reject_unauthorized" is not a known field (did you mean "tls.rejectUnauthorized"?)',
    );
    assert.equal(describeProblem(invalid[1]), 'connections[1] "cv": "password" is not a known field');
    assert.ok(!describeProblem(invalid[1]).includes('do-not-put-me-here'), 'the value is never repeated');
  });

  it('reports a bad common field once, in the common words, for every vendor (the adapters do not check it again)', () => {
    const common: [Record<string, unknown>, string][] = [
      [{ lifetimeSeconds: 0 }, '"lifetimeSeconds" must be a positive number'],
      [{ refreshLeadSeconds: -1 }, '"refreshLeadSeconds" must be zero or more'],
      [{ format: 'yaml' }, '"format" must be "json" or "xml"'],
      [{ apiKeyIn: 'query' }, '"apiKeyIn" must be "body" or "header"'],
      [{ auth: 'bogus' }, '"auth" must be one of '],
    ];
    for (const vendor of VENDORS) {
      const entry = { id: 'x', vendor, baseUrl: 'https://h.example/api', username: 'u', partner: 'P' };
      assert.deepEqual(validateConnection(entry, ADAPTERS), [], vendor);
      for (const [bad, words] of common) {
        const problems = validateConnection({ ...entry, ...bad }, ADAPTERS);
        assert.equal(problems.length, 1, `${vendor} ${JSON.stringify(bad)}: ${problems.join(' | ')}`);
        assert.ok(problems[0].startsWith(words), problems[0]);
      }
      // An auth kind of another vendor: the common words name this vendor's kinds.
      const other = AUTH_KINDS.find((k) => !ADAPTERS[vendor].authKinds.includes(k));
      assert.deepEqual(validateConnection({ ...entry, auth: other }, ADAPTERS), [
        `"auth": ${ADAPTERS[vendor].displayName} supports ${ADAPTERS[vendor].authKinds.join(', ')}, not ${other}`,
      ]);
    }
  });

  it('binds stored secrets to the vendor, server and account, not to the id alone', () => {
    const base = { id: 'prod', vendor: 'datarhei', baseUrl: 'https://core.example.com/', username: 'admin' } as const;
    assert.equal(connectionBinding(base), connectionBinding({ ...base, baseUrl: 'https://core.example.com', label: 'renamed', keepAlive: true }));
    assert.notEqual(connectionBinding(base), connectionBinding({ ...base, baseUrl: 'https://evil.example.com' }));
    assert.notEqual(connectionBinding(base), connectionBinding({ ...base, username: 'other' }));
    assert.notEqual(connectionBinding(base), connectionBinding({ ...base, auth: 'auth0' }));
    assert.notEqual(connectionBinding(base), connectionBinding({ ...base, vendor: 'code42' }));
  });
});

describe('mock vendor servers run on their own', () => {
  const SERVER_JS = path.resolve(__dirname, '../mock-vendors/server.js');

  /** Two consecutive free loopback ports (HTTP on N, HTTPS on N+1). */
  async function freePortPair(): Promise<number> {
    const isFree = (port: number) =>
      new Promise<boolean>((resolve) => {
        const s = createServer().once('error', () => resolve(false));
        s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
      });
    for (let n = 0; n < 50; n++) {
      const base = 20_000 + Math.floor(Math.random() * 40_000);
      if ((await isFree(base)) && (await isFree(base + 1))) return base;
    }
    throw new Error('no free port pair');
  }

  it('node server.js --port-base N: one line per vendor with URL and accounts, serves, stops on Ctrl+C', async function () {
    this.timeout(15_000);
    const base = await freePortPair();
    const child = spawn(process.execPath, [SERVER_JS, '--port-base', String(base)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString('utf8');
          if (out.includes('Ctrl+C')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`exited early (${code}): ${out}`)));
      });
      const lines = out.trim().split('\n');
      assert.match(lines[0], new RegExp(`^mock vendor servers on http://127\\.0\\.0\\.1:${base} and https://127\\.0\\.0\\.1:${base + 1}`));
      for (const [vendor, url, account] of [
        ['cove', `http://127.0.0.1:${base}/cove/jsonapi`, 'admin@acme.com / cove-demo-pass'],
        ['commvault', `http://127.0.0.1:${base}/commvault/webconsole/api`, 'admin / cv-demo-pass'],
        ['ipcortex', `http://127.0.0.1:${base}/ipcortex`, 'alice / ipc-demo-pass'],
        ['code42', `http://127.0.0.1:${base}/code42`, 'mfa@example.com / c42-mfa-pass'],
        ['datarhei', `http://127.0.0.1:${base}/datarhei`, 'admin / s3cret-pass'],
      ]) {
        const line = lines.find((l) => l.startsWith(`${vendor} `));
        assert.ok(line, `a line for ${vendor}: ${out}`);
        assert.ok(line.includes(url) && line.includes(account), line);
      }
      // Standalone, datarhei answers GET /api byte for byte as the real server did (Auth0 off).
      const about = await new Promise<string>((resolve, reject) => {
        http
          .get(`http://127.0.0.1:${base}/datarhei/api`, { agent: false }, (res) => {
            let b = '';
            res.on('data', (c: Buffer) => (b += c.toString('utf8')));
            res.on('end', () => resolve(b));
          })
          .on('error', reject);
      });
      assert.equal(about, '{"app":"datarhei-core","auths":["localjwt"],"version":{"number":"16.0.0"}}\n');
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a --port-base that is not a port', async () => {
    const child = spawn(process.execPath, [SERVER_JS, '--port-base', 'abc'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(err, /--port-base must be a port number/);
  });
});

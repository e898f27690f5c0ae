// Copy-as-curl, run for real: for every vendor and credential kind, log in through the session manager, build the
// curl line for each sample request, run that exact line with the system curl (`sh -c LINE`), and check that
// (1) the mock answers 200 with its authenticated answer, and (2) curl put on the wire exactly what the adapter
// sends for the same request (method, path, headers, body bytes) — a recording relay sits in front of the mocks.
//
// curl reads its output options from a private .curlrc (CURL_HOME), so the command line is byte for byte the
// one a user pastes: the status goes to stderr, the body to stdout.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { curlCommand as curlOf, shellQuote } from '../../src/engine/curl';
import { isAuthError } from '../../src/core/errors';
import { SessionManager } from '../../src/engine/manager';
import { createSession } from '../../src/core/session';
import { fillSample } from '../../src/engine/requests';
import type { ConnectionConfig, ExploreRequest, Session } from '../../src/core/types';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { BASE_PATHS, type MockVendor, TLS_DIR } from '../mock-vendors/server';
import { useMockVendors } from './helpers';
import { ADAPTERS } from '../../src/vendors';

/** What the adapter puts on the wire for `req`, and the curl line that sends the same. */
const wireRequest = (conn: ConnectionConfig, s: Session, req: ExploreRequest) => ADAPTERS[conn.vendor].wire(conn, s, req);
const curlCommand = (conn: ConnectionConfig, s: Session, req: ExploreRequest) => curlOf(conn, wireRequest(conn, s, req));

const CERT = path.join(TLS_DIR, 'selfsigned-cert.pem');
const KEY = path.join(TLS_DIR, 'selfsigned-key.pem');

interface Seen {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A loopback relay that records each request and forwards it to the mock vendors' plain-HTTP port. */
interface Relay {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

async function startRelay(target: string, secure: boolean): Promise<Relay> {
  const seen: Seen[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers, body: body.toString('utf8') });
      const out = http.request(`${target}${req.url ?? '/'}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      out.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      out.end(body);
    });
  };
  const server = secure ? https.createServer({ key: fs.readFileSync(KEY), cert: fs.readFileSync(CERT) }, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `${secure ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Headers that differ between clients without changing the request's meaning. */
const TRANSPORT_HEADERS = new Set(['host', 'connection', 'user-agent', 'accept-encoding', 'content-length', 'transfer-encoding']);

/**
 * The request minus transport headers. One known difference is left out too: for a POST/PUT/PATCH without a body,
 * axios (dispatchRequest) adds `Content-Type: application/x-www-form-urlencoded` that the adapters never asked for
 * (they set a Content-Type only with a body); curl sends none, which is what the adapters mean. Once src/core/http.ts
 * tells axios not to add it, this exception never applies.
 */
function meaningful(s: Seen): Seen {
  const headers = Object.fromEntries(Object.entries(s.headers).filter(([k]) => !TRANSPORT_HEADERS.has(k)));
  if (s.body === '' && headers['content-type'] === 'application/x-www-form-urlencoded') delete headers['content-type'];
  return { method: s.method, url: s.url, headers, body: s.body };
}

interface CurlRun {
  code: number;
  status: number;
  body: string;
  stderr: string;
}

function runCurl(line: string, curlHome: string): Promise<CurlRun> {
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      ['-c', line],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CURL_HOME: curlHome, HOME: curlHome }, timeout: 20_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        const m = /HTTP-STATUS (\d{3})/.exec(stderr);
        resolve({ code, status: m ? Number(m[1]) : 0, body: stdout, stderr });
      },
    );
  });
}

/** The body curl sends, read back from the line (`--data-raw '…'`, undoing the shell quoting). */
function dataOf(line: string): string | undefined {
  const m = /--data-raw ('(?:[^']|'\\'')*')/.exec(line);
  return m ? m[1].slice(1, -1).replace(/'\\''/g, "'") : undefined;
}

function json(body: string): Record<string, unknown> {
  const v = JSON.parse(body) as unknown;
  assert.ok(typeof v === 'object' && v !== null, `not a JSON value: ${body.slice(0, 200)}`);
  return v as Record<string, unknown>;
}

type Rec = Record<string, unknown>;
const data = (b: string): Rec => json(b).data as Rec;

interface Case {
  title: string;
  vendor: MockVendor;
  secure?: 'insecure' | 'caFile';
  conn: Omit<ConnectionConfig, 'baseUrl' | 'vendor'>;
  secret: string;
  /** The requests to turn into curl lines (the vendor's samples, plus extras for bodies and headers). */
  requests: ExploreRequest[];
  /** Asserts that an answer is the mock's authenticated one (an unauthenticated call gets 401 or an error body). */
  proves(req: ExploreRequest, body: string): void;
}

function samples(vendor: MockVendor): ExploreRequest[] {
  return [...ADAPTERS[vendor].sampleRequests];
}

/** Cove: every answer is HTTP 200, so the proof is a result (no JSON-RPC error) with a fresh visa beside it. */
function coveProves(req: ExploreRequest, body: string): void {
  const b = json(body);
  assert.equal(b.error, undefined, `JSON-RPC error: ${body}`);
  assert.equal(typeof b.visa, 'string', 'a successful Cove answer carries a new visa');
  const result = (b.result as Rec).result;
  const method = req.kind === 'rpc' ? req.method : '';
  if (method === 'EnumeratePartners') {
    assert.deepEqual(
      (result as Rec[]).map((p) => p.Name),
      ['Contoso Ltd', 'Fabrikam BV'],
    );
  } else if (method === 'GetPartnerInfo') {
    assert.equal((result as Rec).Name, ACCOUNTS.cove.partner);
  } else if (method === 'EnumerateAccountStatistics') {
    assert.equal((result as Rec[]).length, 3);
  } else if (method === 'EnumerateUsers') {
    assert.ok((result as Rec[]).some((u) => u.EmailAddress === ACCOUNTS.cove.username));
  } else if (method === 'EnumerateColumns') {
    assert.ok((result as Rec[]).some((c) => c.Id === 'I1'));
  } else {
    assert.fail(`no proof for ${method}`);
  }
}

function commvaultJsonProves(req: ExploreRequest, body: string): void {
  const p = req.kind === 'rest' ? req.path : '';
  const b = json(body);
  if (p === '/WhoAmI') assert.equal(b.userName, ACCOUNTS.commvault.username);
  else if (p === '/Client') assert.equal((b.clientProperties as unknown[]).length, 3);
  else if (p === '/CommServ') assert.equal((b.commcell as Rec).commCellName, 'testcs');
  else assert.fail(`no proof for ${p}`);
}

function commvaultXmlProves(req: ExploreRequest, body: string): void {
  const p = req.kind === 'rest' ? req.path : '';
  assert.match(body, /^<\?xml /, 'an XML answer');
  if (p === '/WhoAmI') assert.match(body, new RegExp(`<App_WhoAmIResp [^>]*userName="${ACCOUNTS.commvault.username}"`));
  else if (p === '/Client') assert.match(body, /<App_GetClientPropertiesResponse>.*clientName="fileserver01"/s);
  else if (p === '/CommServ') assert.match(body, /<App_GetCommServResponse [^>]*csVersionInfo="11\.36\.24"/);
  else assert.fail(`no proof for ${p}`);
}

/** IPCortex answers "not authenticated" with HTTP 200 too: the proof is `result: success` and the list. */
function ipcortexProves(req: ExploreRequest, body: string): void {
  const p = req.kind === 'rest' ? req.path : '';
  const b = json(body);
  assert.equal(b.result, 'success', body);
  const values = b.values as Rec[];
  if (p === '/rest/user/list') assert.ok(values.some((u) => u.login === ACCOUNTS.ipcortex.username));
  else if (p === '/rest/line/list') assert.ok(values.some((l) => l.id === 'SIP/201'));
  else assert.fail(`no proof for ${p}`);
}

function code42Proves(req: ExploreRequest, body: string): void {
  const p = req.kind === 'rest' ? req.path : '';
  if (p === '/api/User/my') assert.equal(data(body).username, ACCOUNTS.code42.username);
  else if (p === '/api/v1/Org/my') assert.equal(data(body).orgName, 'Acme Backup');
  else if (p === '/api/v1/Computer') assert.equal((data(body).computers as unknown[]).length, 2);
  else assert.fail(`no proof for ${p}`);
}

function datarheiProves(req: ExploreRequest, body: string): void {
  const p = req.kind === 'rest' ? req.path : '';
  if (p === '/api') {
    // Without a valid token /api answers 200 too, but only the short form (no name, no id).
    const b = json(body);
    assert.equal(typeof b.name, 'string', 'the full "about" (name) needs a valid token');
    assert.equal(typeof b.id, 'string');
  } else if (p === '/api/v3/process') {
    assert.deepEqual(JSON.parse(body), []);
  } else if (p === '/api/v3/config') {
    assert.equal((json(body).config as Rec).api !== undefined, true);
  } else if (p === '/api/v3/skills') {
    assert.equal(typeof (json(body).ffmpeg as Rec).version, 'string');
  } else if (p === '/api/v3/fs') {
    assert.deepEqual(
      (JSON.parse(body) as Rec[]).map((f) => f.name),
      ['disk', 'mem'],
    );
  }
  // /ping needs no auth at all (it answers `pong` to anyone): only the answer is checked.
  else if (p === '/ping') {
    assert.equal(body, 'pong');
  } else {
    assert.fail(`no proof for ${p}`);
  }
}

// Cove's samples carry `{partner}` / `{partnerId}`, filled in per session below (fillSample), as Send Request does.
const coveRequests = samples('cove');

// An extra Commvault call with a body: the mock ignores WhoAmI's body but records it, and the relay compares the
// bytes with the adapter's (JSON for a JSON connection, XML for an XML one).
const cvWithBody: ExploreRequest = {
  kind: 'rest',
  method: 'POST',
  path: '/WhoAmI',
  body: { App_WhoAmIReq: { userName: ACCOUNTS.commvault.username, mode: 4 } },
};

// An IPCortex body with a quote (shell quoting) and an auth object of its own (the key is merged into it).
const ipcQuoted: ExploreRequest = { kind: 'rest', method: 'POST', path: '/rest/user/list', body: { filter: "O'Brien", auth: { scope: 'all' } } };

const CASES: Case[] = [
  {
    title: 'Cove password (visa in the JSON-RPC body)',
    vendor: 'cove',
    conn: { id: 'cove', partner: ACCOUNTS.cove.partner, username: ACCOUNTS.cove.username },
    secret: ACCOUNTS.cove.password,
    requests: coveRequests,
    proves: coveProves,
  },
  {
    title: 'Commvault JSON (Authtoken header)',
    vendor: 'commvault',
    conn: { id: 'cv-json', username: ACCOUNTS.commvault.username },
    secret: ACCOUNTS.commvault.password,
    requests: [...samples('commvault'), cvWithBody],
    proves: (req, body) => commvaultJsonProves(req, body),
  },
  {
    title: 'Commvault XML over self-signed HTTPS (-k)',
    vendor: 'commvault',
    secure: 'insecure',
    conn: { id: 'cv-xml', username: ACCOUNTS.commvault.username, format: 'xml', tls: { rejectUnauthorized: false } },
    secret: ACCOUNTS.commvault.password,
    requests: [...samples('commvault'), cvWithBody],
    proves: (req, body) => commvaultXmlProves(req, body),
  },
  {
    title: 'IPCortex password (Red60urne cookie)',
    vendor: 'ipcortex',
    conn: { id: 'ipc', username: ACCOUNTS.ipcortex.username },
    secret: ACCOUNTS.ipcortex.password,
    requests: [...samples('ipcortex'), ipcQuoted],
    proves: ipcortexProves,
  },
  {
    title: 'IPCortex API key in the header (Authorization: token auth=…)',
    vendor: 'ipcortex',
    conn: { id: 'ipc-key-header', auth: 'apiKey', apiKeyIn: 'header' },
    secret: ACCOUNTS.ipcortex.apiKey,
    requests: [...samples('ipcortex'), ipcQuoted],
    proves: ipcortexProves,
  },
  {
    title: 'IPCortex API key in the body (auth.key)',
    vendor: 'ipcortex',
    conn: { id: 'ipc-key-body', auth: 'apiKey', apiKeyIn: 'body' },
    secret: ACCOUNTS.ipcortex.apiKey,
    requests: [...samples('ipcortex'), ipcQuoted],
    proves: ipcortexProves,
  },
  {
    title: 'Code42 token (Bearer v3 JWT)',
    vendor: 'code42',
    conn: { id: 'c42-token', username: ACCOUNTS.code42.username, auth: 'token' },
    secret: ACCOUNTS.code42.password,
    requests: samples('code42'),
    proves: code42Proves,
  },
  {
    title: 'Code42 Basic',
    vendor: 'code42',
    conn: { id: 'c42-basic', username: ACCOUNTS.code42.username, auth: 'basic' },
    secret: ACCOUNTS.code42.password,
    requests: samples('code42'),
    proves: code42Proves,
  },
  {
    title: 'datarhei password (Bearer access JWT) over HTTPS trusted with tls.caFile (--cacert)',
    vendor: 'datarhei',
    secure: 'caFile',
    conn: { id: 'dr', username: ACCOUNTS.datarhei.username, tls: { caFile: CERT } },
    secret: ACCOUNTS.datarhei.password,
    requests: [...samples('datarhei'), { kind: 'rest', method: 'GET', path: '/api/v3/process', headers: { 'X-Request-Id': 'curl-test-1' } }],
    proves: datarheiProves,
  },
];

/** Where curl is, or '' when it is not installed. */
function curlPath(): string {
  try {
    return execFileSync('/bin/sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function describeReq(r: ExploreRequest): string {
  if (r.kind === 'rpc') return `rpc ${r.method}${r.method === 'GetPartnerInfo' ? ' (the connection’s partner)' : ''}`;
  const body = r.body === undefined ? '' : ` ${JSON.stringify(r.body)}`;
  const headers = r.headers ? ` + ${Object.keys(r.headers).join(', ')}` : '';
  return `${r.method} ${r.path}${body}${headers}`;
}

describe('Copy as curl: the line runs with the system curl and sends what the adapter sends', function () {
  this.timeout(30_000);
  const mock = useMockVendors();
  let curlHome: string;
  let plain: Relay;
  let secure: Relay;

  before(async function () {
    if (!curlPath()) {
      // mocha's skip() takes no reason: say it here so the skipped suite is explained in the output.
      console.warn('      skipped: curl is not installed (`command -v curl` found nothing); install curl to run these tests');
      this.skip();
    }
    curlHome = fs.mkdtempSync(path.join(os.tmpdir(), 'api-auth-curl-'));
    fs.writeFileSync(path.join(curlHome, '.curlrc'), 'silent\nshow-error\nwrite-out = "%{stderr}HTTP-STATUS %{http_code}\\n"\n');
    plain = await startRelay(mock().url, false);
    secure = await startRelay(mock().url, true);
  });
  after(async () => {
    await plain?.close();
    await secure?.close();
    if (curlHome) fs.rmSync(curlHome, { recursive: true, force: true });
  });

  for (const c of CASES) {
    describe(c.title, () => {
      let conn: ConnectionConfig;
      let manager: SessionManager;

      before(async () => {
        const relay = c.secure ? secure : plain;
        conn = { ...c.conn, vendor: c.vendor, baseUrl: `${relay.url}${BASE_PATHS[c.vendor]}` } as ConnectionConfig;
        manager = new SessionManager({ adapters: ADAPTERS, getSecret: async () => c.secret });
        await manager.login(conn, { secret: c.secret });
      });

      it('the line carries the connection’s TLS choice', () => {
        const line = curlCommand(conn, manager.get(conn.id) as Session, c.requests[0]);
        assert.ok(line.startsWith('curl '));
        assert.equal(line.includes(' -k '), c.secure === 'insecure');
        assert.equal(line.includes(` --cacert ${shellQuote(CERT)} `), c.secure === 'caFile');
      });

      for (const sample of c.requests) {
        it(`${describeReq(sample)}: 200 with the authenticated answer, same request as the adapter's`, async () => {
          const relay = c.secure ? secure : plain;
          const before = manager.get(conn.id) as Session;
          const req = fillSample(sample, conn, before);
          const line = curlCommand(conn, before, req);

          // The adapter's request (through the session manager), recorded by the relay.
          relay.seen.length = 0;
          const viaAdapter = await manager.request(conn, req);
          assert.equal(viaAdapter.response.status, 200);
          assert.equal(relay.seen.length, 1, 'the adapter sent exactly one request');
          const adapterSent = meaningful(relay.seen[0]);

          // The curl line, run as pasted.
          relay.seen.length = 0;
          const run = await runCurl(line, curlHome);
          assert.equal(run.code, 0, `curl failed (${run.code}): ${run.stderr}\n${line}`);
          assert.equal(run.status, 200, `HTTP ${run.status}: ${run.body.slice(0, 300)}`);
          c.proves(req, run.body);
          assert.equal(relay.seen.length, 1, 'curl sent exactly one request');
          assert.deepEqual(meaningful(relay.seen[0]), adapterSent);

          if (c.vendor === 'cove') {
            const sent = json(dataOf(line) ?? '{}');
            assert.equal(sent.visa, before.token, 'the curl body carries the session’s current visa');
            assert.equal(sent.visa, before.attach.value);
          }
          if (c.vendor === 'commvault' && req.kind === 'rest' && req.body !== undefined) {
            const xml = conn.format === 'xml';
            assert.equal(adapterSent.headers['content-type'], xml ? 'application/xml' : 'application/json');
            assert.equal(adapterSent.headers.accept, xml ? 'application/xml' : 'application/json');
            if (xml) {
              assert.match(adapterSent.body, /^<App_WhoAmIReq userName="admin" mode="4"><\/App_WhoAmIReq>$|^<App_WhoAmIReq userName="admin" mode="4"\/>$/);
            } else {
              assert.equal(adapterSent.body, JSON.stringify(req.body));
            }
          }
        });
      }
    });
  }
});

describe('curlCommand: shape of the line', () => {
  const session = (over: Partial<Session>): Session => ({
    ...createSession({
      connectionId: 'x',
      vendor: 'datarhei',
      authKind: 'password',
      token: 'tok',
      attach: { kind: 'header', name: 'Authorization', value: 'Bearer tok' },
      now: 0,
      method: 'POST /api/login',
    }),
    ...over,
  });
  const dr: ConnectionConfig = { id: 'dr', vendor: 'datarhei', baseUrl: 'https://core.example/', username: 'admin' };

  it('GET stays GET even with a body (curl would make --data a POST); HEAD is -I', () => {
    assert.equal(
      curlCommand(dr, session({}), { kind: 'rest', method: 'get', path: '/api/v3/process', body: { a: 1 } }),
      `curl -X GET -H 'Authorization: Bearer tok' -H 'Accept: application/json' -H 'Content-Type: application/json' --data-raw '{"a":1}' 'https://core.example/api/v3/process'`,
    );
    assert.equal(
      curlCommand(dr, session({}), { kind: 'rest', method: 'HEAD', path: '/api' }),
      `curl -I -H 'Authorization: Bearer tok' -H 'Accept: application/json' 'https://core.example/api'`,
    );
  });

  it('a body starting with @ is sent as text, not read from a file', () => {
    const line = curlCommand(dr, session({}), { kind: 'rest', method: 'POST', path: '/x', body: '@/etc/passwd' });
    assert.match(line, / --data-raw '@\/etc\/passwd' /);
  });

  it('the Commvault Authtoken cannot be overridden by a user header; user headers replace the defaults', () => {
    const cv: ConnectionConfig = { id: 'cv', vendor: 'commvault', baseUrl: 'https://cs.example/webconsole/api', username: 'admin', format: 'xml' };
    const s = session({ vendor: 'commvault', token: 'QSDK abc', attach: { kind: 'header', name: 'Authtoken', value: 'QSDK abc' } });
    const w = wireRequest(cv, s, { kind: 'rest', method: 'GET', path: '/Client', headers: { authtoken: 'mine', accept: 'application/json' } });
    assert.deepEqual(w.headers, { accept: 'application/json', Authtoken: 'QSDK abc' });
    assert.equal(
      curlCommand(cv, s, { kind: 'rest', method: 'POST', path: '/QCommand', body: '<App_Req a="1"/>' }),
      `curl -X POST -H 'Authtoken: QSDK abc' -H 'Accept: application/xml' -H 'Content-Type: application/xml' --data-raw '<App_Req a="1"/>' 'https://cs.example/webconsole/api/QCommand'`,
    );
  });

  it('a Commvault XML body that is neither an object nor text is refused, as the adapter refuses it', () => {
    const cv: ConnectionConfig = { id: 'cv', vendor: 'commvault', baseUrl: 'https://cs.example/api', username: 'admin', format: 'xml' };
    const s = session({ vendor: 'commvault', token: 'QSDK abc', attach: { kind: 'header', name: 'Authtoken', value: 'QSDK abc' } });
    assert.throws(
      () => curlCommand(cv, s, { kind: 'rest', method: 'POST', path: '/X', body: [1, 2] }),
      (e: unknown) => isAuthError(e) && e.kind === 'config',
    );
  });

  it('an IPCortex cookie joins a cookie of the user’s own in one -b', () => {
    const ipc: ConnectionConfig = { id: 'ipc', vendor: 'ipcortex', baseUrl: 'https://pabx.example', username: 'alice' };
    const s = session({ vendor: 'ipcortex', token: 'c00k', attach: { kind: 'cookie', name: 'Red60urne', value: 'c00k' } });
    assert.equal(
      curlCommand(ipc, s, { kind: 'rest', method: 'POST', path: '/rest/user/list', body: {}, headers: { Cookie: 'lang=en' } }),
      `curl -X POST -b 'lang=en; Red60urne=c00k' -H 'Accept: application/json' -H 'Content-Type: application/json' --data-raw '{}' 'https://pabx.example/rest/user/list'`,
    );
  });

  it('the Cove id follows the session’s last JSON-RPC id, as the adapter numbers its calls', () => {
    const cove: ConnectionConfig = { id: 'cove', vendor: 'cove', baseUrl: 'https://api.backup.management/jsonapi', partner: 'P', username: 'u' };
    const s = session({ vendor: 'cove', token: 'V2', attach: { kind: 'jsonrpc', name: 'visa', value: 'V2' }, vendorState: { lastRpcId: '4' } });
    assert.equal(
      curlCommand(cove, s, { kind: 'rpc', method: 'EnumerateColumns' }),
      `curl -X POST -H 'Content-Type: application/json' -H 'Accept: application/json' --data-raw '{"jsonrpc":"2.0","id":"5","visa":"V2","method":"EnumerateColumns","params":{}}' 'https://api.backup.management/jsonapi'`,
    );
  });
});

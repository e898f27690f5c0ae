// One Node process that speaks all five vendor protocols on loopback, over HTTP and HTTPS (self-signed).
// Vendors live under a path prefix: http://127.0.0.1:PORT/<vendor>/… . Faults can be injected per vendor,
// programmatically or with `POST /__mock/fault {"vendor":"datarhei","fault":{"kind":"status500"},"times":1}`.
//
// Used as a module by the tests and the demo (`startMockVendors`), or run on its own to try a client by hand:
//   node out/test/mock-vendors/server.js [--port-base N] [--auth0]
// starts every vendor on 127.0.0.1 (HTTP on N, HTTPS on N+1; free ports without --port-base), prints one line per
// vendor with its base URL and demo accounts, and runs until Ctrl+C. datarhei's Auth0 login is off unless --auth0
// is given, so that `GET /api` answers as the real server did (`"auths":["localjwt"]`).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ACCOUNTS } from './accounts';
import { createHandler as code42 } from './code42';
import { createHandler as commvault } from './commvault';
import { createHandler as cove } from './cove';
import { datarheiAuth0Tenants, createHandler as datarhei, mintAuth0Token } from './datarhei';
import { createHandler as ipcortex } from './ipcortex';
import { sleep } from './util';
import { type FaultRule, type Lifetimes, type MockEnv, type MockReply, type MockRequest, type MockStats, REAL_LIFETIMES, type VendorHandler } from './types';

export const MOCK_VENDORS = ['cove', 'commvault', 'ipcortex', 'code42', 'datarhei'] as const;
export type MockVendor = (typeof MOCK_VENDORS)[number];

/** Path under the vendor prefix that a connection's baseUrl points at. */
export const BASE_PATHS: Record<MockVendor, string> = {
  cove: '/cove/jsonapi',
  commvault: '/commvault/webconsole/api',
  ipcortex: '/ipcortex',
  code42: '/code42',
  datarhei: '/datarhei',
};

export interface MockVendorsOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  httpsPort?: number;
  lifetimes?: Partial<Lifetimes>;
  /** The servers' time (default Date.now); tests pass the same test clock as the client's, and move it. */
  clock?: () => number;
  /**
   * datarhei: accept Auth0 tokens (and list "auth0" in `GET /api`). Default false, as on the real server whose answers
   * the mock reproduces (`"auths":["localjwt"]`).
   */
  datarheiAuth0?: boolean;
  /**
   * Address to listen on (default 127.0.0.1). Tests that must not be exempted from VS Code's network patch use another
   * loopback address such as 127.0.0.2 (the whole 127.0.0.0/8 is loopback).
   */
  host?: string;
  /**
   * The HTTPS server's certificate: 'selfsigned' (default; 127.0.0.1 and localhost only) or 'ca' (test/fixtures/tls
   * server-cert.pem, signed by ca-cert.pem, for vendor.test, localhost, 127.0.0.1, 127.0.0.2 and ::1).
   */
  httpsCert?: 'selfsigned' | 'ca';
  /** HTTPS only: demand a client certificate signed by the test CA (mutual TLS); a handshake without one fails. */
  requireClientCert?: boolean;
  /**
   * Puts the servers' clock this far from `clock` (negative: behind), as a server whose clock is off: the `Date`
   * header and every time the vendors issue or check (JWT iat/exp, idle windows) move with it.
   */
  serverClockOffsetMs?: number;
}

export interface MockVendors {
  /** http://HOST:PORT (HOST: `opts.host`, default 127.0.0.1) */
  url: string;
  /** https://HOST:PORT (certificate: test/fixtures/tls, see `opts.httpsCert`) */
  httpsUrl: string;
  env: MockEnv;
  /** baseUrl for a vendor over http (or https). */
  baseUrl(vendor: MockVendor, secure?: boolean): string;
  setFault(vendor: MockVendor | '*', rule: FaultRule | null): void;
  clearFaults(): void;
  close(): Promise<void>;
}

function makeStats(): MockStats {
  const counts: Record<string, number> = {};
  return {
    counts,
    inc: (n) => void (counts[n] = (counts[n] ?? 0) + 1),
    get: (n) => counts[n] ?? 0,
    reset: () => {
      for (const k of Object.keys(counts)) delete counts[k];
    },
  };
}

export const TLS_DIR = path.resolve(__dirname, '../../../test/fixtures/tls');

export async function startMockVendors(opts: MockVendorsOptions = {}): Promise<MockVendors> {
  const base = opts.clock ?? (() => Date.now());
  const offset = opts.serverClockOffsetMs ?? 0;
  const env: MockEnv = {
    clock: offset ? () => base() + offset : base,
    lifetimes: { ...REAL_LIFETIMES, ...opts.lifetimes },
    stats: makeStats(),
  };
  const handlers: Record<MockVendor, VendorHandler> = {
    cove: cove(env),
    commvault: commvault(env),
    ipcortex: ipcortex(env),
    code42: code42(env),
    datarhei: datarhei(env, opts.datarheiAuth0 === undefined ? {} : { auth0: opts.datarheiAuth0 }),
  };
  const faults = new Map<string, FaultRule>();

  const takeFault = (vendor: MockVendor, path: string): FaultRule['fault'] | null => {
    const rule = faults.get(vendor) ?? faults.get('*');
    if (!rule) return null;
    if (rule.fault.kind === 'reply' && rule.fault.path !== undefined && rule.fault.path !== path) return null;
    if (rule.times !== undefined) {
      rule.times -= 1;
      if (rule.times <= 0) faults.delete(faults.get(vendor) === rule ? vendor : '*');
    }
    return rule.fault;
  };

  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    ENVS.set(res, env);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void dispatch(req, res, Buffer.concat(chunks));
    });
  };

  const dispatch = async (req: http.IncomingMessage, res: http.ServerResponse, bytes: Buffer): Promise<void> => {
    const body = bytes.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/__mock/fault' && req.method === 'POST') {
      try {
        const p = JSON.parse(body) as { vendor: MockVendor | '*'; fault: FaultRule['fault'] | null; times?: number };
        if (p.fault) faults.set(p.vendor, { fault: p.fault, times: p.times });
        else faults.delete(p.vendor);
        return write(res, { status: 204 });
      } catch {
        return write(res, { status: 400, body: 'bad fault' });
      }
    }
    if (url.pathname === '/__mock/stats') {
      return write(res, { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(env.stats.counts) });
    }
    // The datarhei mock's Auth0 tenants publish their keys here (a real tenant: https://<domain>/.well-known/jwks.json).
    const jwks = /^\/__mock\/auth0\/([^/]+)\/\.well-known\/jwks\.json$/.exec(url.pathname);
    if (jwks) {
      const tenant = datarheiAuth0Tenants(env).find((t) => t.domain === jwks[1]);
      if (!tenant) return write(res, { status: 404, headers: { 'content-type': 'text/plain' }, body: 'no such tenant' });
      return write(res, { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(tenant.jwks()) });
    }
    const m = /^\/(cove|commvault|ipcortex|code42|datarhei)(\/.*)?$/.exec(url.pathname);
    if (!m) return write(res, { status: 404, headers: { 'content-type': 'text/plain' }, body: 'no such vendor' });
    const vendor = m[1] as MockVendor;
    const fault = takeFault(vendor, m[2] ?? '/');
    if (fault) {
      switch (fault.kind) {
        case 'delay':
          await sleep(fault.ms);
          break;
        case 'drop':
          req.socket.destroy();
          return;
        case 'status500':
          return write(res, { status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal Server Error' });
        case 'html':
          return write(res, {
            status: 200,
            headers: { 'content-type': 'text/html; charset=utf-8' },
            body: '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Portal login page</body></html>',
          });
        case 'notJson':
          return write(res, { status: 200, headers: { 'content-type': 'text/plain' }, body: 'OK' });
        case 'reply':
          return write(res, { status: fault.status, headers: { 'content-type': fault.contentType }, body: fault.body });
      }
    }
    const mreq: MockRequest = { method: req.method ?? 'GET', path: m[2] ?? '/', query: url.searchParams, headers: req.headers, body, bytes };
    let reply: MockReply;
    try {
      reply = await handlers[vendor](mreq);
    } catch (e) {
      reply = { status: 500, headers: { 'content-type': 'text/plain' }, body: `mock error: ${(e as Error).message}` };
    }
    if (reply.delayMs) await sleep(reply.delayMs);
    write(res, reply);
  };

  const plain = http.createServer(listener);
  const certName = opts.httpsCert === 'ca' ? 'server' : 'selfsigned';
  const secure = https.createServer(
    {
      key: fs.readFileSync(path.join(TLS_DIR, `${certName}-key.pem`)),
      cert: fs.readFileSync(path.join(TLS_DIR, `${certName}-cert.pem`)),
      ...(opts.requireClientCert ? { requestCert: true, rejectUnauthorized: true, ca: fs.readFileSync(path.join(TLS_DIR, 'ca-cert.pem')) } : {}),
    },
    listener,
  );
  const host = opts.host ?? '127.0.0.1';
  await listen(plain, opts.port ?? 0, host);
  await listen(secure, opts.httpsPort ?? 0, host);
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const url = `http://${hostInUrl}:${(plain.address() as AddressInfo).port}`;
  const httpsUrl = `https://${hostInUrl}:${(secure.address() as AddressInfo).port}`;

  return {
    url,
    httpsUrl,
    env,
    baseUrl: (vendor, isSecure = false) => `${isSecure ? httpsUrl : url}${BASE_PATHS[vendor]}`,
    setFault: (vendor, rule) => (rule ? faults.set(vendor, { ...rule }) : faults.delete(vendor)),
    clearFaults: () => faults.clear(),
    close: async () => {
      await Promise.all([close(plain), close(secure)]);
    },
  };
}

/** The servers whose request each response answers: write() dates the answer by their clock. */
const ENVS = new WeakMap<http.ServerResponse, MockEnv>();

function write(res: http.ServerResponse, reply: MockReply): void {
  if (res.destroyed) return;
  // Node would set Date from the real clock; the servers' clock (a test clock, a clock that is off) says it instead.
  const headers = { ...reply.headers };
  const env = ENVS.get(res);
  if (env && !Object.keys(headers).some((h) => h.toLowerCase() === 'date')) headers.Date = new Date(env.clock()).toUTCString();
  // A HEAD answer tells the length the GET body would have, as Go's net/http and Tomcat's HttpServlet.doHead do (Node
  // sends none when the body is dropped).
  if (res.req?.method === 'HEAD' && reply.body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    headers['Content-Length'] = String(Buffer.byteLength(reply.body));
  }
  res.writeHead(reply.status, headers);
  // Node has no switch for its automatic `Connection: keep-alive` + `Keep-Alive: timeout=N` lines (removeHeader does
  // not reach them; a Connection header of our own would be sent instead): writeHead has built the head, so drop them
  // from it. The connection stays open, as with Go's server.
  const head = res as unknown as { _header?: string };
  if (reply.connectionHeader === false && typeof head._header === 'string') {
    head._header = head._header.replace(/\r\nConnection: keep-alive(\r\nKeep-Alive: [^\r]*)?/i, '');
  }
  res.end(reply.body ?? '');
}

function listen(server: http.Server | https.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

function close(server: http.Server | https.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** One line per vendor: its base URLs and the demo accounts (fake loopback credentials, see accounts.ts). */
export function describeMockVendors(mock: Pick<MockVendors, 'baseUrl'>, opts: { auth0?: boolean } = {}): string[] {
  const a = ACCOUNTS;
  const accounts: Record<MockVendor, string> = {
    cove: `partner "${a.cove.partner}"; ${a.cove.username} / ${a.cove.password}; API user ${a.cove.apiUser.username} / ${a.cove.apiUser.password}; viewer ${a.cove.viewer.username} / ${a.cove.viewer.password}`,
    commvault: `${a.commvault.username} / ${a.commvault.password} (commserver ${a.commvault.commserver}); domain ${a.commvault.domainUser.domain}\\${a.commvault.domainUser.username} / ${a.commvault.domainUser.password}; locked ${a.commvault.locked.username} / ${a.commvault.locked.password}`,
    ipcortex: `${a.ipcortex.username} / ${a.ipcortex.password}; API key ${a.ipcortex.apiKey}`,
    code42: `${a.code42.username} / ${a.code42.password}; two-factor ${a.code42.mfa.username} / ${a.code42.mfa.password} (TOTP secret ${a.code42.mfa.totpSecret}, or npm run totp); SSO-only ${a.code42.sso.username} (refused: needs a local account)`,
    datarhei: `${a.datarhei.username} / ${a.datarhei.password}; Auth0 ${opts.auth0 ? `on (RS256 tokens of ${a.datarhei.auth0.issuer}, JWKS under /__mock/auth0/)` : 'off (--auth0 turns it on)'}`,
  };
  const width = Math.max(...MOCK_VENDORS.map((v) => v.length));
  return MOCK_VENDORS.map((v) => `${v.padEnd(width)}  ${mock.baseUrl(v)}  (https: ${mock.baseUrl(v, true)})  ${accounts[v]}`);
}

/** The command line: `node out/test/mock-vendors/server.js [--port-base N] [--auth0]`. */
async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'port-base': { type: 'string' }, auth0: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(
      'usage: node out/test/mock-vendors/server.js [--port-base N] [--auth0]\n  HTTP on N, HTTPS on N+1 (default: free ports); --auth0 lets datarhei accept Auth0 tokens.',
    );
    return;
  }
  let port = 0;
  if (values['port-base'] !== undefined) {
    port = Number(values['port-base']);
    if (!Number.isInteger(port) || port < 1 || port > 65534) throw new Error(`--port-base must be a port number from 1 to 65534, not "${values['port-base']}"`);
  }
  const auth0 = values.auth0 ?? false;
  const mock = await startMockVendors({ port, httpsPort: port ? port + 1 : 0, datarheiAuth0: auth0 });
  console.log(`mock vendor servers on ${mock.url} and ${mock.httpsUrl} (self-signed); faults: POST ${mock.url}/__mock/fault`);
  for (const line of describeMockVendors(mock, { auth0 })) console.log(line);
  // The tenant's key lives only in this process, so a person trying the Auth0 login needs a token made here.
  if (auth0) console.log(`datarhei Auth0 token (24 h, user ${ACCOUNTS.datarhei.auth0.subject}): ${mintAuth0Token(Date.now(), 86400)}`);
  console.log('Ctrl+C stops them.');
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void mock.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(`mock vendor servers: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}

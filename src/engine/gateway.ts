// The loopback auth gateway: a plain-HTTP server on 127.0.0.1 that forwards each request under an exposed
// connection's base path (`/<id>/…`) to that connection's server through the SessionManager, exactly as Send Request
// does (auth attached by the adapter, renewal ahead of expiry and on rejection, one shared renewal), and answers
// without our credentials. Only a holder of the gateway's key gets through; Host, Origin, target, body size,
// concurrency and idle time are bounded (gatewayGuard.ts). Started and stopped by its caller (CLI or extension).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Cancel } from '../core/deadline';
import { AuthError } from '../core/errors';
import { isExpired } from '../core/session';
import type { ConnectionConfig, RenewalNote } from '../core/types';
import { outside, type Wording, wording } from '../core/wording';
import { answerOf, errorAnswer, type GatewayAnswer, forwardedHeaders, forwardOf, gatewayError, sessionSecrets } from './gatewayAnswer';
import { StoredSecretForms } from './gatewaySecrets';
import {
  authCallOf,
  hostAllowed,
  KEY_HEADER,
  KEY_SEGMENT_PREFIX,
  keyMatches,
  headerValue,
  loggedTarget,
  newGatewayKey,
  originRefusal,
  parseTarget,
} from './gatewayGuard';
import { CLIENT_HEADER, loginNeededNotifier, renewalWords, sourceOf } from './gatewayTraffic';
import type { SessionManager } from './manager';
import { CONTROL_SEGMENT, controlAnswer, tokenRouteId } from './gatewayControl';
import type { TrafficLog } from './traffic';

export interface GatewayLimits {
  /** Largest request body accepted (default 10 MiB); larger: 413. */
  maxBodyBytes?: number;
  /** Requests forwarded at once (default 64); more: 503 with Retry-After. */
  maxInFlight?: number;
  /** An idle keep-alive connection is closed after this (default 5 s). */
  idleTimeoutMs?: number;
  /** Headers and body of a request must arrive within this (default 30 s); else the connection is closed. */
  receiveTimeoutMs?: number;
  /**
   * Longest wait for the engine's answer, renewal included (default 120 s; a renewal someone else started may be
   * waiting for a person): then 504, never a hung caller.
   */
  answerTimeoutMs?: number;
}

export const DEFAULT_GATEWAY_LIMITS: Required<GatewayLimits> = {
  maxBodyBytes: 10 * 1024 * 1024,
  maxInFlight: 64,
  idleTimeoutMs: 5_000,
  receiveTimeoutMs: 30_000,
  answerTimeoutMs: 120_000,
};

export interface GatewayOptions {
  /** The sessions: the gateway shares them (and their renewals) with everything else that uses this manager. */
  manager: SessionManager;
  /** The connections as configured now (read on every request: an edited connection applies at once). */
  connections: () => readonly ConnectionConfig[];
  /** The ids of the connections the user exposed; a function to follow changes while the gateway runs. */
  exposed: readonly string[] | (() => readonly string[]);
  /** 0 or absent: a port the system picks. */
  port?: number;
  /** The key clients must present; absent: a fresh random one ({@link newGatewayKey}). Never written anywhere. */
  key?: string;
  /** Browser origins allowed to call (exact `scheme://host[:port]`); none by default. */
  allowedOrigins?: readonly string[];
  limits?: GatewayLimits;
  /** One line per request: method, connection, path without query values or key, status, duration, renewal. */
  log?: (line: Wording) => void;
  /**
   * Where each request on a configured connection is recorded (after the key check: a request without the key is
   * logged, never recorded). Its source is `terminal` when it carries `X-Api-Auth-Client: terminal`, else `gateway`.
   */
  traffic?: TrafficLog;
  /**
   * An answer was 401 because the session needs a person (`loginNeeded`, `twoFactorRequired`, `credentials`): the
   * extension offers Log In. At most once per connection per 30 s; never awaited, its failure ignored.
   */
  onLoginNeeded?(connectionId: string, kind: string): unknown;
  /**
   * The connection's stored secret (password, API key), read for each answer so that a vendor echoing it in a text
   * answer has it replaced by the marker. Absent: the manager's own `getSecret`. It must not ask anyone.
   */
  secretOf?(conn: ConnectionConfig): Promise<string | undefined>;
}

export interface Gateway {
  readonly port: number;
  /** The key to send in the `X-Api-Auth-Key` header (or as the `~KEY` first path segment). */
  readonly key: string;
  /** `http://127.0.0.1:PORT/<id>/`: requests to it need the key header. */
  baseUrl(connectionId: string): string;
  /** `http://127.0.0.1:PORT/~KEY/<id>/`: the key in the path, for tools that cannot set a header. A secret itself. */
  keyedBaseUrl(connectionId: string): string;
  /** Closes the listener and every connection (requests in flight are aborted); resolves when the port is free. */
  stop(): Promise<void>;
}

/** Starts the gateway on 127.0.0.1 (never another address). Rejects when the port cannot be had. */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const limits = { ...DEFAULT_GATEWAY_LIMITS, ...opts.limits };
  const key = opts.key ?? newGatewayKey();
  const allowedOrigins = opts.allowedOrigins ?? [];
  const exposedIds = () => (typeof opts.exposed === 'function' ? opts.exposed() : opts.exposed);
  const inFlight = new Set<Cancel>();
  const secretForms = new StoredSecretForms(opts.manager, (conn) => (opts.secretOf ? opts.secretOf(conn) : opts.manager.storedSecret(conn)));
  const loginNeeded = loginNeededNotifier(opts.onLoginNeeded?.bind(opts), () => opts.manager.clock());
  let port = 0;

  const server = http.createServer({ requestTimeout: limits.receiveTimeoutMs, headersTimeout: Math.min(limits.receiveTimeoutMs, 10_000) });
  server.keepAliveTimeout = limits.idleTimeoutMs;
  server.timeout = Math.max(limits.idleTimeoutMs, limits.answerTimeoutMs + 1_000);

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const t0 = performance.now();
    const at = opts.manager.clock();
    const corsOrigin = headerValue(req.headers.origin);
    // Filled in as the request gets through: the connection it is recorded under, its path there, its renewal.
    const seen: Seen = {};
    let done = false;
    const finish = (connectionId: string, answer: GatewayAnswer, close = false) => {
      if (done) return; // one answer, one log line, one record
      done = true;
      const ms = Math.round(performance.now() - t0);
      const answered = !res.headersSent && !res.destroyed; // else the client went away first
      if (answered) {
        // A HEAD answer has no body but tells the vendor's length (answerOf keeps it), or none when the vendor did not.
        const headers: http.OutgoingHttpHeaders = { ...answer.headers };
        if (answer.headLength !== null) headers['content-length'] = answer.headLength ?? answer.body.length;
        if (corsOrigin && allowedOrigins.includes(corsOrigin)) Object.assign(headers, { 'access-control-allow-origin': corsOrigin, vary: 'Origin' });
        if (close) headers.connection = 'close';
        res.writeHead(answer.status, headers);
        res.end(answer.body);
      }
      const kind = headerValue(answer.headers['x-api-auth-error']);
      const notes = [`${ms} ms`, ...(seen.renewal ? [renewalWords(seen.renewal)] : [])].join(', ');
      opts.log?.(
        wording`gateway ${outside(req.method ?? '-')} ${outside(connectionId)} ${outside(loggedTarget(req.url))} → ${answer.status}${kind ? ` ${kind}` : ''} (${notes})`,
      );
      if (seen.connectionId === undefined) return;
      loginNeeded(seen.connectionId, answer.status, kind);
      if (!opts.traffic) return;
      const entry = {
        at,
        source: sourceOf(req.headers),
        method: req.method ?? '-',
        path: loggedTarget(seen.path || '/'),
        status: answered ? answer.status : 0,
        durationMs: ms,
      };
      opts.traffic.add(seen.connectionId, { ...entry, ...(seen.renewal ? { renewal: seen.renewal } : {}), ...(kind ? { error: kind } : {}) });
    };
    // Whatever was thrown stays out of the answer and the log (it may quote a request); the client went away, mostly.
    void handle(req, res, seen, finish).catch(() => finish('-', gatewayError(500, 'internal', 'the gateway failed to handle the request')));
  });

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    seen: Seen,
    finish: (id: string, a: GatewayAnswer, close?: boolean) => void,
  ): Promise<void> {
    if (!hostAllowed(req.headers.host, port)) {
      return finish('-', gatewayError(421, 'host', `the Host header must be 127.0.0.1:${port} or localhost:${port}`));
    }
    const origin = headerValue(req.headers.origin);
    const refusal = originRefusal(origin, headerValue(req.headers['sec-fetch-site']), allowedOrigins);
    if (refusal) return finish('-', gatewayError(403, 'origin', `${refusal}: requests from web pages are refused unless their origin is allowed`));
    if (origin && req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      // A preflight of an allowed origin: browsers send it without the key.
      const headers = {
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
        'access-control-allow-headers': headerValue(req.headers['access-control-request-headers']) ?? KEY_HEADER,
        'access-control-max-age': '600',
      };
      return finish('-', { status: 204, headers, body: Buffer.alloc(0) });
    }
    const target = parseTarget(req.url);
    if (!keyMatches(headerValue(req.headers[KEY_HEADER]) ?? target?.keyInPath, key)) {
      return finish(
        '-',
        gatewayError(403, 'key', `a request needs the gateway's key (header X-Api-Auth-Key, or ${KEY_SEGMENT_PREFIX}KEY as the first path segment)`),
      );
    }
    if (!target) return finish('-', gatewayError(400, 'target', 'the request target must be a path /<connection id>/… (absolute URLs are refused)'));
    // The gateway's own endpoints (connection list, token), for the CLI in a terminal of the window: gatewayControl.ts.
    if (target.connectionId === CONTROL_SEGMENT) {
      const ctl = { manager: opts.manager, connections: opts.connections, exposed: exposedIds, answerTimeoutMs: limits.answerTimeoutMs };
      // A token handed out is recorded under its connection: the Traffic view shows who took the session's token.
      const tokenOf = tokenRouteId(target.path);
      const tokenConn = tokenOf && opts.connections().find((c) => c.id === tokenOf);
      if (tokenConn) Object.assign(seen, { connectionId: tokenConn.id, path: `/${CONTROL_SEGMENT}/v1/token` });
      return finish(CONTROL_SEGMENT, await controlAnswer(req, target.path, ctl));
    }
    const configured = opts.connections().find((c) => c.id === target.connectionId);
    // Recorded under a configured connection, exposed or not (an attempt on a hidden one is worth seeing).
    if (configured) Object.assign(seen, { connectionId: configured.id, path: target.path });
    const conn = configured && exposedIds().includes(configured.id) ? configured : undefined;
    if (!conn) return finish('-', gatewayError(404, 'connection', 'no exposed connection has this id'));
    if (inFlight.size >= limits.maxInFlight) {
      const busy = gatewayError(503, 'busy', `${limits.maxInFlight} requests are already in flight; try again`);
      return finish(conn.id, { ...busy, headers: { ...busy.headers, 'retry-after': '1' } });
    }
    const ac = new Cancel();
    inFlight.add(ac);
    // The client went away before its answer: the vendor call is cancelled (a shared renewal goes on for the others).
    // After a complete answer there is nothing to cancel (an abort would only make an error nobody reads).
    res.once('close', () => {
      if (!res.writableFinished) ac.cancel();
    });
    try {
      await forward(req, conn, target.path, ac, seen, finish);
    } finally {
      inFlight.delete(ac);
    }
  }

  async function forward(
    req: http.IncomingMessage,
    conn: ConnectionConfig,
    path: string,
    ac: Cancel,
    seen: Seen,
    finish: (id: string, a: GatewayAnswer, close?: boolean) => void,
  ): Promise<void> {
    const body = await readBody(req, limits.maxBodyBytes);
    if (body === null) return finish(conn.id, gatewayError(413, 'tooLarge', `the request body is larger than ${limits.maxBodyBytes} bytes`), true);
    const method = req.method ?? 'GET';
    let fwd;
    try {
      fwd = forwardOf(conn, method, path, forwardedHeaders(req.headers, KEY_HEADER, CLIENT_HEADER), body);
    } catch (e) {
      return finish(conn.id, errorAnswer(e, conn, [], true));
    }
    const own = authCallOf(conn, opts.manager.adapter(conn), fwd.req);
    if (own) {
      const why = `${conn.vendor === 'cove' ? 'the method' : 'the path'} ${own} is the vendor's own login, logout or renewal, which would end or replace the session the gateway shares`;
      return finish(conn.id, gatewayError(403, 'authPath', `${why}; use Log In or Log Out in API Auth Explorer (or api-auth login / logout) instead`));
    }
    const sent = opts.manager.get(conn.id);
    try {
      const result = await withDeadline(opts.manager.request(conn, fwd.req, { signal: ac, interactive: false }), limits.answerTimeoutMs, ac);
      seen.renewal = result.renewal;
      finish(conn.id, answerOf(result, sent, fwd.rpcId, method === 'HEAD', await secretForms.of(conn)));
    } catch (e) {
      const now = opts.manager.get(conn.id);
      const usable = !!now && !isExpired(now, opts.manager.clock());
      finish(conn.id, errorAnswer(e, conn, [...sessionSecrets(sent, now), ...(await secretForms.of(conn))], usable));
    }
  }

  await new Promise<void>((resolve, reject) => {
    const failed = (e: Error) => {
      secretForms.dispose();
      reject(e);
    };
    server.once('error', failed);
    server.listen({ host: '127.0.0.1', port: opts.port ?? 0 }, () => {
      server.off('error', failed);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const root = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;

  return {
    port,
    key,
    baseUrl: (id) => `${root}/${encodeURIComponent(id)}/`,
    keyedBaseUrl: (id) => `${root}/${KEY_SEGMENT_PREFIX}${key}/${encodeURIComponent(id)}/`,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        secretForms.dispose();
        server.close(() => resolve());
        for (const ac of inFlight) ac.cancel();
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

/** What the gateway learned of a request while handling it, for its log line and its Traffic record. */
interface Seen {
  connectionId?: string;
  /** The target's path under the connection (query values are dropped when it is recorded). */
  path?: string;
  renewal?: RenewalNote;
}

const EMPTY = Buffer.alloc(0);

/** The whole body, or null when it is (or says it will be) larger than `max` (the rest is not read). */
function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | null> {
  // Neither header: the request has no body (RFC 9112 §6.3); Node discards the (empty) stream itself.
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return Promise.resolve(EMPTY);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.pause();
        resolve(null);
      } else {
        chunks.push(c);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The engine's answer, or a `timeout` error after `ms` (the call is aborted; a shared renewal goes on). */
async function withDeadline<T>(p: Promise<T>, ms: number, ac: Cancel): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ac.cancel();
      reject(new AuthError('timeout', `the gateway gave up waiting for the session after ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

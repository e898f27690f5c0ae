// The gateway's own endpoints under `/.api-auth/` (reached only after the Host, Origin and key checks of gateway.ts):
// the list of exposed connections and a fresh token per connection, for the CLI run in a terminal of the window that
// holds the sessions (`api-auth token ID`, `api-auth request ID …`). Also the names of the terminal's environment
// variables, shared by the extension (which sets them) and the CLI (which reads them).
import type { IncomingMessage } from 'node:http';
import { AuthError } from '../core/errors';
import { isExpired } from '../core/session';
import type { ConnectionConfig, Session } from '../core/types';
import { errorAnswer, type GatewayAnswer, gatewayError, sessionSecrets } from './gatewayAnswer';
import type { SessionManager } from './manager';

/** The first path segment of the control endpoints (`.` cannot start a connection id: src/engine/config.ts). */
export const CONTROL_SEGMENT = '.api-auth';
/** The header the CLI marks its gateway requests with (`terminal`), so that a log can tell them apart. */
export const CLIENT_HEADER = 'x-api-auth-client';
/** The variable holding the gateway's root URL (`http://127.0.0.1:PORT`) in a terminal of the window. */
export const GATEWAY_ENV = 'API_AUTH_GATEWAY';
/** The variable holding the gateway's key in a terminal of the window. */
export const GATEWAY_KEY_ENV = 'API_AUTH_GATEWAY_KEY';

/**
 * The variable holding a connection's keyed base URL in a terminal: `API_AUTH_URL_` + the id upper-cased, each
 * character other than A–Z and 0–9 made `_` (`dr-tls` → `API_AUTH_URL_DR_TLS`).
 */
export function envNameOf(id: string): string {
  return `API_AUTH_URL_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * The value of a connection's variable: its keyed base URL without the final `/`, so that `"$API_AUTH_URL_CORE/api/v3/x"`
 * (how a base-URL variable is written in a shell) gives one slash, not `…/core//api/…`.
 */
export function envUrlOf(gw: { keyedBaseUrl(id: string): string }, id: string): string {
  return gw.keyedBaseUrl(id).replace(/\/$/, '');
}

/**
 * The terminal variables of the exposed connections: name → keyed URL. Two ids that map to one name (`a-b` and `a.b`
 * both give `API_AUTH_URL_A_B`) get no variable at all, never one that silently points at the other connection; they
 * are returned in `ambiguous` so that the caller can say so.
 */
export function connectionVariables(gw: { keyedBaseUrl(id: string): string }, ids: readonly string[]): { vars: Map<string, string>; ambiguous: string[] } {
  const byName = new Map<string, string[]>();
  for (const id of ids) byName.set(envNameOf(id), [...(byName.get(envNameOf(id)) ?? []), id]);
  const vars = new Map<string, string>();
  const ambiguous: string[] = [];
  for (const [name, owners] of byName) {
    if (owners.length === 1) vars.set(name, envUrlOf(gw, owners[0]));
    else ambiguous.push(...owners);
  }
  return { vars, ambiguous };
}

/** One exposed connection as `GET /.api-auth/v1/connections` lists it. */
export interface ControlConnection {
  id: string;
  vendor: string;
  label: string;
  exposed: true;
}

/** What `POST /.api-auth/v1/token/<id>` answers. */
export interface ControlToken {
  id: string;
  token: string;
  /** ms since epoch; null when the session has no known end. */
  expiresAt: number | null;
  /** The credential as the adapter attaches it, ready to send: `{ name: 'Authorization', value: 'Bearer …' }`. */
  header: { name: string; value: string };
}

/**
 * The credential of a session as one header the way the adapter attaches it: `Authorization: Bearer …` / `Basic …`,
 * `Authtoken: QSDK …`, `Cookie: Red60urne=…`, an IPCortex key header; for a Cove visa (a JSON-RPC field) the name
 * `visa`, for an IPCortex key sent in the body the name `auth.key` (both go in the body, not in a header).
 */
export function authHeaderOf(session: Pick<Session, 'attach'>): { name: string; value: string } {
  const a = session.attach;
  switch (a.kind) {
    case 'header':
      return { name: a.name, value: a.value };
    case 'cookie':
      return { name: 'Cookie', value: `${a.name}=${a.value}` };
    case 'jsonrpc':
    case 'body':
      return { name: a.name, value: a.value };
  }
}

export interface ControlContext {
  manager: SessionManager;
  connections: () => readonly ConnectionConfig[];
  exposed: () => readonly string[];
  /** Longest wait for a renewal (the gateway's answer timeout), then 504. */
  answerTimeoutMs: number;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

function json(value: unknown): GatewayAnswer {
  return { status: 200, headers: { ...JSON_HEADERS }, body: Buffer.from(JSON.stringify(value), 'utf8') };
}

/**
 * The connection id of a token request (`path` as after `/.api-auth`: `/v1/token/<id>[?…]`): undefined when the path
 * is not the token endpoint, null when its id is not valid percent-encoding. The one parser of that route, for the
 * answer and for the Traffic record.
 */
export function tokenRouteId(path: string): string | null | undefined {
  const m = /^\/v1\/token\/([^/]+)$/.exec(path.replace(/\?.*$/, ''));
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

/**
 * The answer to a control request; `path` is what follows `/.api-auth` (`/v1/connections`, `/v1/token/dr`).
 * The token endpoint hands out a raw token: never to a request that carries an `Origin` at all (a browser, even one
 * whose origin the user allowed for forwarding), and only as POST (a plain link or image cannot trigger it).
 */
export async function controlAnswer(req: Pick<IncomingMessage, 'method' | 'headers'>, path: string, ctx: ControlContext): Promise<GatewayAnswer> {
  const route = path.replace(/\?.*$/, '');
  if (route === '/v1/connections') {
    if (req.method !== 'GET') return gatewayError(405, 'method', 'the connection list is read with GET');
    const exposed = ctx.exposed();
    const connections: ControlConnection[] = ctx
      .connections()
      .filter((c) => exposed.includes(c.id))
      .map((c) => ({ id: c.id, vendor: c.vendor, label: c.label ?? c.id, exposed: true }));
    return json({ connections });
  }
  const id = tokenRouteId(path);
  if (id !== undefined) {
    if (req.headers.origin !== undefined) return gatewayError(403, 'origin', 'a token is never handed to a web page: requests with an Origin are refused');
    if (req.method !== 'POST') return gatewayError(405, 'method', 'a token is asked for with POST');
    if (id === null) return gatewayError(400, 'target', 'the connection id in the path is not valid percent-encoding');
    const conn = ctx.exposed().includes(id) ? ctx.connections().find((c) => c.id === id) : undefined;
    if (!conn) return gatewayError(404, 'connection', 'no exposed connection has this id');
    return tokenAnswer(conn, ctx);
  }
  return gatewayError(404, 'control', 'no such gateway endpoint (known: GET /.api-auth/v1/connections, POST /.api-auth/v1/token/<id>)');
}

/** A fresh session of `conn` (renewed first when needed, or logged in with the stored secret), never asking a person. */
async function tokenAnswer(conn: ConnectionConfig, ctx: ControlContext): Promise<GatewayAnswer> {
  const { manager } = ctx;
  const before = manager.get(conn.id);
  try {
    let session = before;
    if (!session || manager.needsRenewal(conn, session)) session = await withDeadline(manager.renew(conn, { interactive: false }), ctx.answerTimeoutMs);
    const answer: ControlToken = { id: conn.id, token: session.token, expiresAt: session.expiresAt, header: authHeaderOf(session) };
    return json(answer);
  } catch (e) {
    const now = manager.get(conn.id);
    return errorAnswer(e, conn, sessionSecrets(before, now), !!now && !isExpired(now, manager.clock()));
  }
}

/** The renewal's session, or a `timeout` error after `ms` (the renewal itself goes on for others). */
async function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AuthError('timeout', `the gateway gave up waiting for the session after ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

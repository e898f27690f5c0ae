// The window's gateway, seen from a VS Code terminal: $API_AUTH_GATEWAY and $API_AUTH_GATEWAY_KEY (set by the
// extension) name it; when it exposes the connection, `token`, `request` and `rpc` use its session (no second login,
// no prompt). Unreachable, or not exposing the connection: one note on standard error and the CLI logs in itself.
import * as http from 'node:http';
import { truncate } from '../core/errors';
import { oneLineText } from '../core/untrusted';
import { CLIENT_HEADER, type ControlConnection, type ControlToken, GATEWAY_ENV, GATEWAY_KEY_ENV } from '../engine/gatewayControl';
import { KEY_HEADER } from '../engine/gatewayGuard';
import type { ConnectionConfig } from '../core/types';
import type { Options } from './args';
import { findConnection } from './config';
import { CliError, EXIT } from './exit';

/** The window's gateway and the connection of it the command uses. */
export interface ViaGateway {
  /** `http://127.0.0.1:PORT` */
  root: string;
  key: string;
  conn: ControlConnection;
}

export interface GatewayReply {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  text: string;
  durationMs: number;
}

/** How long the CLI waits for the list of connections before it logs in itself. */
const LIST_TIMEOUT_MS = 3_000;
/** How long it waits for a token or an answer (the gateway bounds its own wait at 120 s). */
const CALL_TIMEOUT_MS = 130_000;

/** One request to the gateway (loopback, plain HTTP), marked as coming from a terminal. */
export function gatewayCall(root: string, key: string, method: string, path: string, body?: string, timeoutMs = CALL_TIMEOUT_MS): Promise<GatewayReply> {
  // The path is sent as given (no URL normalising here: `..` is the gateway's to refuse, not to be resolved away).
  const { hostname, port } = new URL(root);
  const headers: Record<string, string> = { [KEY_HEADER]: key, [CLIENT_HEADER]: 'terminal', accept: 'application/json, */*' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
        const durationMs = Math.round(performance.now() - t0);
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: flat, text: Buffer.concat(chunks).toString('utf8'), durationMs });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The gateway root from the environment, when it is a plain-HTTP loopback URL (the key is never sent elsewhere). */
function gatewayRoot(value: string): string | undefined {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' || !['127.0.0.1', 'localhost'].includes(u.hostname) || !u.port) return undefined;
    return `http://${u.hostname}:${u.port}`;
  } catch {
    return undefined;
  }
}

function note(text: string): void {
  process.stderr.write(`api-auth: note: ${oneLineText(text)}\n`);
}

/**
 * The window's gateway for connection `id`, or undefined when the command should log in itself: no gateway in the
 * environment, `--no-gateway`, the gateway unreachable or not exposing `id` (the last two with a note). A gateway
 * that refuses the key is an error: the terminal outlived the gateway it was opened with.
 */
export async function gatewayFor(id: string, opts: Options): Promise<ViaGateway | undefined> {
  const value = process.env[GATEWAY_ENV];
  const key = process.env[GATEWAY_KEY_ENV];
  if (opts.noGateway || !value || !key) return undefined;
  const root = gatewayRoot(value);
  if (!root) {
    note(`${GATEWAY_ENV} is not a loopback http:// URL ("${truncate(value, 60)}"); logging in directly`);
    return undefined;
  }
  let reply: GatewayReply;
  try {
    reply = await gatewayCall(root, key, 'GET', '/.api-auth/v1/connections', undefined, LIST_TIMEOUT_MS);
  } catch {
    note(`the terminal's gateway (${root}) did not answer; logging in directly (is the gateway still running in VS Code?)`);
    return undefined;
  }
  if (reply.status === 403 && reply.headers['x-api-auth-error'] === 'key') throw staleKey(id);
  const list = reply.status === 200 ? parseList(reply.text) : undefined;
  if (!list) {
    note(`the terminal's gateway (${root}) answered HTTP ${reply.status} to its connection list; logging in directly`);
    return undefined;
  }
  const conn = list.find((c) => c.id === id);
  if (!conn) {
    note(`the terminal's gateway does not expose "${id}"; logging in directly (expose it in VS Code to use the window's session)`);
    return undefined;
  }
  return { root, key, conn };
}

function parseList(text: string): ControlConnection[] | undefined {
  try {
    const v = JSON.parse(text) as { connections?: unknown };
    return Array.isArray(v.connections) ? (v.connections as ControlConnection[]).filter((c) => typeof c?.id === 'string') : undefined;
  } catch {
    return undefined;
  }
}

function staleKey(id: string): CliError {
  return new CliError(
    EXIT.credentials,
    `Connection "${id}": the terminal's gateway key is stale (the gateway was restarted); open a new terminal, or pass --no-gateway to log in here.`,
  );
}

/** Where a command's call goes: through the window's gateway, or (`via` undefined) to the configured connection. */
export type CallTarget = { via: ViaGateway; conn: ControlConnection } | { via?: undefined; conn: ConnectionConfig };

/** The window's gateway when it exposes `id` ({@link gatewayFor}), else the connection from the config file. */
export async function callTarget(id: string | undefined, opts: Options): Promise<CallTarget> {
  const via = id ? await gatewayFor(id, opts) : undefined;
  return via ? { via, conn: via.conn } : { conn: findConnection(opts, id) };
}

/** The gateway's own error answer (`{"error":{"kind","message"}}`) as the CLI's failure, or undefined for a vendor answer. */
export function gatewayFailure(v: ViaGateway, reply: GatewayReply): CliError | undefined {
  const kind = reply.headers['x-api-auth-error'];
  if (!kind) return undefined;
  if (kind === 'key') return staleKey(v.conn.id);
  let message = `Connection "${v.conn.label || v.conn.id}": the terminal's gateway answered HTTP ${reply.status} (${kind}).`;
  try {
    const m = (JSON.parse(reply.text) as { error?: { message?: unknown } }).error?.message;
    if (typeof m === 'string' && m) message = m;
  } catch {
    // the generic sentence above
  }
  // A session that needs a person: the gateway never asks, the window (or this terminal) can.
  const name = `Connection "${v.conn.label || v.conn.id}"`;
  if (kind === 'loginNeeded') {
    message = `${name}: the window has no session for it and no stored secret to log in with; log in to it in VS Code, or pass --no-gateway to log in here.`;
  } else if (kind === 'twoFactorRequired') {
    message = `${name}: renewing the window's session needs a two-factor code; log in to it in VS Code, or pass --no-gateway --totp CODE to log in here.`;
  }
  return new CliError(EXIT_OF_GATEWAY_KIND[kind] ?? EXIT.protocol, message);
}

const EXIT_OF_GATEWAY_KIND: Record<string, number> = {
  loginNeeded: EXIT.credentials,
  credentials: EXIT.credentials,
  locked: EXIT.credentials,
  expired: EXIT.credentials,
  cancelled: EXIT.credentials,
  twoFactorRequired: EXIT.twoFactor,
  config: EXIT.usage,
  network: EXIT.network,
  tls: EXIT.network,
  timeout: EXIT.network,
};

/** A fresh token of the window's session (renewed by the gateway first when needed). */
export async function gatewayToken(v: ViaGateway): Promise<ControlToken> {
  const reply = await callOrFail(v, 'POST', `/.api-auth/v1/token/${encodeURIComponent(v.conn.id)}`);
  const failure = gatewayFailure(v, reply);
  if (failure) throw failure;
  try {
    const t = JSON.parse(reply.text) as ControlToken;
    if (typeof t.token === 'string' && typeof t.header?.name === 'string' && typeof t.header.value === 'string') return t;
  } catch {
    // below
  }
  throw new CliError(
    EXIT.protocol,
    `Connection "${v.conn.label || v.conn.id}": the terminal's gateway answered HTTP ${reply.status} without a token; pass --no-gateway to log in here.`,
  );
}

/** One call through the gateway; an unreachable gateway (it was there a moment ago) is the CLI's network failure. */
export async function callOrFail(v: ViaGateway, method: string, path: string, body?: string): Promise<GatewayReply> {
  try {
    return await gatewayCall(v.root, v.key, method, path, body);
  } catch {
    throw new CliError(
      EXIT.network,
      `Connection "${v.conn.label || v.conn.id}": the terminal's gateway (${v.root}) stopped answering; start it again in VS Code, or pass --no-gateway to log in here.`,
    );
  }
}

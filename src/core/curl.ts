// Ready-made auth material for the clipboard: the header line and a working curl command per vendor.
import { joinUrl } from './http';
import type { ConnectionConfig, ExploreRequest, Session } from './types';

/** POSIX shell single-quoting. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The auth as the vendor wants it, as one line: `Authorization: Bearer …`, `Authtoken: QSDK …`, `Cookie: Red60urne=…`,
 * for Cove the JSON-RPC field `"visa": "…"`, for an IPCortex body key `"auth": {"type":"auth","key":"…"}`. */
export function authLine(session: Session): string {
  const a = session.attach;
  switch (a.kind) {
    case 'header':
      return `${a.name}: ${a.value}`;
    case 'cookie':
      return `Cookie: ${a.name}=${a.value}`;
    case 'jsonrpc':
      return `"visa": ${JSON.stringify(a.value)}`;
    case 'body':
      return `"auth": ${JSON.stringify({ type: 'auth', key: a.value })}`;
  }
}

/** The request the curl line shows when none is given: the vendor's first sample call. */
export function curlCommand(conn: ConnectionConfig, session: Session, req: ExploreRequest): string {
  const parts = ['curl'];
  if (conn.tls?.rejectUnauthorized === false) parts.push('-k');
  const a = session.attach;
  if (req.kind === 'rpc') {
    const body = { jsonrpc: '2.0', id: '1', visa: a.kind === 'jsonrpc' ? a.value : undefined, method: req.method, params: req.params ?? {} };
    parts.push('-X POST', `-H ${shellQuote('Content-Type: application/json')}`, `--data ${shellQuote(JSON.stringify(body))}`, shellQuote(conn.baseUrl));
    return parts.join(' ');
  }
  const method = req.method.toUpperCase();
  if (method !== 'GET') parts.push(`-X ${method}`);
  if (a.kind === 'header') parts.push(`-H ${shellQuote(`${a.name}: ${a.value}`)}`);
  if (a.kind === 'cookie') parts.push(`-b ${shellQuote(`${a.name}=${a.value}`)}`);
  const xml = conn.vendor === 'commvault' && conn.format === 'xml';
  parts.push(`-H ${shellQuote(`Accept: ${xml ? 'application/xml' : 'application/json'}`)}`);
  let body = req.body;
  if (a.kind === 'body') body = { ...(isRecord(body) ? body : {}), auth: { type: 'auth', key: a.value } };
  if (body !== undefined) {
    parts.push(`-H ${shellQuote(`Content-Type: ${xml ? 'application/xml' : 'application/json'}`)}`);
    parts.push(`--data ${shellQuote(typeof body === 'string' ? body : JSON.stringify(body))}`);
  }
  parts.push(shellQuote(joinUrl(conn.baseUrl, req.path)));
  return parts.join(' ');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

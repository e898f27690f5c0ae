// Ready-made auth material for the clipboard: the header line and a working curl command per vendor.
// The curl line carries exactly what the vendor's adapter puts on the wire for the same request (method, URL,
// auth header / cookie / visa / API key, Accept and Content-Type, body bytes), so a pasted line behaves like the
// extension's own call. Each builder below mirrors one adapter's `request`; test/unit/curl.test.ts runs the lines
// against the mock vendors and compares them with the adapter's requests.
import { AuthError } from './errors';
import { httpMethod, isObject, joinUrl, jsonRestRequest } from './http';
import type { ConnectionConfig, ExploreRequest, Session } from './types';
// Imported after the core modules on purpose: entering the engine's import graph at an adapter file (rather than
// through core / the vendor registry) can leave the registry built before that adapter is defined.
import { xmlBuilder } from '../vendors/commvault';
import { bodyObject } from '../vendors/ipcortex';

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

/** One request as it goes on the wire. `authHeader` names the header that carries the credential (shown first). */
export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  data?: string;
  authHeader?: string;
}

const JSON_MIME = 'application/json';
const XML_MIME = 'application/xml';

/**
 * What the vendor's adapter sends for `req` with `session` (without sending it). Throws AuthError `config` for a
 * request the adapter would refuse for its body (an XML body that is not an object, a body key with a non-object body).
 */
export function wireRequest(conn: ConnectionConfig, session: Session, req: ExploreRequest): WireRequest {
  if (req.kind === 'rpc') return rpcWire(conn, session, req);
  if (conn.vendor === 'commvault') return commvaultWire(conn, session, req);
  const a = session.attach;
  if (a.kind === 'header') {
    // Code42, datarhei and IPCortex's header key: the shared JSON REST request (IPCortex builds the same headers).
    const r = jsonRestRequest(conn.baseUrl, req, a);
    return { method: r.method, url: r.url, headers: { ...(r.headers as Record<string, string>) }, data: r.data, authHeader: a.name };
  }
  return ipcortexWire(conn, session, req);
}

/** Cove (src/vendors/cove.ts): JSON-RPC with the newest visa at the top level and the next request id. */
function rpcWire(conn: ConnectionConfig, session: Session, req: Extract<ExploreRequest, { kind: 'rpc' }>): WireRequest {
  const last = Number(session.vendorState.lastRpcId ?? '1');
  const id = String(Number.isFinite(last) ? last + 1 : 2);
  const visa = session.attach.kind === 'jsonrpc' ? session.token : undefined;
  return {
    method: 'POST',
    url: conn.baseUrl,
    headers: { 'Content-Type': JSON_MIME, Accept: JSON_MIME },
    data: JSON.stringify({ jsonrpc: '2.0', id, visa, method: req.method, params: req.params ?? {} }),
  };
}

/** Commvault (src/vendors/commvault.ts `request`): JSON or XML both ways, `Authtoken` last so it always wins. */
function commvaultWire(conn: ConnectionConfig, session: Session, req: Extract<ExploreRequest, { kind: 'rest' }>): WireRequest {
  const xml = conn.format === 'xml';
  const mime = xml ? XML_MIME : JSON_MIME;
  let data: string | undefined;
  if (typeof req.body === 'string') data = req.body;
  else if (req.body !== undefined && req.body !== null) {
    if (!xml) data = JSON.stringify(req.body);
    else if (isObject(req.body)) data = xmlBuilder().build(req.body) as string;
    else throw new AuthError('config', 'an XML request body must be an object (root element → content) or XML text');
  }
  const headers: Record<string, string> = { Accept: mime };
  if (data !== undefined) headers['Content-Type'] = mime;
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    if (k.toLowerCase() === 'authtoken') continue;
    for (const own of Object.keys(headers)) if (own.toLowerCase() === k.toLowerCase()) delete headers[own];
    headers[k] = v;
  }
  headers.Authtoken = session.token;
  return { method: httpMethod(req.method), url: joinUrl(conn.baseUrl, req.path), headers, data, authHeader: 'Authtoken' };
}

/** IPCortex (src/vendors/ipcortex.ts `prepare`): the `Red60urne` cookie, or the API key merged into the JSON body. */
function ipcortexWire(conn: ConnectionConfig, session: Session, req: Extract<ExploreRequest, { kind: 'rest' }>): WireRequest {
  const headers: Record<string, string> = { Accept: JSON_MIME, ...req.headers };
  const a = session.attach;
  let data: string | undefined;
  if (a.kind === 'body') {
    const obj = bodyObject(req.body);
    const auth = isObject(obj.auth) ? obj.auth : {};
    obj.auth = { ...auth, type: 'auth', key: a.value };
    data = JSON.stringify(obj);
  } else if (req.body !== undefined) {
    data = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  }
  if (data !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = JSON_MIME;
  let authHeader: string | undefined;
  if (a.kind === 'cookie') {
    const mine = `${a.name}=${a.value}`;
    const userCookie = Object.keys(headers).find((h) => h.toLowerCase() === 'cookie');
    if (userCookie) headers[userCookie] = `${headers[userCookie]}; ${mine}`;
    else headers.Cookie = mine;
    authHeader = userCookie ?? 'Cookie';
  }
  return { method: httpMethod(req.method), url: joinUrl(conn.baseUrl, req.path), headers, data, authHeader };
}

/**
 * A curl command that sends what the adapter would send for `req` (see {@link wireRequest}): `-k` when the
 * connection accepts untrusted certificates, `--cacert` for its CA file, the credential first (`-H` header or
 * `-b` cookie), then the other headers, the body as `--data-raw` (sent byte for byte, no `@file` reading), the URL.
 */
export function curlCommand(conn: ConnectionConfig, session: Session, req: ExploreRequest): string {
  const w = wireRequest(conn, session, req);
  const parts = ['curl'];
  if (conn.tls?.rejectUnauthorized === false) parts.push('-k');
  if (conn.tls?.caFile) parts.push(`--cacert ${shellQuote(conn.tls.caFile)}`);
  if (w.method === 'HEAD') parts.push('-I');
  // GET is curl's default, but --data alone would turn it into a POST.
  else if (w.method !== 'GET' || w.data !== undefined) parts.push(`-X ${w.method}`);
  // `-b` takes a cookie string only when it holds a `=` (else it is a cookie file name); `-H 'Name;'` sends an empty header.
  const header = (k: string, v: string): string =>
    k.toLowerCase() === 'cookie' && v.includes('=') ? `-b ${shellQuote(v)}` : `-H ${shellQuote(v === '' ? `${k};` : `${k}: ${v}`)}`;
  const names = Object.keys(w.headers);
  const auth = w.authHeader && names.includes(w.authHeader) ? w.authHeader : undefined;
  if (auth) parts.push(header(auth, w.headers[auth]));
  for (const k of names) if (k !== auth) parts.push(header(k, w.headers[k]));
  if (w.data !== undefined) parts.push(`--data-raw ${shellQuote(w.data)}`);
  parts.push(shellQuote(w.url));
  return parts.join(' ');
}

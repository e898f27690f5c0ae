// The auth gateway's translation: an incoming HTTP request into the ExploreRequest that Send Request would make, and
// the vendor's answer (or the engine's error) back into an HTTP answer that carries none of our credentials.
import { isTextType, textOfBody } from '../core/bodyText';
import { AuthError, type AuthErrorKind, describeError, isAuthError, secretForms } from '../core/errors';
import { httpMethod } from '../core/http';
import { MIN_SECRET_LENGTH } from '../core/redact';
import { isRecord } from '../core/util';
import type { CallResult, ConnectionConfig, ExploreRequest, Session } from '../core/types';
import { checkRequestTarget } from './requests';

/** What stands in an answer's body where a credential of ours was. */
export const HELD_MARKER = '‹held by api-auth gateway›';
/** The same in a header (header values must be Latin-1). */
export const HELD_MARKER_HEADER = 'held-by-api-auth-gateway';
/** The answer header that names an error of the gateway or the engine (absent on the vendor's own answers). */
export const ERROR_HEADER = 'x-api-auth-error';
/** The IPCortex session cookie: the gateway holds it, the client never sends or sees it. */
const SESSION_COOKIE = /^red60urne$/i;

/** Headers of one hop only, and the ones the gateway sets or strips itself; never passed on either way. */
const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  // The HTTP client decompresses the answer: the client gets it plain, so it must not ask for (or be told of) gzip.
  'accept-encoding',
  'content-encoding',
  'origin',
  'referer',
]);

/** The request as the adapter is given it, and for Cove the client's JSON-RPC id to give back in the answer. */
export interface Forward {
  req: ExploreRequest;
  rpcId?: unknown;
}

/**
 * The client's headers that go on to the vendor: end-to-end ones only, without the gateway's own (`ownHeaders`: the
 * key, the client's name), without a `Red60urne` cookie of the client's (ours is the only one sent), and without an
 * `Accept: *\/*` that says nothing but would override the format the connection asks for.
 */
export function forwardedHeaders(incoming: Record<string, string | string[] | undefined>, ...ownHeaders: string[]): Record<string, string> {
  const own = new Set(ownHeaders.map((h) => h.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(incoming)) {
    const k = name.toLowerCase();
    if (v === undefined || HOP_HEADERS.has(k) || own.has(k) || k.startsWith('sec-')) continue;
    let value = Array.isArray(v) ? v.join(', ') : v;
    // "Anything" (curl's and most clients' default) leaves the connection's own format in force (Commvault XML).
    if (k === 'accept' && value.trim() === '*/*') continue;
    if (k === 'cookie') {
      value = value
        .split(';')
        .map((c) => c.trim())
        .filter((c) => c && !SESSION_COOKIE.test(c.split('=')[0].trim()))
        .join('; ');
      if (!value) continue;
    }
    out[k] = value;
  }
  return out;
}

/**
 * The ExploreRequest for an incoming request on `conn`, checked before any login: the method is one the engine
 * sends, the path stays on the connection's origin (src/core/origin.ts). Cove: the body is one JSON-RPC call (any
 * `visa` in it is dropped: the session's newest is put in) and the path must be the endpoint itself. A REST body goes
 * on as text when it is text (src/core/bodyText.ts), else as the bytes that came (an image, a gzip file): read as
 * UTF-8, those would be mangled.
 */
export function forwardOf(conn: ConnectionConfig, method: string, path: string, headers: Record<string, string>, body: Buffer): Forward {
  if (conn.vendor === 'cove') {
    if (path !== '' && path !== '/') throw new AuthError('config', 'Cove is one JSON-RPC endpoint: POST the call to the base URL itself, without a path');
    if (method !== 'POST') throw new AuthError('config', 'Cove takes JSON-RPC calls as POST requests');
    let call: unknown;
    try {
      call = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AuthError('config', 'the request body is not JSON (a JSON-RPC call is expected)');
    }
    if (!isRecord(call) || typeof call.method !== 'string' || !call.method.trim()) {
      throw new AuthError('config', 'the request body is not one JSON-RPC call with a method name (batches are not supported)');
    }
    return { req: { kind: 'rpc', method: call.method, ...(call.params === undefined ? {} : { params: call.params }) }, rpcId: call.id };
  }
  const m = httpMethod(method);
  const req: ExploreRequest = {
    kind: 'rest',
    method: m,
    path: path || '/',
    // A HEAD answer's Content-Length is passed on: it must be the length of the plain body, as a GET is answered
    // (the HTTP client decompresses, and for HEAD it drops the Content-Encoding that would tell the length is not).
    headers: m === 'HEAD' ? { ...headers, 'accept-encoding': 'identity' } : headers,
    ...(body.length ? { body: textOfBody(headers['content-type'], body) ?? body } : {}),
  };
  checkRequestTarget(conn, req);
  return { req };
}

/**
 * Every form of a connection's stored secret (password, API key) a vendor may echo: as stored, trimmed, JSON-escaped,
 * base64, base64 of `username:secret` (src/core/errors.ts secretForms); none shorter than MIN_SECRET_LENGTH.
 */
export function storedSecretForms(secret: string | undefined, username: string | undefined): string[] {
  return secret ? secretForms(secret, username).filter((f) => f.length >= MIN_SECRET_LENGTH) : [];
}

/** Every credential value a session holds: its token, what it attaches, its refresh token and its earlier tokens. */
export function sessionSecrets(...sessions: (Session | undefined)[]): string[] {
  const out = new Set<string>();
  for (const s of sessions) {
    if (!s) continue;
    for (const v of [s.token, s.attach.value, s.refreshToken, ...s.history.map((h) => h.token)]) if (v && v.length >= 8) out.add(v);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

function replaceAll(text: string, secrets: readonly string[], marker: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(marker);
  return out;
}

/** An answer as the gateway sends it. */
export interface GatewayAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** A HEAD answer (no body): the vendor's Content-Length, or null when it sent none; absent: the body's length. */
  headLength?: string | null;
}

/** Set-Cookie lines, split where the joined header starts a new cookie (an Expires date holds ", " too). */
function cookieLines(joined: string): string[] {
  return joined.split(/,\s*(?=[^;,=\s]+=)/).filter(Boolean);
}

/**
 * The body for the client. Text (src/core/bodyText.ts): every credential replaced by the marker. Binary: the bytes as
 * they came, not scanned. Text of a declared text type in another charset (not UTF-8): the credentials replaced byte
 * for byte (Latin-1 maps each byte to one character) by the ASCII header marker, the rest unchanged.
 */
function scrubbedBody(res: CallResult['response'], secrets: readonly string[]): Buffer {
  const bytes = res.bytes ? Buffer.from(res.bytes.buffer, res.bytes.byteOffset, res.bytes.byteLength) : Buffer.from(res.rawBody, 'utf8');
  const text = textOfBody(res.contentType, bytes);
  if (text !== null) return Buffer.from(replaceAll(text, secrets, HELD_MARKER), 'utf8');
  if (!isTextType(res.contentType)) return bytes;
  const latin1 = secrets.map((x) => Buffer.from(x, 'utf8').toString('latin1'));
  return Buffer.from(replaceAll(bytes.toString('latin1'), latin1, HELD_MARKER_HEADER), 'latin1');
}

/**
 * The vendor's answer for the client: status and end-to-end headers as sent, the body as it came (the bytes of a
 * binary one), with every credential of ours replaced by the marker: the `Red60urne` Set-Cookie, a Cove `visa` (and
 * the client's own JSON-RPC id put back), any token of the session (old or renewed) and any form of the stored secret
 * (`stored`: {@link storedSecretForms}) in a header or a text body.
 */
export function answerOf(result: CallResult, sent: Session | undefined, rpcId: unknown, isHead: boolean, stored: readonly string[] = []): GatewayAnswer {
  const res = result.response;
  const secrets = [...new Set([...sessionSecrets(sent, result.session), ...stored])].sort((a, b) => b.length - a.length);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    const k = name.toLowerCase();
    if (HOP_HEADERS.has(k)) continue;
    if (k === 'set-cookie') {
      headers[k] = cookieLines(value).map((c) =>
        SESSION_COOKIE.test(c.split('=')[0].trim()) ? c.replace(/=[^;]*/, `=${HELD_MARKER_HEADER}`) : replaceAll(c, secrets, HELD_MARKER_HEADER),
      );
      continue;
    }
    headers[k] = replaceAll(value, secrets, HELD_MARKER_HEADER);
  }
  if (isHead) {
    const length = res.headers['content-length'];
    return { status: res.status, headers, body: Buffer.alloc(0), headLength: length && /^\d+$/.test(length) ? length : null };
  }
  if (rpcId !== undefined || (result.session.vendor === 'cove' && isRecord(res.body))) {
    const body = isRecord(res.body) ? { ...res.body } : {};
    if ('visa' in body) body.visa = HELD_MARKER;
    if (rpcId !== undefined) body.id = rpcId;
    return { status: res.status, headers, body: Buffer.from(replaceAll(JSON.stringify(body), secrets, HELD_MARKER), 'utf8') };
  }
  return { status: res.status, headers, body: scrubbedBody(res, secrets) };
}

/**
 * The HTTP status for an error of the engine: a request refused before sending (400), a session that needs a person
 * (a two-factor code, a password that is not stored or was rejected: 401), a call the role may not make (403), the
 * vendor unreachable or answering nonsense (502), too slow (504).
 */
const STATUS_OF: Record<AuthErrorKind, number> = {
  config: 400,
  credentials: 401,
  twoFactorRequired: 401,
  locked: 401,
  expired: 401,
  cancelled: 401,
  forbidden: 403,
  network: 502,
  tls: 502,
  protocol: 502,
  server: 502,
  timeout: 504,
};

/** A JSON answer of the gateway itself: `{"error":{"kind","message"}}`, its kind also in {@link ERROR_HEADER}. */
export function gatewayError(status: number, kind: string, message: string): GatewayAnswer {
  const body = Buffer.from(JSON.stringify({ error: { kind, message } }), 'utf8');
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', [ERROR_HEADER]: kind }, body };
}

/**
 * The answer for an error thrown while forwarding: the one-sentence message users see elsewhere (connection name,
 * cause, way forward), scrubbed of the session's tokens. A `config` error while the connection has no usable session
 * comes from the login (no stored secret): a session that needs a person, like a two-factor demand.
 */
export function errorAnswer(e: unknown, conn: ConnectionConfig, secrets: readonly string[], sessionUsable: boolean): GatewayAnswer {
  const message = describeError(e, conn, secrets);
  if (!isAuthError(e)) return gatewayError(502, 'internal', message);
  if (e.kind === 'config' && !sessionUsable) return gatewayError(401, 'loginNeeded', message);
  return gatewayError(STATUS_OF[e.kind], e.kind, message);
}

// IPCortex Communication System adapter — session cookie `Red60urne` or a stateless API key
// (the protocol: docs/protocols.md §3). baseUrl is the PABX root; calls are `POST {base}/rest/<section>/<verb>`.
import { parseSetCookie } from 'set-cookie-parser';
import { AuthError, truncate, withSecretsScrubbed } from '../core/errors';
import { type AdapterContext, bodyOf, httpMethod, joinUrl, parseJson, type RawResponse, send, toApiResponse, type WireRequest } from '../core/http';
import { createSession, touch } from '../core/session';
import type { Attach, CallResult, ConnectionConfig, Credentials, ExploreRequest, Session } from '../core/types';
import type { VendorAdapter } from '../core/adapter';
import { isRecord } from '../core/util';

export const IPCORTEX_COOKIE = 'Red60urne';
const LOGIN_PATH = '/rest/auth/';
const LOGOUT_PATH = '/rest/auth/logout';
/**
 * The read call that proves an API key at login. Any authenticated read works; the exact list of REST sections on
 * a given PABX is not documented in one place (unconfirmed), so this is a plain constant.
 */
export const IPCORTEX_KEY_CHECK_PATH = '/rest/user/list';

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

/**
 * How a "not authenticated" answer looks is not documented (unconfirmed): the documented part is only
 * `"result":"fail"`. We treat HTTP 401, or a `fail` whose message talks about authentication/session/key, as such.
 */
const NOT_AUTH_TEXT = /authenticat|not\s+logged\s*in|log\s*in\s+required|session|unauthori[sz]ed|(invalid|bad|wrong|unknown)\s+(api\s+|auth\s+)?key/i;

/** The server's own words in a failure body, whatever field it uses (the failure fields are unconfirmed). */
function serverMessageOf(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  for (const k of ['message', 'error', 'reason', 'msg', 'detail', 'errmsg', 'description']) {
    const v = body[k];
    if (typeof v === 'string' && v.trim()) return truncate(v.trim(), 200);
    if (isRecord(v) && typeof v.message === 'string' && v.message.trim()) return truncate(v.message.trim(), 200);
  }
  return undefined;
}

function isSuccess(body: unknown): boolean {
  return isRecord(body) && typeof body.result === 'string' && body.result.toLowerCase() === 'success';
}

function isFail(body: unknown): boolean {
  return isRecord(body) && typeof body.result === 'string' && body.result.toLowerCase() !== 'success';
}

/** The answer refuses a call the user may not make (authenticated, but not allowed): HTTP 403 or such words. */
const FORBIDDEN_TEXT = /permission|denied|forbidden|not\s+(allowed|permitted|authori[sz]ed\s+for)|access\s+rights?/i;

/** The answer means "you are not (or no longer) authenticated". */
function isNotAuthenticated(status: number, body: unknown): boolean {
  if (status === 401) return true;
  if (!isFail(body)) return false;
  const msg = serverMessageOf(body);
  return msg !== undefined && NOT_AUTH_TEXT.test(msg);
}

/** The Red60urne value from Set-Cookie lines, or null. Values are kept exactly as sent (no URI decoding). */
function cookieFrom(res: RawResponse): string | null {
  if (res.setCookie.length === 0) return null;
  const cookies = parseSetCookie(res.setCookie, { decodeValues: false });
  const c = cookies.find((x) => x.name === IPCORTEX_COOKIE) ?? cookies.find((x) => x.name.toLowerCase() === IPCORTEX_COOKIE.toLowerCase());
  return c?.value ? c.value : null;
}

function keyAttach(conn: ConnectionConfig, key: string): Attach {
  return (conn.apiKeyIn ?? 'header') === 'body'
    ? { kind: 'body', name: 'auth.key', value: key }
    : { kind: 'header', name: 'Authorization', value: `token auth=${key}` };
}

/** The body as a JSON object to merge the key into; `config` error when the body is not one. */
function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || body === '') return {};
  // Bytes (a binary body from the auth gateway) are no JSON object, though a Buffer is an object.
  if (isRecord(body) && !Buffer.isBuffer(body)) return { ...body };
  if (typeof body === 'string') {
    try {
      const v = JSON.parse(body) as unknown;
      if (isRecord(v)) return v;
    } catch {
      // fall through
    }
  }
  throw new AuthError('config', 'with the API key in the body, the request body must be a JSON object');
}

type Prepared = Pick<WireRequest, 'headers' | 'data' | 'authHeader'>;

/** Puts the session's credential on a request: a header, the `Red60urne` cookie, or the API key merged into the JSON body. */
function prepare(session: Pick<Session, 'attach'>, body: unknown, extraHeaders: Record<string, string> = {}): Prepared {
  const headers: Record<string, string> = { Accept: 'application/json', ...extraHeaders };
  let data: string | Buffer | undefined;
  const attach = session.attach;
  if (attach.kind === 'body') {
    const obj = bodyObject(body);
    const auth = isRecord(obj.auth) ? obj.auth : {};
    obj.auth = { ...auth, type: 'auth', key: attach.value };
    data = JSON.stringify(obj);
  } else if (body !== undefined) {
    data = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  }
  if (data !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = Buffer.isBuffer(data) ? 'application/octet-stream' : 'application/json';
  }
  if (attach.kind === 'header') {
    for (const h of Object.keys(headers)) if (h.toLowerCase() === attach.name.toLowerCase()) delete headers[h];
    headers[attach.name] = attach.value;
    return { headers, data, authHeader: attach.name };
  }
  if (attach.kind === 'cookie') {
    const userCookie = Object.keys(headers).find((h) => h.toLowerCase() === 'cookie');
    const mine = `${attach.name}=${attach.value}`;
    if (userCookie) {
      headers[userCookie] = `${headers[userCookie]}; ${mine}`;
    } else {
      headers.Cookie = mine;
    }
    return { headers, data, authHeader: userCookie ?? 'Cookie' };
  }
  return { headers, data };
}

async function passwordLogin(conn: ConnectionConfig, creds: Credentials, ctx: AdapterContext): Promise<Session> {
  const res = await send(ctx, {
    method: 'POST',
    url: joinUrl(conn.baseUrl, LOGIN_PATH),
    headers: JSON_HEADERS,
    data: JSON.stringify({ auth: { type: 'auth', username: conn.username, password: creds.secret } }),
  });
  const body = parseJson(res, 'the IPCortex login');
  if (!isSuccess(body)) {
    if (isFail(body) || res.status === 401 || res.status === 403) {
      throw new AuthError('credentials', 'wrong username or password', { serverMessage: serverMessageOf(body), status: res.status });
    }
    throw new AuthError('protocol', `the IPCortex login answer has no "result" (HTTP ${res.status})`, { status: res.status });
  }
  const user = isRecord(body) && isRecord(body.user) ? body.user : {};
  // The session value may come in the body (`user.session`), as a Set-Cookie, or both; they should match, and
  // the body wins when they do not.
  const fromBody = typeof user.session === 'string' && user.session ? user.session : null;
  const value = fromBody ?? cookieFrom(res);
  if (!value) throw new AuthError('protocol', 'the IPCortex login answer has no session (no user.session and no Red60urne cookie)', { status: res.status });
  const detail: Record<string, unknown> = {};
  for (const k of ['id', 'login', 'name', 'company', 'home', 'perms']) if (user[k] !== undefined) detail[k] = user[k];
  const name = typeof user.name === 'string' && user.name ? user.name : typeof user.login === 'string' ? user.login : conn.username;
  const id = typeof user.id === 'number' || typeof user.id === 'string' ? user.id : undefined;
  return createSession({
    connectionId: conn.id,
    vendor: 'ipcortex',
    authKind: 'password',
    token: value,
    attach: { kind: 'cookie', name: IPCORTEX_COOKIE, value },
    now: ctx.clock(),
    method: `POST ${LOGIN_PATH}`,
    // The protocol documents no session lifetime: no countdown unless the user sets an idle timeout.
    slidingWindowMs: conn.lifetimeSeconds ? conn.lifetimeSeconds * 1000 : null,
    user: { name, id, detail },
  });
}

/**
 * Why the key check call failed. Only a "not authenticated" answer (HTTP 401, or a `fail` about authentication,
 * sessions or keys — the same test calls use) means the key itself was refused; a bare `{"result":"fail"}` has no
 * words to tell otherwise and is taken as that too. Anything else is about the check call, not the key: a refusal
 * of the section (HTTP 403, "Permission denied for section user") is `forbidden`, other failures `protocol`.
 */
function keyCheckFailure(status: number, body: unknown): AuthError {
  const serverMessage = serverMessageOf(body);
  const details = { serverMessage, status };
  const what = `the API key check (POST ${IPCORTEX_KEY_CHECK_PATH})`;
  if (isNotAuthenticated(status, body) || (isFail(body) && serverMessage === undefined && status < 400)) {
    return new AuthError('credentials', 'the API key was not accepted', details);
  }
  if (status === 403 || (serverMessage !== undefined && FORBIDDEN_TEXT.test(serverMessage))) {
    return new AuthError('forbidden', `the server refused ${what}: the key's user may not read that section`, details);
  }
  if (isFail(body)) return new AuthError('protocol', `the server refused ${what} (HTTP ${status})`, details);
  return new AuthError('protocol', `the IPCortex API key check answer has no "result" (HTTP ${status})`, { status });
}

async function apiKeyLogin(conn: ConnectionConfig, creds: Credentials, ctx: AdapterContext): Promise<Session> {
  const key = creds.secret.trim();
  if (!key) throw new AuthError('config', 'the API key is empty');
  const attach = keyAttach(conn, key);
  // API keys are stateless: prove the key with one real read call so a wrong key is reported now.
  const p = prepare({ attach }, {});
  const res = await send(ctx, { method: 'POST', url: joinUrl(conn.baseUrl, IPCORTEX_KEY_CHECK_PATH), headers: p.headers, data: p.data });
  const body = parseJson(res, 'the IPCortex API key check');
  if (!isSuccess(body)) throw keyCheckFailure(res.status, body);
  return createSession({
    connectionId: conn.id,
    vendor: 'ipcortex',
    authKind: 'apiKey',
    token: key,
    attach,
    now: ctx.clock(),
    method: `POST ${IPCORTEX_KEY_CHECK_PATH}`,
    perRequest: true,
    user: conn.username ? { name: conn.username } : null,
    vendorState: { apiKeyIn: attach.kind },
  });
}

export const ipcortexAdapter: VendorAdapter = {
  vendor: 'ipcortex',
  displayName: 'IPCortex',
  authKinds: ['password', 'apiKey'],
  secretLabel: (auth) => (auth === 'apiKey' ? 'API key' : 'password'),

  /** IPCortex's own rule; types, `auth`, `apiKeyIn` and `lifetimeSeconds` are the common validation's. */
  validate(conn: ConnectionConfig): string[] {
    const auth = conn.auth ?? 'password';
    return auth === 'password' && !conn.username?.trim() ? ['username is required for password login'] : [];
  },

  async login(conn: ConnectionConfig, creds: Credentials, ctx: AdapterContext): Promise<Session> {
    const problems = ipcortexAdapter.validate(conn);
    if (problems.length) throw new AuthError('config', problems.join('; '));
    const apiKey = (conn.auth ?? 'password') === 'apiKey';
    // A server that echoes the password or the key must not put it into the error.
    return withSecretsScrubbed(creds.secret, apiKey ? undefined : conn.username, () =>
      apiKey ? apiKeyLogin(conn, creds, ctx) : passwordLogin(conn, creds, ctx),
    );
  },

  async logout(conn: ConnectionConfig, session: Session, ctx: AdapterContext): Promise<void> {
    // API keys are stateless: there is nothing to end on the server.
    if (session.attach.kind !== 'cookie') return;
    const p = prepare(session, { auth: { type: 'auth' } });
    const res = await send(ctx, { method: 'POST', url: joinUrl(conn.baseUrl, LOGOUT_PATH), headers: p.headers, data: p.data });
    const body = parseJson(res, 'the IPCortex logout');
    // A "not authenticated" answer means the session had already ended: the goal is reached.
    if (isSuccess(body) || isNotAuthenticated(res.status, body)) return;
    throw new AuthError('protocol', `the IPCortex logout was refused (HTTP ${res.status})`, { status: res.status, serverMessage: serverMessageOf(body) });
  },

  async request(conn: ConnectionConfig, session: Session, req: ExploreRequest, ctx: AdapterContext): Promise<CallResult> {
    const res = await send(ctx, ipcortexAdapter.wire(conn, session, req));
    // Any JSON answer is read, whatever its Content-Type: its `result` tells whether the call was authenticated.
    const body = bodyOf(res, { anyJson: true });
    if (isNotAuthenticated(res.status, body)) {
      throw new AuthError('expired', session.attach.kind === 'cookie' ? 'the session is no longer accepted' : 'the API key is no longer accepted', {
        status: res.status,
        serverMessage: serverMessageOf(body),
      });
    }
    const next = res.status >= 200 && res.status < 300 ? touch(session, ctx.clock()) : session;
    return { response: toApiResponse(res, body), session: next };
  },

  wire(conn: ConnectionConfig, session: Session, req: ExploreRequest): WireRequest {
    if (req.kind !== 'rest') throw new AuthError('config', 'IPCortex is a REST API: send a method and a path, not a JSON-RPC call');
    const method = httpMethod(req.method);
    return { method, url: joinUrl(conn.baseUrl, req.path), ...prepare(session, req.body, req.headers) };
  },

  // The login would replace the shared Red60urne session, the logout end it (the key check path is a plain read).
  authPaths: () => [LOGIN_PATH, LOGOUT_PATH],

  sampleRequests: [
    { kind: 'rest', method: 'POST', path: '/rest/user/list', body: {} },
    { kind: 'rest', method: 'POST', path: '/rest/line/list', body: {} },
  ],
};

// Commvault / SnapProtect REST adapter (the protocol: docs/protocols.md §2). JSON and XML bodies: ./commvault-format.
//
// Login: POST {root}/Login with a base64-encoded password, JSON or XML (Accept and Content-Type alike).
// Use:   header `Authtoken: QSDK …` (the whole value) on every call; the token dies after 30 min of inactivity.
// Renew: POST {root}/RenewLoginToken {"sessionId": token, "deviceId": …} → {"token": "QSDK …"}.
// Logout: POST {root}/Logout → plain text "User logged out" / "Invalid authorization token provided.".
//
// The official SDK (cvpysdk) always sends a `deviceId` at Login and the same one at RenewLoginToken: so does this
// adapter (one per connection, see deviceIdFor). Domain users may be written `DOMAIN\user` in `username`, as the SDK
// does (then `domain` stays empty: giving both is refused, since which one wins is not documented).
//
// Unconfirmed facts, kept tolerant here:
// - the body format of RenewLoginToken for XML clients (always sent as JSON here, as the official SDK does);
// - how a rejected renewal answers (HTTP 401/403, or HTTP 200 with `{"error":{"errLogMessage"}}` as the SDK reads it,
//   or with an errList, and no token: all → `expired`);
// - the body of a 401 on other calls (JSON `{"errorCode":401,"errorMessage":…}`, XML or plain text: any is shown);
// - the HTTP status of Logout's "Invalid authorization token provided." (200 or 401: both count as logged out);
// - the exact errList wording: whatever the server says is shown as its message.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { AuthError, secretForms, withSecretsScrubbed } from '../core/errors';
import { type AdapterContext, joinUrl, looksLikeHtml, parseJson, send, toApiResponse, httpMethod, type WireRequest } from '../core/http';
import { createSession, replaceToken, touch } from '../core/session';
import type { CallResult, ConnectionConfig, Credentials, ExploreRequest, Session } from '../core/types';
import type { VendorAdapter } from '../core/adapter';
import { isRecord } from '../core/util';
import { bool, buildXml, encodeBody, firstError, formatOf, MIME, num, parseAnswer, safe, serverWords, str } from './commvault-format';

/** The idle window the documentation gives (30 minutes); `conn.lifetimeSeconds` overrides it. */
export const COMMVAULT_IDLE_SECONDS = 1800;

/**
 * The one device id of a connection, sent at Login and at every RenewLoginToken: the setting `deviceId`, else
 * `api-auth-explorer-` and 32 hex digits of a SHA-256 of this machine's host name (lower-cased) and the connection id.
 * The SDK sends the machine's FQDN; a hash keeps "one id per machine" (an administrator can tell machines apart in
 * the server's session list, and colleagues sharing a workspace's settings do not share an id) without sending the
 * host name itself. Stable: the same machine and connection id give the same id in the extension and the CLI, on
 * every run. A session keeps the id it logged in with, so a renamed machine only changes the next login's id.
 */
export function deviceIdFor(conn: Pick<ConnectionConfig, 'id' | 'deviceId'>, host: string = hostname()): string {
  const own = conn.deviceId?.trim();
  if (own) return own;
  const digest = createHash('sha256').update(`commvault:${host.trim().toLowerCase()}:${conn.id}`).digest('hex');
  return `api-auth-explorer-${digest.slice(0, 32)}`;
}

/** The domain of a `DOMAIN\user` username (the form the SDK accepts), else undefined. */
export function domainOfUsername(username: string | undefined): string | undefined {
  const m = /^([^\\]+)\\[^\\]+$/.exec(username?.trim() ?? '');
  return m ? m[1] : undefined;
}

/**
 * Tokens copied from documentation may be broken over lines: whitespace inside is removed, the `QSDK ` prefix
 * (with its single space) is kept. A token without the prefix is kept as the server sent it, minus whitespace.
 */
export function normalizeToken(raw: string): string {
  const t = raw.trim();
  const m = /^QSDK\s+([\s\S]*)$/i.exec(t);
  return m ? `QSDK ${m[1].replace(/\s+/g, '')}` : t.replace(/\s+/g, '');
}

/** Commvault's own rules; types, `format` and `lifetimeSeconds` are the common validation's. */
function validate(conn: ConnectionConfig): string[] {
  const problems: string[] = [];
  const username = conn.username?.trim() ?? '';
  if (!username) {
    problems.push('a username is required');
  } else if (username.includes('\\')) {
    // `DOMAIN\user` (cvpysdk's form for domain users) is sent as typed; anything else with a backslash is a typo.
    if (!domainOfUsername(username)) {
      problems.push('a domain user is written DOMAIN\\user (one backslash, a name on each side)');
    } else if (conn.domain?.trim()) {
      problems.push('the domain is given twice: write either "domain" or DOMAIN\\user in "username", not both');
    }
  }
  if (conn.commserver !== undefined && conn.commserver !== '' && !/^[^\s*]+\*[^\s*]+$/.test(conn.commserver)) {
    problems.push('commserver must be written host*name (e.g. client.mydomain.com*testcs)');
  }
  if (conn.deviceId !== undefined && !conn.deviceId.trim()) problems.push('deviceId must not be empty when set');
  return problems;
}

async function login(conn: ConnectionConfig, creds: Credentials, ctx: AdapterContext): Promise<Session> {
  // The server's words are scrubbed where they are read (below); this also covers every message built from them.
  return withSecretsScrubbed(creds.secret, conn.username, () => loginOnce(conn, creds, ctx));
}

async function loginOnce(conn: ConnectionConfig, creds: Credentials, ctx: AdapterContext): Promise<Session> {
  const problems = validate(conn);
  if (problems.length) throw new AuthError('config', problems.join('; '));
  if (!creds.secret) throw new AuthError('config', 'no password is set');
  const format = formatOf(conn);
  const username = (conn.username ?? '').trim();
  const encoded = Buffer.from(creds.secret, 'utf8').toString('base64');
  const secrets = secretForms(creds.secret, username);

  // Field order and the mode spelling ("WebConsole" in JSON, "Webconsole" in XML) follow the documentation.
  const fields: Record<string, string> = {
    mode: format === 'json' ? 'WebConsole' : 'Webconsole',
    domain: conn.domain ?? '',
    username,
    password: encoded,
  };
  // `commserver` is omitted when not used.
  if (conn.commserver) fields.commserver = conn.commserver;
  // Always, as the SDK does: the server ties the session to it, and RenewLoginToken presents the same one.
  const deviceId = deviceIdFor(conn);
  fields.deviceId = deviceId;

  const res = await send(ctx, {
    method: 'POST',
    url: joinUrl(conn.baseUrl, 'Login'),
    headers: { Accept: MIME[format], 'Content-Type': MIME[format] },
    data: encodeBody(fields, format, 'DM2ContentIndexing_CheckCredentialReq'),
  });
  let body: Record<string, unknown>;
  try {
    body = parseAnswer(res, 'the login', format);
  } catch (e) {
    // A bare 401/403 (plain text, no errList) is still a refused login.
    if (!(res.status === 401 || res.status === 403) || looksLikeHtml(res)) throw e;
    body = { errorMessage: serverWords(res, secrets) };
  }
  const rawToken = str(body.token);
  const ok = res.status >= 200 && res.status < 300;

  if (!ok || !rawToken || !rawToken.trim()) {
    const err = firstError(body);
    const serverMessage = safe(err.message, secrets);
    if (bool(body.isAccountLocked)) {
      const remaining = num(body.remainingLockTime);
      const when = remaining !== undefined && remaining > 0 ? ` (about ${Math.ceil(remaining / 60)} min left)` : '';
      throw new AuthError('locked', `the account is locked${when}`, {
        serverMessage,
        status: res.status,
        code: err.code,
        ...(remaining !== undefined ? { remainingLockSeconds: remaining } : {}),
      });
    }
    if (serverMessage || res.status === 401 || res.status === 403) {
      const what = conn.commserver
        ? 'wrong username, password, domain or CommServe'
        : conn.domain || domainOfUsername(username)
          ? 'wrong domain, username or password'
          : 'wrong username or password';
      throw new AuthError('credentials', what, { serverMessage, status: res.status, code: err.code });
    }
    if (!ok) throw new AuthError('protocol', `the login answered HTTP ${res.status}`, { status: res.status });
    throw new AuthError('protocol', 'the login answer has neither a token nor an error message', { status: res.status });
  }

  const token = normalizeToken(rawToken);
  const now = ctx.clock();
  const forceChange = bool(body.forcePasswordChange);
  const org = isRecord(body.ownerOrganization) ? body.ownerOrganization : undefined;
  const detail: Record<string, unknown> = {};
  const put = (k: string, v: unknown): void => {
    if (v !== undefined && v !== '') detail[k] = v;
  };
  put('domain', conn.domain || domainOfUsername(username));
  put('commserver', conn.commserver);
  put('aliasName', str(body.aliasName));
  put('providerType', num(body.providerType));
  put('capability', num(body.capability));
  put('loginAttempts', num(body.loginAttempts));
  put('organization', org ? (str(org.providerDomainName) ?? str(org.providerId)) : undefined);
  if (forceChange) {
    detail.forcePasswordChange = true;
    detail.note = 'the server asks for a password change';
  }
  const userGUID = str(body.userGUID);
  return createSession({
    connectionId: conn.id,
    vendor: 'commvault',
    authKind: 'password',
    token,
    attach: { kind: 'header', name: 'Authtoken', value: token },
    now,
    method: 'Login',
    slidingWindowMs: (conn.lifetimeSeconds ?? COMMVAULT_IDLE_SECONDS) * 1000,
    user: { name: str(body.userName) || username, ...(userGUID ? { id: userGUID } : {}), detail },
    vendorState: { deviceId, format },
  });
}

async function refresh(conn: ConnectionConfig, session: Session, ctx: AdapterContext): Promise<Session> {
  // The id the session logged in with (a session from before Login sent one falls back to the connection's).
  const deviceId = session.vendorState.deviceId || deviceIdFor(conn);
  // Always JSON: the documented body is JSON and the XML form is unconfirmed.
  const res = await send(ctx, {
    method: 'POST',
    url: joinUrl(conn.baseUrl, 'RenewLoginToken'),
    headers: { Accept: MIME.json, 'Content-Type': MIME.json, Authtoken: session.token },
    data: JSON.stringify({ sessionId: session.token, deviceId }),
  });
  if (res.status === 401 || res.status === 403) {
    throw new AuthError('expired', `the server refused to renew the token (HTTP ${res.status})`, {
      status: res.status,
      serverMessage: serverWords(res, [session.token]),
    });
  }
  const body = parseAnswer(res, 'the token renewal', 'json');
  const rawToken = str(body.token);
  if (res.status < 200 || res.status >= 300 || !rawToken || !rawToken.trim()) {
    const err = firstError(body);
    throw new AuthError('expired', 'the server did not renew the token', {
      status: res.status,
      code: err.code,
      serverMessage: safe(err.message, [session.token]),
    });
  }
  return replaceToken(session, { token: normalizeToken(rawToken), now: ctx.clock(), method: 'RenewLoginToken', event: 'renew' });
}

async function logout(conn: ConnectionConfig, session: Session, ctx: AdapterContext): Promise<void> {
  const format = formatOf(conn);
  const res = await send(ctx, {
    method: 'POST',
    url: joinUrl(conn.baseUrl, 'Logout'),
    headers: { Accept: MIME[format], Authtoken: session.token },
  });
  // "User logged out" and "Invalid authorization token provided." both leave the token dead: either is fine,
  // whether it comes with 200 or 401.
  if (res.status >= 500 || looksLikeHtml(res)) {
    parseJson(res, 'the logout'); // throws the precise server/protocol error
  }
  if ((res.status >= 200 && res.status < 300) || res.status === 401 || res.status === 403) return;
  throw new AuthError('protocol', `the logout answered HTTP ${res.status}`, { status: res.status, serverMessage: serverWords(res, [session.token]) });
}

/** JSON or XML both ways, `Authtoken` last so it always wins. */
function wire(conn: ConnectionConfig, session: Session, req: ExploreRequest): WireRequest {
  if (req.kind !== 'rest') throw new AuthError('config', 'Commvault calls are REST calls (method and path), not JSON-RPC');
  const method = httpMethod(req.method);
  const format = formatOf(conn);
  let data: string | Buffer | undefined;
  // Bytes: a binary body the auth gateway passes on as it came.
  if (typeof req.body === 'string' || Buffer.isBuffer(req.body)) {
    data = req.body;
  } else if (req.body !== undefined && req.body !== null) {
    if (format === 'json') data = JSON.stringify(req.body);
    else if (isRecord(req.body)) data = buildXml(req.body);
    else throw new AuthError('config', 'an XML request body must be an object (root element → content) or XML text');
  }
  const headers: Record<string, string> = { Accept: MIME[format] };
  if (data !== undefined) headers['Content-Type'] = MIME[format];
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    if (k.toLowerCase() === 'authtoken') continue;
    for (const own of Object.keys(headers)) if (own.toLowerCase() === k.toLowerCase()) delete headers[own];
    headers[k] = v;
  }
  headers.Authtoken = session.token;
  // joinUrl keeps the Authtoken on this server, under the web-service root (a full URL or `..` is refused).
  return { method, url: joinUrl(conn.baseUrl, req.path), headers, data, authHeader: 'Authtoken' };
}

async function request(conn: ConnectionConfig, session: Session, req: ExploreRequest, ctx: AdapterContext): Promise<CallResult> {
  const res = await send(ctx, wire(conn, session, req));
  if (res.status === 401) {
    throw new AuthError('expired', 'the server rejected the token (HTTP 401)', {
      status: 401,
      serverMessage: serverWords(res, [session.token]),
    });
  }
  // JSON is parsed; XML and plain text stay text (the viewer pretty-prints XML).
  const response = toApiResponse(res);
  // A call the server accepted restarts its idle window.
  const after = res.status < 400 ? touch(session, ctx.clock()) : session;
  return { response, session: after };
}

export const commvaultAdapter: VendorAdapter = {
  vendor: 'commvault',
  displayName: 'Commvault / SnapProtect',
  authKinds: ['password'],
  secretLabel: () => 'password',
  validate,
  login,
  refresh,
  logout,
  request,
  wire,
  authPaths: () => ['Login', 'Logout', 'RenewLoginToken'],
  sampleRequests: [
    { kind: 'rest', method: 'POST', path: '/WhoAmI' },
    { kind: 'rest', method: 'GET', path: '/Client' },
    { kind: 'rest', method: 'GET', path: '/CommServ' },
  ],
};

// Code42 adapter (the protocol: docs/protocols.md §4).
// token (default): GET {base}{tokenPath}?useBody=true with Basic (+ `totp-auth: <code>` when the org uses two-factor
//   auth) → {"data":{"v3_user_token":"eyJ…"}}; then `Authorization: Bearer <token>` until `exp` (or 30 min).
// basic: Basic credentials on every request; login only checks them with GET /api/User/my.
// A 401 whose body names TIME_BASED_ONE_TIME_PASSWORD_REQUIRED is not a failure but a prompt: AuthError
// `twoFactorRequired`, answered by calling login again with `creds.totp`. A code the server rejects
// (TIME_BASED_ONE_TIME_PASSWORD_INVALID, or "required" although one was sent) is `twoFactorRequired` too, so that
// callers ask for the current code again instead of reporting a wrong password.
// Two-factor and Basic do not mix: a TOTP code lives 30 s, so it cannot ride on every Basic request of a session.
// A Basic login of an account that requires two-factor is refused as `config` (use `"auth": "token"`); the code is
// never sent with Basic. (That such accounts need the code on every Basic request is what the mock does; it is
// unconfirmed for real servers, but either way a Basic session of such an account would not outlive one code.)
// Error bodies come in two shapes, both handled: v3 `{"error":[{"primaryErrorKey","description"}]}` and the legacy
// list `[{"name","description"}]`.
// After a refused login (wrong credentials), the adapter asks, as py42 does, `GET …/v3/LoginConfiguration?username=U`
// (no auth) whether the account is a local or an SSO login: an SSO account cannot use the API with its password, and
// is told so. That question only refines the error: whatever it meets (404, a timeout, an odd answer), the original
// error stands.
import { AuthError, truncate, withSecretsScrubbed } from '../core/errors';
import { type AdapterContext, joinUrl, parseJson, type RawResponse, send, unexpectedAnswer } from '../core/http';
import { decodeJwt } from '../core/jwt';
import { createSession } from '../core/session';
import type { Attach, AuthKind, ConnectionConfig, Credentials, Session } from '../core/types';
import type { VendorAdapter } from '../core/adapter';
import { isRecord } from '../core/util';
import { jsonRestCalls } from './common';

/** The token resource of current servers and of py42; `/c42api/v3/auth/jwt` (older servers) stays selectable. */
export const CODE42_DEFAULT_TOKEN_PATH = '/api/v3/auth/jwt';
export const CODE42_LEGACY_TOKEN_PATH = '/c42api/v3/auth/jwt';
const USER_PATH = '/api/User/my';
const DEFAULT_LIFETIME_SEC = 1800;
const TOTP_REQUIRED = 'TIME_BASED_ONE_TIME_PASSWORD_REQUIRED';

interface Code42Problem {
  key?: string;
  description?: string;
}

/** The error entries of a Code42 answer, whichever of its two shapes it uses; [] when there are none. */
function problemsOf(text: string): Code42Problem[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return [];
  }
  const list = Array.isArray(v) ? v : isRecord(v) && Array.isArray(v.error) ? v.error : [];
  return list.filter(isRecord).map((e) => {
    const key = typeof e.primaryErrorKey === 'string' ? e.primaryErrorKey : typeof e.name === 'string' ? e.name : undefined;
    const description = typeof e.description === 'string' && e.description ? e.description : undefined;
    return { key, description };
  });
}

function serverMessage(problems: Code42Problem[]): string | undefined {
  const words = problems.map((p) => p.description ?? p.key).filter((s): s is string => !!s);
  return words.length ? truncate(words.join('; '), 300) : undefined;
}

/** A 401 that is about the two-factor code: 'required' (prompt for it) or 'rejected' (the code was wrong). */
function totpProblem(res: RawResponse, problems: Code42Problem[]): 'required' | 'rejected' | null {
  const keys = problems.map((p) => p.key ?? '');
  if (keys.includes(TOTP_REQUIRED) || (!keys.length && res.text.includes(TOTP_REQUIRED))) return 'required';
  if (keys.some((k) => /TIME_BASED_ONE_TIME_PASSWORD|TOTP/i.test(k)) || (!keys.length && /TIME_BASED_ONE_TIME_PASSWORD/.test(res.text))) return 'rejected';
  return null;
}

/** The error for a refused login (401/403), or null when the status is not one. */
function loginRefusal(res: RawResponse, hadCode: boolean): AuthError | null {
  if (res.status !== 401 && res.status !== 403) return null;
  const problems = problemsOf(res.text);
  const details = { status: res.status, serverMessage: serverMessage(problems) };
  const totp = totpProblem(res, problems);
  // A rejected code is a prompt again, not a wrong password: the caller asks for the current code.
  if (totp === 'rejected' || (totp === 'required' && hadCode)) {
    return new AuthError('twoFactorRequired', 'the two-factor code was rejected', details);
  }
  if (totp === 'required') return new AuthError('twoFactorRequired', 'this account needs a two-factor code', details);
  if (res.status === 403) return new AuthError('forbidden', 'the server refused this user', details);
  return new AuthError('credentials', 'wrong username or password', details);
}

/** A Basic login or call of an account whose org requires two-factor: Basic cannot carry the code. */
function basicNeedsTwoFactor(details: { status: number; serverMessage?: string }): AuthError {
  return new AuthError(
    'config',
    'this account requires two-factor authentication, which Basic auth cannot carry (a code is valid for 30 s, not for a session); use "auth": "token"',
    details,
  );
}

function basicValue(username: string, secret: string): string {
  return `Basic ${Buffer.from(`${username}:${secret}`, 'utf8').toString('base64')}`;
}

/**
 * Where to ask for the account's login type: under the same prefix as the token resource (`/c42api/v3/…` for the
 * legacy path, as older py42 versions asked; `/api/v3/…` otherwise, as py42 asks now).
 */
export function loginConfigurationPath(conn: ConnectionConfig): string {
  const auth: AuthKind = conn.auth ?? 'token';
  const legacy = auth === 'token' && /^\/c42api\//i.test(tokenPathOf(conn));
  return legacy ? '/c42api/v3/LoginConfiguration' : '/api/v3/LoginConfiguration';
}

/**
 * The account's `loginType` from LoginConfiguration (py42 reads `loginType` of the answer's `data`, or of the answer
 * itself: `LOCAL`, `LOCAL_2FA`, `CLOUD_SSO`; an unknown user reads `LOCAL_2FA`), or undefined when the question
 * cannot be answered. Throws only a cancellation.
 */
async function loginTypeOf(conn: ConnectionConfig, ctx: AdapterContext): Promise<string | undefined> {
  try {
    const url = `${joinUrl(conn.baseUrl, loginConfigurationPath(conn))}?username=${encodeURIComponent(conn.username ?? '')}`;
    const res = await send(ctx, { method: 'GET', url, headers: { Accept: 'application/json' } });
    if (res.status !== 200) return undefined;
    const body: unknown = JSON.parse(res.text);
    const root = isRecord(body) && isRecord(body.data) ? body.data : body;
    return isRecord(root) && typeof root.loginType === 'string' ? root.loginType : undefined;
  } catch (e) {
    // A user who cancels is obeyed; every other failure leaves the original error standing.
    if (e instanceof AuthError && e.kind === 'cancelled') throw e;
    return undefined;
  }
}

/** A refused login made precise: an SSO account is told it needs a local one; anything else stays as it was. */
async function explainRefusal(refusal: AuthError, conn: ConnectionConfig, ctx: AdapterContext): Promise<AuthError> {
  if (refusal.kind !== 'credentials') return refusal;
  const loginType = await loginTypeOf(conn, ctx);
  // `CLOUD_SSO` is py42's value; any other SSO flavour (`SSO`, …) is read the same way.
  if (!loginType || !/SSO/i.test(loginType)) return refusal;
  return new AuthError('config', 'this account signs in through SSO; the API needs a local account', {
    ...refusal.details,
    nextStep: 'put a local Code42 account (one made in the Code42 console, not through the identity provider) in "username"',
  });
}

function tokenPathOf(conn: ConnectionConfig): string {
  const p = conn.tokenPath?.trim();
  return p ? p : CODE42_DEFAULT_TOKEN_PATH;
}

function withUseBody(url: string): string {
  if (/[?&]useBody=/i.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}useBody=true`;
}

function loginHeaders(username: string, creds: Credentials): Record<string, string> {
  const headers: Record<string, string> = { Authorization: basicValue(username, creds.secret), Accept: 'application/json' };
  const code = creds.totp?.trim();
  if (code) headers['totp-auth'] = code;
  return headers;
}

async function login(conn: ConnectionConfig, creds: Credentials, ctx: AdapterContext): Promise<Session> {
  // A server that echoes the password (or the Basic value) must not put it into the error.
  return withSecretsScrubbed(creds.secret, conn.username, () => loginOnce(conn, creds, ctx));
}

async function loginOnce(conn: ConnectionConfig, creds: Credentials, ctx: AdapterContext): Promise<Session> {
  const auth: AuthKind = conn.auth ?? 'token';
  if (auth !== 'token' && auth !== 'basic') throw new AuthError('config', `Code42 has no "${auth}" login`);
  if (!conn.username) throw new AuthError('config', 'a username is required');
  if (!creds.secret) throw new AuthError('credentials', 'no password was given');
  const hadCode = !!creds.totp?.trim();

  if (auth === 'basic') {
    const what = `the credential check (GET ${USER_PATH})`;
    // Never the code: it would make the check pass and every later Basic request fail once the code is stale.
    const res = await send(ctx, { method: 'GET', url: joinUrl(conn.baseUrl, USER_PATH), headers: loginHeaders(conn.username, { secret: creds.secret }) });
    const refusal = loginRefusal(res, false);
    if (refusal?.kind === 'twoFactorRequired') throw basicNeedsTwoFactor({ status: res.status, serverMessage: refusal.details.serverMessage });
    if (refusal) throw await explainRefusal(refusal, conn, ctx);
    if (res.status !== 200) throw unexpectedAnswer(res, what, serverMessage(problemsOf(res.text)));
    const body = parseJson(res, what);
    const data = isRecord(body) && isRecord(body.data) ? body.data : null;
    const name = data && typeof data.username === 'string' ? data.username : conn.username;
    const id = data && (typeof data.userId === 'number' || typeof data.userId === 'string') ? data.userId : undefined;
    const attach: Attach = { kind: 'header', name: 'Authorization', value: basicValue(conn.username, creds.secret) };
    return createSession({
      connectionId: conn.id,
      vendor: 'code42',
      authKind: 'basic',
      // Not a secret: the Basic credentials themselves only live in `attach`.
      token: `Basic credentials of ${conn.username}`,
      attach,
      now: ctx.clock(),
      method: `GET ${USER_PATH}`,
      perRequest: true,
      user: { name, ...(id !== undefined ? { id } : {}) },
    });
  }

  const path = tokenPathOf(conn);
  const what = `token login (GET ${path})`;
  const res = await send(ctx, { method: 'GET', url: withUseBody(joinUrl(conn.baseUrl, path)), headers: loginHeaders(conn.username, creds) });
  const refusal = loginRefusal(res, hadCode);
  if (refusal) throw await explainRefusal(refusal, conn, ctx);
  if (res.status !== 200) throw unexpectedAnswer(res, what, serverMessage(problemsOf(res.text)));
  const body = parseJson(res, what);
  const token = isRecord(body) && isRecord(body.data) && typeof body.data.v3_user_token === 'string' ? body.data.v3_user_token : '';
  if (!token) {
    throw new AuthError('protocol', `the answer to ${what} has no v3_user_token`, { status: res.status, serverMessage: serverMessage(problemsOf(res.text)) });
  }
  const claims = decodeJwt(token)?.claims;
  const claimedName = typeof claims?.username === 'string' ? claims.username : undefined;
  return createSession({
    connectionId: conn.id,
    vendor: 'code42',
    authKind: 'token',
    token,
    attach: { kind: 'header', name: 'Authorization', value: `Bearer ${token}` },
    now: ctx.clock(),
    method: `GET ${path}`,
    fixedLifetimeMs: (conn.lifetimeSeconds ?? DEFAULT_LIFETIME_SEC) * 1000,
    user: { name: claimedName ?? conn.username },
  });
}

/** A call answered HTTP 401. */
function callRejected(res: RawResponse, session: Session): AuthError {
  const problems = problemsOf(res.text);
  const details = { status: 401, serverMessage: serverMessage(problems) };
  // Only Basic requests can meet this (a bearer token carries the two-factor login): the org turned two-factor on
  // after the login. A code cannot be sent on every request, so it is a setting to change, not a prompt.
  if (totpProblem(res, problems) === 'required') return basicNeedsTwoFactor(details);
  return new AuthError('expired', session.authKind === 'basic' ? 'the credentials were rejected' : 'the token was rejected', details);
}

const { wire, request } = jsonRestCalls('Code42', callRejected);

function staysOnServer(baseUrl: string, path: string): boolean {
  try {
    joinUrl(baseUrl, path);
    return true;
  } catch {
    return false;
  }
}

export const code42Adapter: VendorAdapter = {
  vendor: 'code42',
  displayName: 'Code42',
  authKinds: ['token', 'basic'],
  secretLabel: () => 'password',
  // Code42's own rules; types, `auth` and `lifetimeSeconds` are the common validation's.
  validate: (conn) => {
    const problems: string[] = [];
    if (!conn.username) problems.push('a username is required');
    const tokenPath = conn.tokenPath?.trim();
    if (tokenPath !== undefined && !/^\/\S*$/.test(tokenPath)) {
      problems.push(`tokenPath must be a path starting with "/" (${CODE42_DEFAULT_TOKEN_PATH}, the default, or ${CODE42_LEGACY_TOKEN_PATH} for older servers)`);
    } else if (tokenPath !== undefined && !staysOnServer(conn.baseUrl, tokenPath)) {
      // `//host/jwt` starts with "/" too: the password would go to that host (joinUrl refuses it at login anyway).
      problems.push(`tokenPath must be a path on the baseUrl's server, under its path (e.g. ${CODE42_DEFAULT_TOKEN_PATH})`);
    }
    return problems;
  },
  login,
  request,
  wire,
  // With Basic attached by the gateway, the token resource would mint a token for the client: both forms, and the
  // configured one. (The credential check GET /api/User/my is a plain read.)
  authPaths: (conn) => [...new Set([tokenPathOf(conn), CODE42_DEFAULT_TOKEN_PATH, CODE42_LEGACY_TOKEN_PATH])],
  sampleRequests: [
    { kind: 'rest', method: 'GET', path: USER_PATH },
    { kind: 'rest', method: 'GET', path: '/api/v1/Org/my' },
    { kind: 'rest', method: 'GET', path: '/api/v1/Computer' },
  ],
};

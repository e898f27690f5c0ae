// datarhei Core adapter (the protocol: docs/protocols.md §5, checked against a real Core v16.16 server).
// Login: POST /api/login with JSON {"username","password"} (or an Auth0 access token as Bearer, no body)
// → {"access_token","refresh_token"}; both HS256 JWTs whose `exp` gives the expiry (`exi` is the total lifetime,
// fixed at issue). Refresh: GET /api/login/refresh with Bearer <refresh_token> → {"access_token"} (the refresh token
// is not rotated). Calls: Bearer <access_token>. A wrong password is answered after a deliberate 5 s delay, which
// the default 15 s timeout covers.
import { AuthError, truncate, withSecretsScrubbed } from '../core/errors';
import { type AdapterContext, type HttpRequest, joinUrl, parseJson, type RawResponse, send, unexpectedAnswer } from '../core/http';
import { decodeJwt, lifetimeClaim } from '../core/jwt';
import { createSession, isRefreshUsable, replaceToken } from '../core/session';
import type { Attach, AuthKind, ConnectionConfig, Credentials, Session } from '../core/types';
import type { VendorAdapter } from '../core/adapter';
import { isRecord } from '../core/util';
import { jsonRestCalls } from './common';
import { auth0RefusalError, fetchAuths, userNotAllowedError } from './datarhei-auth0';

const LOGIN_PATH = '/api/login';
const REFRESH_PATH = '/api/login/refresh';

const bearer = (token: string): Attach => ({ kind: 'header', name: 'Authorization', value: `Bearer ${token}` });

/** `details[0]` (else `message`) of a datarhei error body `{"code","message","details":[…]}`. */
function serverMessage(res: RawResponse): string | undefined {
  try {
    const v: unknown = JSON.parse(res.text);
    if (isRecord(v)) {
      const details = Array.isArray(v.details) ? v.details.filter((d): d is string => typeof d === 'string' && d.length > 0) : [];
      if (details.length) return truncate(details.join('; '), 300);
      if (typeof v.message === 'string' && v.message) return truncate(v.message, 300);
    }
  } catch {
    // not JSON: no server words to quote
  }
  return undefined;
}

function stringField(v: unknown, name: string, what: string, status: number): string {
  const s = isRecord(v) ? v[name] : undefined;
  if (typeof s !== 'string' || !s) throw new AuthError('protocol', `the answer to ${what} has no ${name}`, { status });
  return s;
}

async function login(conn: ConnectionConfig, creds: Credentials, ctx: AdapterContext): Promise<Session> {
  // A server that echoes the password or the Auth0 token must not put it into the error.
  return withSecretsScrubbed(creds.secret, conn.username, () => loginOnce(conn, creds, ctx));
}

async function loginOnce(conn: ConnectionConfig, creds: Credentials, ctx: AdapterContext): Promise<Session> {
  const auth: AuthKind = conn.auth ?? 'password';
  if (auth !== 'password' && auth !== 'auth0') throw new AuthError('config', `datarhei Core has no "${auth}" login`);
  if (!creds.secret) throw new AuthError('credentials', auth === 'auth0' ? 'no Auth0 access token was given' : 'no password was given');
  if (auth === 'password' && !conn.username) throw new AuthError('config', 'a username is required');
  const what = `login (POST ${LOGIN_PATH})`;
  const req: HttpRequest =
    auth === 'password'
      ? {
          method: 'POST',
          url: joinUrl(conn.baseUrl, LOGIN_PATH),
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          data: JSON.stringify({ username: conn.username, password: creds.secret }),
        }
      : // Auth0: the token as Bearer and no body, so no Content-Type either (send() leaves it out when there is no body).
        { method: 'POST', url: joinUrl(conn.baseUrl, LOGIN_PATH), headers: { Authorization: `Bearer ${creds.secret}`, Accept: 'application/json' } };
  const res = await send(ctx, req);
  if (res.status === 401) {
    const notAllowed = auth === 'auth0' ? userNotAllowedError(creds.secret, serverMessage(res)) : null;
    if (notAllowed) throw notAllowed;
    throw new AuthError('credentials', auth === 'auth0' ? 'the Auth0 access token was rejected' : 'wrong username or password', {
      status: 401,
      serverMessage: serverMessage(res),
    });
  }
  if (res.status === 400) {
    // Our request always carries credentials, so the server not finding any means it does not read them this way. For
    // Auth0 that is "Auth0 off" or "issuer not a tenant": the server's `auths` tells which (datarhei-auth0.ts).
    if (auth === 'auth0') throw auth0RefusalError(await fetchAuths(conn.baseUrl, ctx), creds.secret, serverMessage(res));
    throw new AuthError('protocol', 'the server found no username and password in the login request', { status: 400, serverMessage: serverMessage(res) });
  }
  if (res.status !== 200) throw unexpectedAnswer(res, what, serverMessage(res));
  const body = parseJson(res, what);
  const access = stringField(body, 'access_token', what, res.status);
  const refresh = stringField(body, 'refresh_token', what, res.status);
  const claims = decodeJwt(access)?.claims;
  const sub = claims?.sub;
  return createSession({
    connectionId: conn.id,
    vendor: 'datarhei',
    authKind: auth,
    token: access,
    attach: bearer(access),
    now: ctx.clock(),
    method: `POST ${LOGIN_PATH}`,
    refreshToken: refresh,
    // Used only when `exp` is not a usable date (1e300, milliseconds, a string): `exi`, the lifetime fixed at issue,
    // still gives a countdown. A negative or non-number `exi` is no lifetime (lifetimeClaim).
    fixedLifetimeMs: lifetimeClaim('exi', claims?.exi).ms,
    user: typeof sub === 'string' ? { name: sub } : auth === 'password' && conn.username ? { name: conn.username } : null,
  });
}

async function refresh(conn: ConnectionConfig, session: Session, ctx: AdapterContext): Promise<Session> {
  const now = ctx.clock();
  if (!session.refreshToken) throw new AuthError('expired', 'there is no refresh token');
  if (!isRefreshUsable(session, now)) throw new AuthError('expired', 'the refresh token has expired');
  const what = `refresh (GET ${REFRESH_PATH})`;
  const res = await send(ctx, {
    method: 'GET',
    url: joinUrl(conn.baseUrl, REFRESH_PATH),
    headers: { Authorization: `Bearer ${session.refreshToken}`, Accept: 'application/json' },
  });
  if (res.status === 401) {
    throw new AuthError('expired', 'the refresh token was rejected', { status: 401, serverMessage: serverMessage(res) });
  }
  if (res.status !== 200) throw unexpectedAnswer(res, what, serverMessage(res));
  const body = parseJson(res, what);
  const access = stringField(body, 'access_token', what, res.status);
  // Core does not rotate the refresh token; take a new one only if a server ever sends it.
  const rotated = isRecord(body) && typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : undefined;
  return replaceToken(session, {
    token: access,
    now: ctx.clock(),
    method: `GET ${REFRESH_PATH}`,
    event: 'refresh',
    attach: bearer(access),
    ...(rotated ? { refreshToken: rotated } : {}),
  });
}

const { wire, request } = jsonRestCalls(
  'datarhei Core',
  (res) => new AuthError('expired', 'the access token was rejected', { status: 401, serverMessage: serverMessage(res) }),
);

export const datarheiAdapter: VendorAdapter = {
  vendor: 'datarhei',
  displayName: 'datarhei Core',
  authKinds: ['password', 'auth0'],
  secretLabel: (auth) => (auth === 'auth0' ? 'Auth0 access token' : 'password'),
  // datarhei's own rule; types, `auth` and `refreshLeadSeconds` are the common validation's.
  validate: (conn) => ((conn.auth ?? 'password') === 'password' && !conn.username ? ['a username is required for password login'] : []),
  login,
  refresh,
  request,
  wire,
  // The Auth0 login goes to the same path; the refresh would fork the token the gateway holds.
  authPaths: () => [LOGIN_PATH, REFRESH_PATH],
  sampleRequests: [
    { kind: 'rest', method: 'GET', path: '/api' },
    { kind: 'rest', method: 'GET', path: '/api/v3/process' },
    { kind: 'rest', method: 'GET', path: '/api/v3/config' },
    { kind: 'rest', method: 'GET', path: '/api/v3/skills' },
    { kind: 'rest', method: 'GET', path: '/api/v3/fs' },
    { kind: 'rest', method: 'GET', path: '/ping' },
  ],
};

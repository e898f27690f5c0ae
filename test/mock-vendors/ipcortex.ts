// Loopback mock of the IPCortex PABX REST API (the protocol: docs/protocols.md §3).
// - POST {base}/rest/auth/  {"auth":{"type":"auth","username","password"}} → user record with `session`, plus
//   `Set-Cookie: Red60urne=<same value>`. A valid Red60urne cookie on the login makes it apply to that session.
// - POST {base}/rest/auth/logout {"auth":{"type":"auth"}} + cookie → ends the session.
// - POST {base}/rest/<section>/<verb> → {"result":"success","values":[…]} when authenticated by the cookie, by
//   {"auth":{"type":"auth","key":K}} in the body, or by `Authorization: token auth=K`.
// Sessions expire after `env.lifetimes.ipcortexIdleSec` without use (0 = never).
//
// The real failure shapes are not documented beyond `"result":"fail"`, so the mock can vary them to prove the
// adapter is tolerant: `POST {prefix}/__mock/options` with a partial {@link IpcortexMockOptions} (empty body resets).
// `GET {prefix}/__mock/last-auth` tells how the last REST call authenticated (test-only inspection).
import { randomBytes } from 'node:crypto';
import { ACCOUNTS } from './accounts';
import type { MockEnv, MockReply, MockRequest, VendorHandler } from './types';
import { json } from './util';

export const COOKIE_NAME = 'Red60urne';

export interface IpcortexMockOptions {
  /** Where a successful login puts the session value: body `user.session`, `Set-Cookie`, both (default), or nowhere (broken). */
  sessionIn: 'both' | 'body' | 'cookie' | 'none';
  /** HTTP status of a "not authenticated" answer (200 by default; some servers may use 401). */
  notAuthStatus: 200 | 401;
  /** Shape of a failed login: with a `message` (default), bare `{"result":"fail"}`, or 401 with `error`. */
  loginFail: 'message' | 'bare' | 'http401';
  /** A careless server (tests of the client's scrubbing): failure messages quote the password or key they were sent. */
  echoSecret: boolean;
  /**
   * REST sections the caller may not use although authenticated: a call answers
   * `{"result":"fail","message":"Permission denied for section <name>"}` (the wording is made up; unconfirmed).
   */
  denySections: string[];
}

const DEFAULT_OPTIONS: IpcortexMockOptions = { sessionIn: 'both', notAuthStatus: 200, loginFail: 'message', echoSecret: false, denySections: [] };

interface SessionState {
  lastUsed: number;
  /** null until a login succeeds on it. */
  user: typeof USER | null;
}

const USER = {
  id: 123,
  login: ACCOUNTS.ipcortex.username,
  name: 'Alice Example',
  company: 'Acme Telecom',
  home: 'acme.example',
  perms: { admin: 'company', directory: 'yes', callcentre: 'yes' },
};

const VALUES: Record<string, unknown[]> = {
  '/rest/user/list': [
    { id: 123, login: 'alice', name: 'Alice Example', extension: '201' },
    { id: 124, login: 'bob', name: 'Bob Builder', extension: '202' },
  ],
  '/rest/line/list': [
    { id: 'SIP/201', extension: '201', owner: 123, type: 'sip' },
    { id: 'SIP/202', extension: '202', owner: 124, type: 'sip' },
  ],
  '/rest/phone/list': [{ mac: '00:15:65:aa:bb:01', model: 'Yealink T46S', owner: 123 }],
};

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function parseBody(body: string): Record<string, unknown> | null {
  if (!body.trim()) return {};
  try {
    const v = JSON.parse(body) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function authOf(body: Record<string, unknown>): Record<string, unknown> {
  const a = body.auth;
  return typeof a === 'object' && a !== null && !Array.isArray(a) ? (a as Record<string, unknown>) : {};
}

export function createHandler(env: MockEnv): VendorHandler {
  const sessions = new Map<string, SessionState>();
  let options: IpcortexMockOptions = { ...DEFAULT_OPTIONS };
  /** How the last call (not login/logout) was authenticated: `cookie`, `body`, `header`, or `none`. */
  let lastAuth: { via: string[]; ok: boolean } = { via: [], ok: false };

  /** The session of a cookie value when it exists and has not idled out (which deletes it). */
  const live = (value: string | null): SessionState | null => {
    if (!value) return null;
    const s = sessions.get(value);
    if (!s) return null;
    const idle = env.lifetimes.ipcortexIdleSec;
    if (idle > 0 && env.clock() - s.lastUsed >= idle * 1000) {
      sessions.delete(value);
      return null;
    }
    return s;
  };

  const notAuthenticated = (presented?: string): MockReply =>
    json(options.notAuthStatus, { result: 'fail', message: options.echoSecret && presented ? `Not authenticated: bad key ${presented}` : 'Not authenticated' });

  const login = (req: MockRequest, body: Record<string, unknown>): MockReply => {
    env.stats.inc('ipcortex.login');
    const auth = authOf(body);
    const good = auth.type === 'auth' && auth.username === ACCOUNTS.ipcortex.username && auth.password === ACCOUNTS.ipcortex.password;
    if (!good) {
      const echo = options.echoSecret ? `: bad password ${String(auth.password)}` : '';
      if (options.loginFail === 'bare') return json(200, { result: 'fail' });
      if (options.loginFail === 'http401') return json(401, { result: 'fail', error: `Invalid username or password${echo}` });
      return json(200, { result: 'fail', message: `Authentication failed${echo}` });
    }
    // A valid cookie on the login: the login applies to that existing session.
    const existing = readCookie(req.headers.cookie, COOKIE_NAME);
    let value = existing && live(existing) ? existing : null;
    if (!value) value = randomBytes(20).toString('hex');
    sessions.set(value, { lastUsed: env.clock(), user: USER });
    const user: Record<string, unknown> = { ...USER };
    if (options.sessionIn === 'both' || options.sessionIn === 'body') user.session = value;
    const headers: Record<string, string | string[]> = {};
    if (options.sessionIn === 'both' || options.sessionIn === 'cookie') headers['set-cookie'] = [`${COOKIE_NAME}=${value}; Path=/; HttpOnly`];
    return json(200, { result: 'success', user }, headers);
  };

  const logout = (req: MockRequest): MockReply => {
    env.stats.inc('ipcortex.logout');
    const value = readCookie(req.headers.cookie, COOKIE_NAME);
    const s = live(value);
    if (!value || !s?.user) return notAuthenticated();
    sessions.delete(value);
    return json(200, { result: 'success' }, { 'set-cookie': [`${COOKIE_NAME}=deleted; Path=/; Max-Age=0; HttpOnly`] });
  };

  const call = (req: MockRequest, body: Record<string, unknown>): MockReply => {
    env.stats.inc('ipcortex.call');
    const bodyKey = authOf(body).key;
    const header = req.headers.authorization;
    const headerKey = typeof header === 'string' ? /^token\s+auth=(.+)$/i.exec(header.trim())?.[1] : undefined;
    const via: string[] = [];
    if (bodyKey !== undefined) via.push('body');
    if (headerKey !== undefined) via.push('header');
    let ok = false;
    if (via.length > 0) {
      // Any key presented must be right; a wrong one is rejected even beside a good cookie.
      ok = [bodyKey, headerKey].every((k) => k === undefined || k === ACCOUNTS.ipcortex.apiKey);
    } else {
      const value = readCookie(req.headers.cookie, COOKIE_NAME);
      if (value) via.push('cookie');
      const s = live(value);
      if (s?.user) {
        s.lastUsed = env.clock();
        ok = true;
      }
    }
    lastAuth = { via, ok };
    if (!ok) return notAuthenticated([bodyKey, headerKey].find((k) => typeof k === 'string' && k !== ACCOUNTS.ipcortex.apiKey) as string | undefined);
    const section = /^\/rest\/([^/]+)/.exec(req.path)?.[1] ?? '';
    if (options.denySections.includes(section)) return json(200, { result: 'fail', message: `Permission denied for section ${section}` });
    const values = VALUES[req.path.replace(/\/+$/, '')];
    if (!values) return json(404, { result: 'fail', message: 'Unknown request' });
    return json(200, { result: 'success', values });
  };

  return (req: MockRequest): MockReply => {
    if (req.path === '/__mock/options' && req.method === 'POST') {
      const patch = parseBody(req.body) ?? {};
      options = Object.keys(patch).length ? { ...options, ...(patch as Partial<IpcortexMockOptions>) } : { ...DEFAULT_OPTIONS };
      return { status: 204 };
    }
    if (req.path === '/__mock/last-auth' && req.method === 'GET') return json(200, lastAuth);
    if (!req.path.startsWith('/rest/')) return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };
    if (req.method !== 'POST') return json(405, { result: 'fail', message: 'Use POST' }, { allow: 'POST' });
    const body = parseBody(req.body);
    if (!body) return json(400, { result: 'fail', message: 'Bad JSON' });
    const path = req.path.replace(/\/+$/, '');
    if (path === '/rest/auth') return login(req, body);
    if (path === '/rest/auth/logout') return logout(req);
    return call(req, body);
  };
}

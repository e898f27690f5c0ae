// Loopback mock of the datarhei Core API (the protocol: docs/protocols.md §5). It answers as a real Core v16.16
// server did when its answers were captured: same status lines, Content-Type, header order and body bytes (Go's JSON
// encoder ends every body with "\n" and sorts the claims of the tokens it signs).
//
// Facts from the real server that this mock reproduces:
// - tokens are HS256, signed with the key username + password + jwt secret (so a password change invalidates them);
// - claims, in this order: exi, exp, iat, iss "datarhei-core", jti (uuid), sub, usefor "access" | "refresh";
// - a bad login (401) and a login without usable credentials (400) are answered after a deliberate delay (5 s on
//   the real server; `lifetimes.datarheiBadLoginDelayMs` here, short in tests);
// - the refresh token is not rotated; `/api` answers a short "about" unless a valid ACCESS token comes with it.
// Not confirmed (chosen here): the 404 body for unknown routes, the /api/v3/config and
// /api/v3/skills bodies (trimmed). Like the real one, /api/v3/config carries api.auth.password and api.auth.jwt.secret
// in clear (and the mock adds the other secret-named fields a real config has: storage.memory.auth.password,
// rtmp.token, srt.passphrase), so that the client's masking of secret-named fields is tested against it.
//
// Auth0 is off by default, as on the captured server (`GET /api` lists `"auths":["localjwt"]`, 75 bytes); tests
// that log in with Auth0 turn it on (`setDatarheiAuth0(env, true)` or `startMockVendors({ datarheiAuth0: true })`).
// With it on, each tenant (default: demoTenant(), auth0-tenant.ts) is listed in `auths` as
// "auth0 domain=… audience=… clientid=…" and its RS256 tokens are checked against its JWKS as Core does
// (http/jwt/validator.go): a token of no listed tenant is no credential (400 after the delay), the audience is not
// checked, a user not in the tenant's list gets 401 "…keyfunc: user not allowed" after the delay.
// Login reads a body only when it is sent as `application/json` (else 400 after the delay, as the real server).
// Framing (CORS, gzip, no Connection header) and the token-free swagger page: datarhei-wire.ts.
//
// The in-memory filesystem (`/api/v3/fs/mem/…`: files up and down as bytes): datarhei-memfs.ts.
// Test-only inspection: `datarheiReceived(env)` lists the last requests (method, path, headers, body) as received.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ACCOUNTS } from './accounts';
import { type Auth0Tenant, demoTenant, parseUnverified, verifyTenantToken } from './auth0-tenant';
import { memfsRoute } from './datarhei-memfs';
import { ABOUT, BAD_CREDENTIALS, INVALID_JWT, MISSING_CREDENTIALS, SKILL_FILTERS } from './datarhei-bodies';
import { frame, goJsonText, goTime, preflight, swagger } from './datarhei-wire';
import { signHs256, verifyHs256 } from './jwt';
import type { MockEnv, MockReply, MockRequest, VendorHandler } from './types';

export interface DatarheiMockOptions {
  /** Accept Auth0 access tokens at POST /api/login (and list "auth0" in `auths`). Default false (see above). */
  auth0?: boolean;
  /**
   * A careless server (tests of the client's scrubbing): a refused login quotes the password or the Auth0 token it
   * was sent in its `details`. Default false.
   */
  echoSecret?: boolean;
  /** Claims put into every token issued from now on, over the usual ones (e.g. an `exp` of 1e300). Default none. */
  claims?: Record<string, unknown>;
  /** The Auth0 tenants whose tokens are taken while Auth0 is on. Default: [demoTenant()]. */
  auth0Tenants?: Auth0Tenant[];
}

/** One request as the mock received it (header names in lower case, as Node gives them). */
export interface DatarheiReceived {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface DatarheiState {
  username: string;
  password: string;
  auth0: boolean;
  echoSecret: boolean;
  claims: Record<string, unknown>;
  auth0Tenants: Auth0Tenant[];
  startedAt: number;
  /** Newest last, at most {@link MAX_RECEIVED}. */
  received: DatarheiReceived[];
  /** The in-memory filesystem (`/api/v3/fs/mem/…`, datarhei-memfs.ts): path → bytes. */
  files: Map<string, Buffer>;
}

const MAX_RECEIVED = 50;

const states = new WeakMap<MockEnv, DatarheiState>();

function stateOf(env: MockEnv): DatarheiState {
  const s = states.get(env);
  if (!s) throw new Error('the datarhei mock is not running on this env');
  return s;
}

/** Changes the server's password: every token issued so far stops verifying (the signing key includes it). */
export function changeDatarheiPassword(env: MockEnv, password: string): void {
  stateOf(env).password = password;
}

/** Turns the Auth0 login on or off at run time (off: `auths` is `["localjwt"]`, as the real server answered). */
export function setDatarheiAuth0(env: MockEnv, enabled: boolean): void {
  stateOf(env).auth0 = enabled;
}

/** Changes the mock's options at run time (tests). */
export function setDatarheiOptions(env: MockEnv, opts: DatarheiMockOptions): void {
  const s = stateOf(env);
  if (opts.auth0 !== undefined) s.auth0 = opts.auth0;
  if (opts.echoSecret !== undefined) s.echoSecret = opts.echoSecret;
  if (opts.claims !== undefined) s.claims = opts.claims;
  if (opts.auth0Tenants !== undefined) s.auth0Tenants = [...opts.auth0Tenants];
}

/** The Auth0 tenants the mock takes tokens of (when Auth0 is on); [] when no datarhei mock runs on this env. */
export function datarheiAuth0Tenants(env: MockEnv): Auth0Tenant[] {
  return states.get(env)?.auth0Tenants ?? [];
}

/** The last requests the mock received, newest last (copies). */
export function datarheiReceived(env: MockEnv): DatarheiReceived[] {
  return stateOf(env).received.map((r) => ({ ...r, headers: { ...r.headers } }));
}

/**
 * An RS256 access token of the mock's demo Auth0 tenant (ACCOUNTS.datarhei.auth0; key made in this process).
 * `claims` overrides or adds claims (e.g. another `iss`, `sub` or `nbf`) to test rejections.
 */
export function mintAuth0Token(nowMs: number, lifetimeSec: number, claims: Record<string, unknown> = {}): string {
  return demoTenant().mint(nowMs, lifetimeSec, claims);
}

/** Other secrets the config answer carries in clear, as a real Core's does (exported for the masking tests). */
export const CONFIG_MEMFS_PASSWORD = 'memfs-Pa55word';
export const CONFIG_RTMP_TOKEN = 'rtmp-publish-token-42';
export const CONFIG_SRT_PASSPHRASE = 'srt-passphrase-1234';

export function createHandler(env: MockEnv, opts: DatarheiMockOptions = {}): VendorHandler {
  const state: DatarheiState = {
    username: ACCOUNTS.datarhei.username,
    password: ACCOUNTS.datarhei.password,
    auth0: opts.auth0 ?? false,
    echoSecret: opts.echoSecret ?? false,
    claims: opts.claims ?? {},
    // The demo tenant's key pair is made here, when the first mock starts (once per process).
    auth0Tenants: [...(opts.auth0Tenants ?? [demoTenant()])],
    startedAt: env.clock(),
    received: [],
    files: new Map(),
  };
  states.set(env, state);

  /** Headers in the real server's order: Content-Type, Vary…, Date, Content-Length. */
  const reply = (status: number, body: string, contentType: string | null, vary: string[] = ['Origin']): MockReply => {
    const headers: Record<string, string | string[]> = {};
    if (contentType) headers['Content-Type'] = contentType;
    headers.Vary = vary.length === 1 ? vary[0] : vary;
    headers.Date = new Date(env.clock()).toUTCString();
    headers['Content-Length'] = String(Buffer.byteLength(body));
    return { status, headers, body };
  };
  const json = (status: number, value: unknown, vary?: string[]): MockReply => reply(status, goJsonText(value), 'application/json', vary);

  const signingKey = (): string => state.username + state.password + ACCOUNTS.datarhei.jwtSecret;

  const issue = (sub: string, usefor: 'access' | 'refresh'): string => {
    const exi = usefor === 'access' ? env.lifetimes.datarheiAccessSec : env.lifetimes.datarheiRefreshSec;
    const iat = Math.floor(env.clock() / 1000);
    return signHs256({ exi, exp: iat + exi, iat, iss: 'datarhei-core', jti: randomUUID(), sub, usefor, ...state.claims }, signingKey());
  };

  const tokens = (sub: string): MockReply => {
    env.stats.inc('datarhei.login');
    return json(200, { access_token: issue(sub, 'access'), refresh_token: issue(sub, 'refresh') });
  };

  /** The bearer token of the request, when it verifies, is unexpired and is meant for `usefor`. */
  const validToken = (req: MockRequest, usefor: 'access' | 'refresh'): Record<string, unknown> | null => {
    // echo-jwt takes what follows "Bearer " (any case): a second space is part of the token, which then fails.
    const m = /^bearer (\S+)$/i.exec(String(req.headers.authorization ?? ''));
    if (!m) return null;
    const claims = verifyHs256(m[1], signingKey());
    if (!claims) return null;
    if (claims.usefor !== usefor) return null;
    // golang-jwt v5: `exp` only when present (a token without one is accepted), `nbf` honoured.
    const now = env.clock() / 1000;
    if (claims.exp !== undefined && !(typeof claims.exp === 'number' && now < claims.exp)) return null;
    if (claims.nbf !== undefined && !(typeof claims.nbf === 'number' && now >= claims.nbf)) return null;
    return claims;
  };

  /** A refused login, answered after the deliberate delay (counted as `datarhei.delayed`, so tests need not time it). */
  const badLogin = (body: unknown): MockReply => {
    env.stats.inc('datarhei.delayed');
    return { ...json((body as { code: number }).code, body), delayMs: env.lifetimes.datarheiBadLoginDelayMs };
  };

  /** The local (username/password) validator: null when the body carries no usable credentials. */
  const localCredentials = (req: MockRequest): { username: string; password: string } | null => {
    // Core binds the body as JSON only when it is sent as such (text/plain or no type: no credentials).
    if (!/^application\/json\s*(;|$)/i.test(String(req.headers['content-type'] ?? ''))) return null;
    let v: unknown;
    try {
      v = JSON.parse(req.body);
    } catch {
      return null;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    const { username, password } = v as Record<string, unknown>;
    if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) return null;
    return { username, password };
  };

  /**
   * The Auth0 validators (one per tenant): null when no tenant claims the token (no Bearer "…" with a JWT whose `iss`
   * is `https://<domain>/` of a listed tenant), else the subject or the error text.
   */
  const auth0Login = (req: MockRequest): { sub: string } | { error: string } | null => {
    if (!state.auth0) return null;
    const header = String(req.headers.authorization ?? '');
    if (!header.startsWith('Bearer ') || header.length === 'Bearer '.length) return null;
    const token = header.slice('Bearer '.length);
    const iss = parseUnverified(token)?.claims.iss;
    const tenant = state.auth0Tenants.find((t) => t.issuer === iss);
    return tenant ? verifyTenantToken(tenant, token, env.clock()) : null;
  };

  const login = (req: MockRequest): MockReply => {
    const local = localCredentials(req);
    if (local) {
      if (local.username !== state.username || local.password !== state.password) {
        if (!state.echoSecret) return badLogin(BAD_CREDENTIALS);
        return badLogin({ ...BAD_CREDENTIALS, details: [`${BAD_CREDENTIALS.details[0]}: bad password ${local.password}`] });
      }
      return tokens(state.username);
    }
    const auth0 = auth0Login(req);
    if (auth0 && 'sub' in auth0) return tokens(auth0.sub);
    if (auth0) {
      const echo = state.echoSecret ? ` (${String(req.headers.authorization)})` : '';
      return badLogin({ code: 401, message: 'Unauthorized', details: [`Invalid authorization credentials: ${auth0.error}${echo}`] });
    }
    return badLogin(MISSING_CREDENTIALS);
  };

  const v3: Record<string, () => unknown> = {
    '/api/v3/process': () => [],
    '/api/v3/config': () => ({
      created_at: goTime(state.startedAt),
      loaded_at: goTime(state.startedAt),
      updated_at: goTime(state.startedAt),
      config: {
        version: 3,
        id: ABOUT.id,
        name: ABOUT.name,
        address: '127.0.0.1:18080',
        log: { level: 'info', topics: [], max_lines: 1000 },
        db: { dir: './config' },
        host: { name: [], auto: false },
        api: {
          read_only: false,
          auth: {
            enable: true,
            disable_localhost: false,
            username: state.username,
            password: state.password,
            jwt: { secret: ACCOUNTS.datarhei.jwtSecret },
            auth0: { enable: state.auth0, tenants: [] },
          },
        },
        tls: { address: '127.0.0.1:18181', enable: false, auto: false },
        storage: { memory: { auth: { enable: true, username: 'admin', password: CONFIG_MEMFS_PASSWORD }, max_size_mbytes: 0 } },
        rtmp: { enable: false, app: '/', token: CONFIG_RTMP_TOKEN },
        srt: { enable: false, passphrase: CONFIG_SRT_PASSPHRASE, token: '' },
        update_check: false,
      },
      overrides: ['api.auth.enable', 'api.auth.username', 'api.auth.password', 'api.auth.jwt.secret', 'update_check'],
    }),
    '/api/v3/skills': () => ({
      ffmpeg: { version: '6.1.1', compiler: 'gcc 12 (Debian 12.2.0-14)', configuration: '--enable-gpl', libraries: [] },
      // `filter`, as the real server names it (not `filters`); enough of them that the answer is gzip-sized (≥ 1000 bytes).
      filter: SKILL_FILTERS.map(([id, description]) => ({ id, name: id, description })),
      hwaccels: [],
      codecs: {
        audio: [{ id: 'aac', name: 'aac', encoders: ['aac'], decoders: ['aac'] }],
        video: [{ id: 'h264', name: 'h264', encoders: ['libx264'], decoders: ['h264'] }],
        subtitle: [],
      },
      devices: { demuxers: [], muxers: [] },
      formats: { demuxers: [{ id: 'mpegts', name: 'mpegts' }], muxers: [{ id: 'hls', name: 'hls' }] },
      protocols: { input: [{ id: 'rtmp', name: 'rtmp' }], output: [{ id: 'rtmp', name: 'rtmp' }] },
    }),
    '/api/v3/fs': () => [
      { name: 'disk', type: 'disk', mount: '/' },
      { name: 'mem', type: 'mem', mount: '/memfs' },
    ],
  };

  /** The routes, as Echo matches them: exact paths (a trailing slash is another path), GET only on v3 (HEAD → 404). */
  const route = (req: MockRequest): MockReply => {
    const method = req.method.toUpperCase();
    const path = req.path;
    if (path === '/ping' && method === 'GET') return reply(200, 'pong', 'text/plain; charset=UTF-8');
    if (path === '/api' && method === 'GET') {
      const auths = [
        'localjwt',
        ...(state.auth0 ? state.auth0Tenants.map((t) => `auth0 domain=${t.domain} audience=${t.audience} clientid=${t.clientId}`) : []),
      ];
      if (!validToken(req, 'access')) return json(200, { app: 'datarhei-core', auths, version: { number: '16.0.0' } });
      const uptime = Math.max(0, Math.floor((env.clock() - state.startedAt) / 1000));
      return json(200, {
        app: 'datarhei-core',
        auths,
        name: ABOUT.name,
        id: ABOUT.id,
        created_at: goTime(state.startedAt),
        uptime_seconds: uptime,
        version: ABOUT.version,
      });
    }
    if (path === '/api/login' && method === 'POST') return login(req);
    if (path === '/api/login/refresh' && method === 'GET') {
      const claims = validToken(req, 'refresh');
      if (!claims) return json(401, INVALID_JWT);
      env.stats.inc('datarhei.refresh');
      return json(200, { access_token: issue(String(claims.sub), 'access') });
    }
    const docs = swagger(path, env.clock());
    if (docs) return docs;
    // Everything else under /api sits behind the JWT middleware (GET /api/login included).
    const noBody = (status: number): MockReply => ({ status, headers: { Vary: 'Origin', Date: new Date(env.clock()).toUTCString() } });
    if (!validToken(req, 'access')) return method === 'HEAD' ? noBody(401) : json(401, INVALID_JWT);
    const file = memfsRoute(state.files, req, new Date(env.clock()).toUTCString());
    if (file) {
      env.stats.inc('datarhei.call');
      return file;
    }
    const handler = method === 'GET' && path.startsWith('/api/v3/') ? v3[path] : undefined;
    if (!handler) return method === 'HEAD' ? noBody(404) : json(404, { code: 404, message: 'Not Found', details: ['Not Found'] });
    env.stats.inc('datarhei.call');
    return json(200, handler(), ['Origin', 'Accept-Encoding']);
  };

  return (req) => {
    state.received.push({ method: req.method, path: req.path, headers: { ...req.headers }, body: req.body });
    if (state.received.length > MAX_RECEIVED) state.received.splice(0, state.received.length - MAX_RECEIVED);
    return preflight(req, env.clock()) ?? frame(req, route(req));
  };
}

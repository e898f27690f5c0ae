// Loopback mock of the Code42 API (the protocol: docs/protocols.md §4).
// - GET /c42api/v3/auth/jwt?useBody=true and GET /api/v3/auth/jwt?useBody=true with Basic (+ `totp-auth` for the
//   two-factor user) → {"data":{"v3_user_token":"eyJ…"},"error":null,"warnings":null}; the token is an HS256 JWT
//   living env.lifetimes.code42TokenSec.
// - Resources (GET /api/User/my, /api/Org/my, /api/Computer, also under /api/v1/…) take Basic or Bearer <v3 token>.
// - GET /api/v3/LoginConfiguration?username=U and GET /c42api/v3/LoginConfiguration?username=U, no auth (py42 asks it
//   after a failed login) → {"data":{"loginType":"LOCAL"|"LOCAL_2FA"|"CLOUD_SSO"},"error":null,"warnings":null};
//   an unknown user reads LOCAL_2FA, as py42 documents. The SSO account's password never works on the API.
// The loginType values and the unknown-user answer are py42's; the `data` wrapper is this server's usual envelope
// (py42 reads `loginType` from `data` when there is one, else from the top level).
// Not confirmed (chosen here): the exact bad-credentials body, the invalid-code key
// TIME_BASED_ONE_TIME_PASSWORD_INVALID, the legacy `[{"name","description"}]` error list on /api resources,
// that the two-factor user needs `totp-auth` on Basic resource calls too, and the v3 token's claims.
// The Basic + two-factor assumption is the one with consequences: the adapter therefore refuses a Basic login of a
// two-factor account (a 30-second code cannot ride on every request). A real server might instead exempt Basic
// resource calls from the code, or refuse Basic outright for such accounts; nobody has checked.
import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { ACCOUNTS } from './accounts';
import { signHs256, verifyHs256 } from './jwt';
import type { MockEnv, MockReply, MockRequest, VendorHandler } from './types';
import { json } from './util';

/** The key the mock signs its v3 user tokens with (a real server's key is its own secret). */
export const CODE42_SIGNING_KEY = 'code42-mock-v3-signing-key';

interface User {
  username: string;
  password: string;
  totpSecret: string | null;
  userId: number;
  userUid: string;
  firstName: string;
  lastName: string;
}

const USERS: readonly User[] = [
  {
    username: ACCOUNTS.code42.username,
    password: ACCOUNTS.code42.password,
    totpSecret: null,
    userId: 1042,
    userUid: '1042000000000001042',
    firstName: 'Demo',
    lastName: 'User',
  },
  {
    username: ACCOUNTS.code42.sso.username,
    // The identity provider's password: the Code42 server itself never accepts it.
    password: '',
    totpSecret: null,
    userId: 1044,
    userUid: '1044000000000001044',
    firstName: 'Sso',
    lastName: 'User',
  },
  {
    username: ACCOUNTS.code42.mfa.username,
    password: ACCOUNTS.code42.mfa.password,
    totpSecret: ACCOUNTS.code42.mfa.totpSecret,
    userId: 1043,
    userUid: '1043000000000001043',
    firstName: 'Mfa',
    lastName: 'User',
  },
];

const ORG = { orgId: 7, orgUid: '970000000000000007', orgName: 'Acme Backup', orgType: 'ENTERPRISE', status: 'Active', active: true, blocked: false };
const TENANT_UID = 'a1b2c3d4-0000-4000-8000-c0de42c0de42';

const JSON_TYPE = { 'content-type': 'application/json;charset=UTF-8' };
const reply = (status: number, value: unknown): MockReply => json(status, value, JSON_TYPE);

const COULD_NOT_AUTHENTICATE = {
  data: null,
  error: [
    {
      primaryErrorKey: 'SYSTEM',
      otherErrors: null,
      exception: 'com.code42.core.auth.AuthenticationException',
      description: 'Could not authenticate user',
    },
  ],
  warnings: null,
};
/** The authenticator of a two-factor account (6 digits, 30 s), as the server checks it and as tests answer it. */
export function totpOf(base32Secret: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(base32Secret), digits: 6, period: 30 });
}

const TOTP_REQUIRED = { error: [{ primaryErrorKey: 'TIME_BASED_ONE_TIME_PASSWORD_REQUIRED' }] };
const TOTP_INVALID = { error: [{ primaryErrorKey: 'TIME_BASED_ONE_TIME_PASSWORD_INVALID' }] };

export interface Code42MockOptions {
  /**
   * Put `exp` in the v3 token (default true); false shows the client's fixed-lifetime fallback; any other value is
   * put in as it is (an `exp` no date can be: 1e300, a string).
   */
  tokenExp?: boolean | number | string;
  /**
   * A careless server (tests of the client's scrubbing): the bad-credentials description quotes the password, the
   * Authorization header and its base64 `user:password`.
   */
  echoCredentials?: boolean;
}

const options = new WeakMap<MockEnv, Code42MockOptions>();

/** The last LoginConfiguration question: its path, the username asked about, whether it came with credentials. */
export interface Code42LoginConfigurationAsked {
  path: string;
  username: string | null;
  authorization: boolean;
}
const asked = new WeakMap<MockEnv, Code42LoginConfigurationAsked>();

/** What the last LoginConfiguration request looked like (tests; never read by the handler). */
export function code42LoginConfigurationAsked(env: MockEnv): Code42LoginConfigurationAsked | undefined {
  return asked.get(env);
}

/** Changes the mock's behaviour at run time (tests). */
export function setCode42Options(env: MockEnv, opts: Code42MockOptions): void {
  options.set(env, { ...options.get(env), ...opts });
}

export function createHandler(env: MockEnv, opts: Code42MockOptions = {}): VendorHandler {
  options.set(env, { tokenExp: true, ...opts });
  /** Basic credentials → the user, or the 401 body saying why not. */
  const checkBasic = (req: MockRequest, legacyErrors: boolean): { user: User } | { fail: MockReply } => {
    const m = /^basic\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const user = colon > 0 ? USERS.find((u) => u.username === decoded.slice(0, colon)) : undefined;
    if (!user || !user.password || user.password !== decoded.slice(colon + 1)) {
      const description = options.get(env)?.echoCredentials
        ? `Could not authenticate user: bad password ${decoded.slice(colon + 1)} (Authorization: ${String(req.headers.authorization)}, credentials ${m?.[1] ?? ''})`
        : 'Could not authenticate user';
      const body = legacyErrors
        ? [{ name: 'SYSTEM', description }]
        : { ...COULD_NOT_AUTHENTICATE, error: [{ ...COULD_NOT_AUTHENTICATE.error[0], description }] };
      return { fail: reply(401, body) };
    }
    // Unconfirmed (see the top of this file): the two-factor user needs the code on Basic resource calls as well.
    if (user.totpSecret) {
      const code = String(req.headers['totp-auth'] ?? '').trim();
      if (!code) return { fail: reply(401, TOTP_REQUIRED) };
      const totp = totpOf(user.totpSecret);
      if (totp.validate({ token: code, timestamp: env.clock(), window: 1 }) === null) return { fail: reply(401, TOTP_INVALID) };
    }
    return { user };
  };

  const issueToken = (user: User): string => {
    const iat = Math.floor(env.clock() / 1000);
    const claims: Record<string, unknown> = { sub: user.userUid, iss: 'code42-mock', tenantUid: TENANT_UID, username: user.username, jti: randomUUID(), iat };
    const exp = options.get(env)?.tokenExp;
    if (exp === true || exp === undefined) claims.exp = iat + env.lifetimes.code42TokenSec;
    else if (exp !== false) claims.exp = exp;
    return signHs256(claims, CODE42_SIGNING_KEY);
  };

  /** Basic or Bearer on a resource call → the user, or the 401 answer. */
  const authenticate = (req: MockRequest): { user: User } | { fail: MockReply } => {
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
    if (bearer) {
      const claims = verifyHs256(bearer[1], CODE42_SIGNING_KEY);
      const user = claims ? USERS.find((u) => u.userUid === claims.sub) : undefined;
      if (!claims || !user) return { fail: reply(401, [{ name: 'SYSTEM', description: 'Invalid token' }]) };
      // A token without `exp` lives code42TokenSec from `iat` on the server side.
      const exp = typeof claims.exp === 'number' ? claims.exp : typeof claims.iat === 'number' ? claims.iat + env.lifetimes.code42TokenSec : 0;
      if (exp * 1000 <= env.clock()) {
        return { fail: reply(401, [{ name: 'SYSTEM', description: 'Token expired' }]) };
      }
      return { user };
    }
    return checkBasic(req, true);
  };

  const resources: Record<string, (user: User) => unknown> = {
    '/User/my': (u) => ({
      data: {
        userId: u.userId,
        userUid: u.userUid,
        status: 'Active',
        username: u.username,
        email: u.username,
        firstName: u.firstName,
        lastName: u.lastName,
        orgId: ORG.orgId,
        orgUid: ORG.orgUid,
        orgName: ORG.orgName,
        active: true,
        blocked: false,
        creationDate: '2024-03-01T09:00:00.000Z',
        modificationDate: '2026-01-15T12:00:00.000Z',
      },
    }),
    '/Org/my': () => ({ data: { ...ORG, creationDate: '2023-06-01T08:00:00.000Z' } }),
    '/Computer': (u) => ({
      data: {
        computers: [
          {
            computerId: 5001,
            guid: '5001000000000005001',
            name: `${u.firstName}-laptop`,
            osName: 'win64',
            status: 'Active',
            active: true,
            alertState: 0,
            userUid: u.userUid,
          },
          {
            computerId: 5002,
            guid: '5002000000000005002',
            name: `${u.firstName}-desktop`,
            osName: 'linux',
            status: 'Active',
            active: true,
            alertState: 0,
            userUid: u.userUid,
          },
        ],
      },
    }),
  };

  return (req) => {
    const method = req.method.toUpperCase();
    const path = req.path.replace(/\/+$/, '');
    if (path === '/c42api/v3/LoginConfiguration' || path === '/api/v3/LoginConfiguration') {
      if (method !== 'GET') return reply(405, { data: null, error: [{ primaryErrorKey: 'METHOD_NOT_ALLOWED' }], warnings: null });
      env.stats.inc('code42.loginConfiguration');
      asked.set(env, { path, username: req.query.get('username'), authorization: req.headers.authorization !== undefined });
      const user = USERS.find((u) => u.username.toLowerCase() === (req.query.get('username') ?? '').toLowerCase());
      const loginType = !user ? 'LOCAL_2FA' : !user.password ? 'CLOUD_SSO' : user.totpSecret ? 'LOCAL_2FA' : 'LOCAL';
      return reply(200, { data: { loginType }, error: null, warnings: null });
    }
    if (path === '/c42api/v3/auth/jwt' || path === '/api/v3/auth/jwt') {
      if (method !== 'GET') return reply(405, { data: null, error: [{ primaryErrorKey: 'METHOD_NOT_ALLOWED' }], warnings: null });
      const auth = checkBasic(req, false);
      if ('fail' in auth) return auth.fail;
      env.stats.inc('code42.login');
      // useBody=true puts the token in the body; the mock answers the same way without it (unconfirmed).
      return reply(200, { data: { v3_user_token: issueToken(auth.user) }, error: null, warnings: null });
    }
    const m = /^\/api(?:\/v1)?(\/User\/my|\/Org\/my|\/Computer)$/.exec(path);
    if (!m) return reply(404, [{ name: 'NOT_FOUND', description: 'No such resource' }]);
    const auth = authenticate(req);
    if ('fail' in auth) return auth.fail;
    if (method !== 'GET') return reply(405, [{ name: 'METHOD_NOT_ALLOWED', description: 'Only GET is supported here' }]);
    env.stats.inc('code42.call');
    return reply(200, resources[m[1]](auth.user));
  };
}

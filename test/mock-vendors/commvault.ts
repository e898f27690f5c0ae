// Loopback mock of the Commvault / SnapProtect web-service API (the protocol: docs/protocols.md §2).
// The handler sees paths below the web-service root, e.g. `/Login` for `/commvault/webconsole/api/Login`.
//
// Choices where the protocol is unconfirmed (the adapter must tolerate the alternatives too):
// - an invalid or expired token on any call answers HTTP 401 `{"errorCode":401,"errorMessage":"Access denied"}`
//   (XML when the client accepts XML);
// - RenewLoginToken with an unknown/expired sessionId answers HTTP 401; with a missing deviceId, or another one than
//   the session's, it answers HTTP 200 `{"error":{"errLogMessage":…,"errorCode":…}}` (the shape cvpysdk reads a failed
//   renewal from; the test switch `renewErrList` answers the older `errList` shape instead);
// - Logout always answers HTTP 200 plain text, `User logged out` or `Invalid authorization token provided.`;
// - the wording of the errList messages (bad credentials, locked account, unknown CommServe) is made up.
// As cvpysdk (the official SDK) sees a server: `GET {root}/` without auth answers 200 (the SDK checks it before
// logging in); Login takes `{"mode":4,"username":U,"password":B64,"deviceId":…,"clientType":30}` as well as the
// documented `"mode":"WebConsole"` form; a domain user may log in as `DOMAIN\user` without `domain`; the session is
// tied to the Login's `deviceId`; WhoAmI answers `{"user":{"userName":…,…}}`.
import { randomBytes } from 'node:crypto';
import { ACCOUNTS } from './accounts';
import { acceptFormat, authtoken, decodeBase64, type Format, parseBody, reply, str, text } from './commvault-wire';
import type { MockEnv, MockReply, MockRequest, VendorHandler } from './types';

/** What the last requests looked like, for tests that check what the client sent. Never read by the handler. */
export interface CommvaultMockRecord {
  /** The last Login body, parsed (JSON object or the XML root element's attributes). */
  lastLoginBody: Record<string, unknown> | null;
  lastLoginContentType: string;
  lastLoginAccept: string;
  /** The last RenewLoginToken body, parsed. */
  lastRenewBody: Record<string, unknown> | null;
  /** The Authtoken header of the last authenticated call (WhoAmI, reads, Logout, Renew). */
  lastAuthtoken: string | null;
  /** The last call other than Login/Renew/Logout: what the client sent. */
  lastCall: { method: string; path: string; contentType: string; accept: string; body: string } | null;
  /** How many tokens are currently known (valid or not yet swept). */
  liveTokens(): number;
  /** Test knob: successful logins answer `forcePasswordChange: true`. */
  forcePasswordChange: boolean;
  /** Test knob: the token in Login answers is broken over lines, as in documentation copies. */
  tokenLineBreaks: boolean;
  /** Test knob: a careless server whose bad-login message quotes the password, decoded and as sent (base64). */
  echoPassword: boolean;
  /** Test knob: a refused renewal answers the older `errList` shape instead of `{"error":{"errLogMessage"}}`. */
  renewErrList: boolean;
}

const RECORDS = new WeakMap<MockEnv, CommvaultMockRecord>();

/** The inspection record of the Commvault mock started with this env (tests: `commvaultRecord(mock().env)`). */
export function commvaultRecord(env: MockEnv): CommvaultMockRecord {
  const r = RECORDS.get(env);
  if (!r) throw new Error('the Commvault mock was not created with this env');
  return r;
}

interface TokenState {
  username: string;
  domain: string;
  userGUID: string;
  lastUsed: number;
  /** deviceId given at login (a login without one: the first renewal's); renewals must send the same. */
  deviceId: string | null;
}

interface UserRecord {
  username: string;
  domain: string;
  userGUID: string;
  fullName: string;
  email: string;
  userId: number;
}

const USERS: UserRecord[] = [
  {
    username: ACCOUNTS.commvault.username,
    domain: '',
    userGUID: '8C1A2F6E-3B1D-4E5A-9F27-6D0C4B8E1A53',
    fullName: 'Administrator',
    email: 'admin@acme.example',
    userId: 1,
  },
  {
    username: ACCOUNTS.commvault.domainUser.username,
    domain: ACCOUNTS.commvault.domainUser.domain,
    userGUID: '4F0B7D21-9C3E-4A66-8B15-2E7A9D4C0F88',
    fullName: 'John Doe',
    email: 'jdoe@acme.example',
    userId: 7,
  },
];

const WEB_SERVICE_ROOTS = /^\/(webconsole\/api|commandcenter\/api|SearchSvc\/CVWebService\.svc)(?=\/|$)/i;

const OWNER_ORG = { providerId: 0, providerDomainName: 'Commcell' };
const PROVIDER_ORG = { providerId: 0, providerDomainName: 'Commcell' };

export function createHandler(env: MockEnv): VendorHandler {
  const tokens = new Map<string, TokenState>();
  const record: CommvaultMockRecord = {
    lastLoginBody: null,
    lastLoginContentType: '',
    lastLoginAccept: '',
    lastRenewBody: null,
    lastAuthtoken: null,
    lastCall: null,
    liveTokens: () => tokens.size,
    forcePasswordChange: false,
    tokenLineBreaks: false,
    echoPassword: false,
    renewErrList: false,
  };
  RECORDS.set(env, record);

  const idleMs = (): number => env.lifetimes.commvaultIdleSec * 1000;

  /** The token's state when it is known and was used within the idle window; expired ones are forgotten. */
  const lookup = (token: string | null): TokenState | null => {
    if (!token) return null;
    const st = tokens.get(token);
    if (!st) return null;
    if (env.clock() - st.lastUsed >= idleMs()) {
      tokens.delete(token);
      return null;
    }
    return st;
  };

  const issue = (st: Omit<TokenState, 'lastUsed'>): string => {
    const token = `QSDK ${randomBytes(160).toString('hex')}`;
    tokens.set(token, { ...st, lastUsed: env.clock() });
    return token;
  };

  return (req: MockRequest): MockReply => {
    // The server frame passes the path after `/commvault`, so the web-service root is still on it; the three
    // documented roots are all served, and a bare `/Login` too.
    const path = req.path.replace(/\/+$/, '').replace(WEB_SERVICE_ROOTS, '').toLowerCase();
    const format = acceptFormat(req);
    const method = req.method.toUpperCase();

    // The service root answers without a token: cvpysdk checks it with a plain GET before logging in.
    if (path === '' && (method === 'GET' || method === 'HEAD')) {
      env.stats.inc('commvault.root');
      return text(200, 'Commvault web service is running');
    }
    if (path === '/login') {
      if (method !== 'POST') return text(405, 'Method not allowed');
      return login(req, format);
    }
    if (path === '/renewlogintoken') {
      if (method !== 'POST') return text(405, 'Method not allowed');
      return renew(req, format);
    }
    if (path === '/logout') {
      if (method !== 'POST') return text(405, 'Method not allowed');
      env.stats.inc('commvault.logout');
      const token = authtoken(req);
      record.lastAuthtoken = token;
      if (token && lookup(token)) {
        tokens.delete(token);
        return text(200, 'User logged out');
      }
      return text(200, 'Invalid authorization token provided.');
    }

    // Every other resource needs a valid token; a valid call restarts its idle window.
    env.stats.inc('commvault.call');
    record.lastCall = {
      method,
      path: req.path,
      contentType: String(req.headers['content-type'] ?? ''),
      accept: String(req.headers.accept ?? ''),
      body: req.body,
    };
    const token = authtoken(req);
    record.lastAuthtoken = token;
    const st = lookup(token);
    if (!st) return accessDenied(format);
    st.lastUsed = env.clock();
    const user = USERS.find((u) => u.username === st.username && sameDomain(u.domain, st.domain));

    if (path === '/whoami' && (method === 'POST' || method === 'GET')) {
      // The SDK reads `user.userName`.
      return reply(200, format, 'App_WhoAmIResp', {
        user: {
          userName: st.username,
          userGUID: st.userGUID,
          userId: user?.userId ?? 0,
          fullName: user?.fullName ?? st.username,
          email: user?.email ?? '',
          domainName: st.domain,
        },
        commCell: { commCellName: 'testcs', commCellId: 2 },
      });
    }
    if (path === '/client' && method === 'GET') {
      return reply(200, format, 'App_GetClientPropertiesResponse', {
        clientProperties: [
          { client: { clientEntity: { clientId: 2, clientName: 'testcs', hostName: 'testcs.acme.example', displayName: 'testcs' } } },
          { client: { clientEntity: { clientId: 5, clientName: 'fileserver01', hostName: 'fs01.acme.example', displayName: 'File server' } } },
          { client: { clientEntity: { clientId: 9, clientName: 'sql01', hostName: 'sql01.acme.example', displayName: 'SQL' } } },
        ],
      });
    }
    if (path === '/commserv' && method === 'GET') {
      return reply(200, format, 'App_GetCommServResponse', {
        commcell: { commCellId: 2, commCellName: 'testcs', hostName: 'testcs.acme.example', csGUID: 'E1F0C3A4-77B2-4D9A-8C05-1B3D5F7A9C21' },
        csVersionInfo: '11.36.24',
        timeZone: 'UTC',
      });
    }
    if (path === '/v4/servergroup' && method === 'GET') {
      return reply(200, format, 'ServerGroupsResponse', {
        serverGroups: [
          { id: 1, name: 'Media Agents', clientCount: 2 },
          { id: 3, name: 'Infrastructure', clientCount: 1 },
        ],
      });
    }
    return reply(404, format, 'App_GenericResp', { errorCode: 404, errorMessage: 'Resource not found' });
  };

  function login(req: MockRequest, format: Format): MockReply {
    env.stats.inc('commvault.login');
    const ct = String(req.headers['content-type'] ?? '');
    record.lastLoginContentType = ct;
    record.lastLoginAccept = String(req.headers.accept ?? '');
    const body = parseBody(req.body, ct, 'DM2ContentIndexing_CheckCredentialReq');
    record.lastLoginBody = body;
    if (!body) return reply(400, format, 'App_GenericResp', { errorCode: 400, errorMessage: 'Invalid request body' });

    // `DOMAIN\user` in `username` (the SDK's form) is the same as `domain` + `username`.
    const split = /^([^\\]+)\\([^\\]+)$/.exec(str(body.username));
    const username = split && !str(body.domain) ? split[2] : str(body.username);
    const domain = split && !str(body.domain) ? split[1] : str(body.domain);
    const commserver = str(body.commserver);
    const password = decodeBase64(str(body.password));

    if (commserver && commserver !== ACCOUNTS.commvault.commserver) {
      return loginFailure(format, `Failed to connect to the CommServe [${commserver}]`, 9);
    }
    const locked = ACCOUNTS.commvault.locked;
    if (username === locked.username && domain === '') {
      return reply(200, format, 'DM2ContentIndexing_CheckCredentialResp', {
        loginAttempts: 5,
        remainingLockTime: locked.remainingLockTime,
        isAccountLocked: true,
        errList: [
          {
            errLogMessage: `User account is locked. Please try again after ${Math.ceil(locked.remainingLockTime / 60)} minutes.`,
            errorCode: 1116,
          },
        ],
      });
    }
    const user = USERS.find((u) => u.username === username && sameDomain(u.domain, domain));
    const expected = user?.username === ACCOUNTS.commvault.username ? ACCOUNTS.commvault.password : user ? ACCOUNTS.commvault.domainUser.password : null;
    if (!user || password === null || password !== expected) {
      const echo = record.echoPassword ? ` (password ${password ?? ''}, sent as ${str(body.password)})` : '';
      return loginFailure(format, `Username or password is incorrect${echo}`, 5);
    }
    const deviceId = str(body.deviceId) || null;
    const token = issue({ username: user.username, domain: user.domain, userGUID: user.userGUID, deviceId });
    return reply(200, format, 'DM2ContentIndexing_CheckCredentialResp', {
      aliasName: String(user.userId),
      userGUID: user.userGUID,
      loginAttempts: 0,
      remainingLockTime: 0,
      userName: user.username,
      providerType: user.domain ? 2 : 1,
      ccn: 0,
      token: record.tokenLineBreaks ? token.replace(/(.{64})/g, '$1\n      ') : token,
      capability: 4328650366975,
      forcePasswordChange: record.forcePasswordChange,
      isAccountLocked: false,
      ownerOrganization: OWNER_ORG,
      providerOrganization: PROVIDER_ORG,
      errList: [],
    });
  }

  function renew(req: MockRequest, format: Format): MockReply {
    env.stats.inc('commvault.renew');
    record.lastAuthtoken = authtoken(req);
    const body = parseBody(req.body, String(req.headers['content-type'] ?? ''), null);
    record.lastRenewBody = body;
    if (!body) return reply(400, format, 'App_GenericResp', { errorCode: 400, errorMessage: 'Invalid request body' });
    const old = str(body.sessionId);
    const st = lookup(old);
    if (!st) return accessDenied(format);
    const deviceId = str(body.deviceId);
    if (!deviceId || (st.deviceId !== null && st.deviceId !== deviceId)) {
      const error = { errLogMessage: 'Invalid device id for this session', errorCode: 2 };
      return reply(200, format, 'App_RenewLoginTokenResp', record.renewErrList ? { errList: [error] } : { error });
    }
    tokens.delete(old);
    const token = issue({ username: st.username, domain: st.domain, userGUID: st.userGUID, deviceId });
    return reply(200, format, 'App_RenewLoginTokenResp', { token });
  }
}

function loginFailure(format: Format, message: string, code: number): MockReply {
  return reply(200, format, 'DM2ContentIndexing_CheckCredentialResp', {
    loginAttempts: 1,
    remainingLockTime: 0,
    isAccountLocked: false,
    errList: [{ errLogMessage: message, errorCode: code }],
  });
}

function accessDenied(format: Format): MockReply {
  return reply(401, format, 'App_GenericResp', { errorCode: 401, errorMessage: 'Access denied' });
}

function sameDomain(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

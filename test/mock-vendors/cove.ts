// Loopback mock of the N-able Cove JSON-RPC API (the protocol: docs/protocols.md §1).
// POST {base}/jsonapi with a JSON-RPC 2.0 body. Every answer is HTTP 200; errors travel as JSON-RPC errors.
// Every successful answer carries a brand-new visa at the TOP LEVEL (beside `result`); any issued visa stays
// valid `env.lifetimes.coveVisaSec` from its own issue, so an older visa of the chain still works.
//
// Test-only hooks: `GET {prefix}/__mock/received` lists the requests the server was sent (method, id, the visa
// sent and the one answered), newest last; `POST {prefix}/__mock/options` with a partial {@link CoveMockOptions}
// changes the behaviour (an empty body resets it).
import { randomBytes } from 'node:crypto';
import { ACCOUNTS } from './accounts';
import type { MockEnv, MockReply, MockRequest, VendorHandler } from './types';
import { json } from './util';

type RpcId = string | number | null;

interface UserRecord {
  EmailAddress: string;
  FirstName: string;
  FullName: string;
  Id: number;
  PartnerId: number;
  RoleId: number;
  Flags: string[];
  TwoFactorAuthenticationStatus: string;
  [k: string]: unknown;
}

interface KnownUser {
  username: string;
  password: string;
  record: UserRecord;
  /** May call EnumerateUsers. */
  mayEnumerateUsers: boolean;
}

interface VisaInfo {
  issuedAt: number;
  user: KnownUser;
}

export interface CoveReceived {
  at: number;
  method: string;
  id: RpcId;
  visa: string | null;
  /** The visa the answer carried (absent when it carried none), so a test can follow the chain from the server's side. */
  answered?: string;
}

export interface CoveMockOptions {
  /** Answer successes without the top-level visa (a broken server), to prove the client notices. */
  omitVisa: boolean;
  /** A careless server: the bad-login message quotes the password it was sent (tests of the client's scrubbing). */
  echoPassword: boolean;
}

const DEFAULT_OPTIONS: CoveMockOptions = { omitVisa: false, echoPassword: false };

const PARTNER_ID = 33491;

function userRecord(id: number, email: string, first: string, last: string, roleId: number, flags: string[]): UserRecord {
  return {
    EmailAddress: email,
    FirstName: first,
    FullName: `${first} ${last}`,
    Id: id,
    Name: email,
    PartnerId: PARTNER_ID,
    RoleId: roleId,
    Flags: flags,
    TwoFactorAuthenticationStatus: roleId === 1 ? 'Enabled' : 'Disabled',
    Title: '',
    PhoneNumber: '',
    LocationId: 0,
    SecurityCode: '',
  };
}

const USERS: KnownUser[] = [
  {
    username: ACCOUNTS.cove.username,
    password: ACCOUNTS.cove.password,
    record: userRecord(50193, ACCOUNTS.cove.username, 'Ada', 'Admin', 1, ['AllowApiAuthentication']),
    mayEnumerateUsers: true,
  },
  {
    username: ACCOUNTS.cove.apiUser.username,
    password: ACCOUNTS.cove.apiUser.password,
    record: userRecord(50194, ACCOUNTS.cove.apiUser.username, 'Api', 'User', 1, ['AllowApiAuthentication', 'ApiUser']),
    mayEnumerateUsers: true,
  },
  {
    username: ACCOUNTS.cove.viewer.username,
    password: ACCOUNTS.cove.viewer.password,
    record: userRecord(50195, ACCOUNTS.cove.viewer.username, 'Vic', 'Viewer', 4, ['AllowApiAuthentication']),
    mayEnumerateUsers: false,
  },
];

const PARTNERS = [
  { Id: PARTNER_ID, Name: ACCOUNTS.cove.partner, Level: 'Reseller', ParentId: 1, State: 'InProduction', Uid: 'a1c9e2f0b7d34c55', Country: 'NL' },
  { Id: 33502, Name: 'Contoso Ltd', Level: 'EndCustomer', ParentId: PARTNER_ID, State: 'InProduction', Uid: 'b2d0f3a1c8e45d66', Country: 'GB' },
  { Id: 33517, Name: 'Fabrikam BV', Level: 'EndCustomer', ParentId: PARTNER_ID, State: 'InTrial', Uid: 'c3e1a4b2d9f56e77', Country: 'NL' },
];

const COLUMNS = [
  { Id: 'I1', Name: 'Device name', Type: 'String' },
  { Id: 'I8', Name: 'Customer', Type: 'String' },
  { Id: 'I14', Name: 'Used storage', Type: 'Integer' },
  { Id: 'I78', Name: 'Active data sources', Type: 'String' },
  { Id: 'TL', Name: 'Last session timestamp', Type: 'DateTime' },
];

const ACCOUNT_STATS = [
  {
    AccountId: 912001,
    PartnerId: 33502,
    Flags: ['Active'],
    Settings: [{ I1: 'CONTOSO-FS01' }, { I8: 'Contoso Ltd' }, { I14: '1288490188' }, { I78: 'D01D02' }],
  },
  {
    AccountId: 912002,
    PartnerId: 33502,
    Flags: ['Active'],
    Settings: [{ I1: 'CONTOSO-SQL01' }, { I8: 'Contoso Ltd' }, { I14: '8589934592' }, { I78: 'D01D10' }],
  },
  { AccountId: 912017, PartnerId: 33517, Flags: ['Active'], Settings: [{ I1: 'FAB-LAPTOP-7' }, { I8: 'Fabrikam BV' }, { I14: '214748364' }, { I78: 'D01' }] },
];

/** A visa looks like a long opaque string; the exact format of real visas is not documented. */
function newVisa(): string {
  return `2-${randomBytes(60).toString('base64url')}`;
}

function rpcError(id: RpcId, code: number, message: string, data?: number): MockReply {
  return json(200, { id, jsonrpc: '2.0', error: data === undefined ? { code, message } : { code, data, message } });
}

const BAD_LOGIN = { code: -32603, data: 2100, message: 'Unknown partner/username or bad password' };
const BAD_VISA = { code: -32603, data: 1701, message: 'Visa is inconsistent/corrupted' };
const SECURITY = { code: -32603, data: 13501, message: 'Operation failed because of security reasons' };

export function createHandler(env: MockEnv): VendorHandler {
  const visas = new Map<string, VisaInfo>();
  const received: CoveReceived[] = [];
  let options: CoveMockOptions = { ...DEFAULT_OPTIONS };

  const issue = (user: KnownUser): string => {
    const now = env.clock();
    // Forget long-expired visas so the map stays small.
    for (const [v, info] of visas) if (now - info.issuedAt > env.lifetimes.coveVisaSec * 2000) visas.delete(v);
    const visa = newVisa();
    visas.set(visa, { issuedAt: now, user });
    return visa;
  };

  const userOf = (visa: unknown): KnownUser | null => {
    if (typeof visa !== 'string') return null;
    const info = visas.get(visa);
    if (!info) return null;
    if (env.clock() - info.issuedAt >= env.lifetimes.coveVisaSec * 1000) return null;
    return info.user;
  };

  const ok = (id: RpcId, result: unknown, user: KnownUser, rec: CoveReceived): MockReply => {
    if (options.omitVisa) return json(200, { id, jsonrpc: '2.0', result });
    rec.answered = issue(user);
    return json(200, { id, jsonrpc: '2.0', result, visa: rec.answered });
  };

  type Method = (params: Record<string, unknown>, user: KnownUser) => { result: unknown } | { error: { code: number; message: string; data?: number } };

  const methods: Record<string, Method> = {
    GetPartnerInfo: (params) => {
      const p = PARTNERS.find((x) => x.Name === params.name);
      return p ? { result: { result: p } } : { error: { code: -32603, message: 'Partner not found' } };
    },
    EnumeratePartners: (params) => {
      // A missing or zero parent means the caller's own partner (unconfirmed); anything but a number is refused.
      if (params.parentPartnerId !== undefined && typeof params.parentPartnerId !== 'number') {
        return { error: { code: -32602, message: 'Invalid params: parentPartnerId must be a number' } };
      }
      const parent = typeof params.parentPartnerId === 'number' && params.parentPartnerId > 0 ? params.parentPartnerId : PARTNER_ID;
      return { result: { result: PARTNERS.filter((p) => p.ParentId === parent) } };
    },
    EnumerateAccountStatistics: () => ({ result: { result: ACCOUNT_STATS, totalStatistics: null } }),
    EnumerateUsers: (_params, user) => (user.mayEnumerateUsers ? { result: { result: USERS.map((u) => u.record) } } : { error: SECURITY }),
    EnumerateColumns: () => ({ result: { result: COLUMNS } }),
  };

  const handle = (req: MockRequest): MockReply => {
    if (req.method === 'GET' && req.path === '/__mock/received') return json(200, received);
    if (req.method === 'POST' && req.path === '/__mock/options') {
      let patch: Partial<CoveMockOptions>;
      try {
        patch = req.body.trim() ? (JSON.parse(req.body) as Partial<CoveMockOptions>) : {};
      } catch {
        return { status: 400, body: 'bad options' };
      }
      options = Object.keys(patch).length ? { ...options, ...patch } : { ...DEFAULT_OPTIONS };
      return { status: 204 };
    }
    if (req.path !== '/jsonapi') return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };
    if (req.method !== 'POST') return { status: 405, headers: { 'content-type': 'text/plain', allow: 'POST' }, body: 'Method Not Allowed' };

    let msg: unknown;
    try {
      msg = JSON.parse(req.body);
    } catch {
      return rpcError(null, -32700, 'Parse error');
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return rpcError(null, -32600, 'Invalid Request');
    const m = msg as Record<string, unknown>;
    const id: RpcId = typeof m.id === 'string' || typeof m.id === 'number' ? m.id : null;
    if (m.jsonrpc !== '2.0' || typeof m.method !== 'string') return rpcError(id, -32600, 'Invalid Request');
    const params = typeof m.params === 'object' && m.params !== null && !Array.isArray(m.params) ? (m.params as Record<string, unknown>) : {};
    const method = m.method;

    if (method === 'Login') {
      env.stats.inc('cove.Login');
      const rec: CoveReceived = { at: env.clock(), method, id, visa: typeof m.visa === 'string' ? m.visa : null };
      received.push(rec);
      const user = USERS.find((u) => u.username === params.username && u.password === params.password);
      if (!user || params.partner !== ACCOUNTS.cove.partner) {
        const message = options.echoPassword ? `${BAD_LOGIN.message} ${String(params.password)}` : BAD_LOGIN.message;
        return rpcError(id, BAD_LOGIN.code, message, BAD_LOGIN.data);
      }
      return ok(id, { result: { ...user.record } }, user, rec);
    }

    env.stats.inc('cove.call');
    env.stats.inc(`cove.${method}`);
    const rec: CoveReceived = { at: env.clock(), method, id, visa: typeof m.visa === 'string' ? m.visa : null };
    received.push(rec);
    const impl = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (!impl) return rpcError(id, -32601, 'Method not found');
    const user = userOf(m.visa);
    if (!user) return rpcError(id, BAD_VISA.code, BAD_VISA.message, BAD_VISA.data);
    const out = impl(params, user);
    if ('error' in out) return rpcError(id, out.error.code, out.error.message, out.error.data);
    return ok(id, out.result, user, rec);
  };

  return handle;
}

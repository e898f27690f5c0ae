// N-able Cove Data Protection adapter — JSON-RPC 2.0 with a rolling "visa" (the protocol: docs/protocols.md §1).
// baseUrl is the JSON-RPC endpoint itself (Cove's public one is https://api.backup.management/jsonapi).
// Every answer carries a new visa at the top level; each one is valid 15 minutes from its issue, so the session
// keeps the newest and its expiry slides with every answer. Errors arrive with HTTP 200 as JSON-RPC errors.
import { AuthError, withSecretsScrubbed } from '../core/errors';
import { type AdapterContext, parseJson, type RawResponse, send, toApiResponse, type WireRequest } from '../core/http';
import { createSession, replaceToken } from '../core/session';
import type { CallResult, ConnectionConfig, Credentials, ExploreRequest, Session } from '../core/types';
import type { VendorAdapter } from '../core/adapter';
import { isRecord } from '../core/util';
import { outside, wording } from '../core/wording';

/** Cove's documented visa lifetime: 15 minutes from the answer that carried it. */
export const COVE_VISA_SECONDS = 900;

/** Cove `error.data` codes. */
export const COVE_CODES = {
  badLogin: 2100,
  /** "Visa is inconsistent/corrupted": seen for expired or unknown visas (that it means "expired" is unconfirmed). */
  badVisa: 1701,
  /** "Operation failed because of security reasons": method or column not allowed for the role. */
  security: 13501,
} as const;

interface RpcError {
  code: number | null;
  data: unknown;
  message: string;
}

interface RpcAnswer {
  /** The parsed body as a whole. */
  body: Record<string, unknown>;
  id: unknown;
  result: unknown;
  error: RpcError | null;
  visa: string | null;
}

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

/** Reads a JSON-RPC answer; throws `protocol` when the body is not one. */
function readAnswer(res: RawResponse, what: string): RpcAnswer {
  const body = parseJson(res, what);
  if (!isRecord(body) || (!('result' in body) && !('error' in body))) {
    throw new AuthError('protocol', `the answer to ${what} is not a JSON-RPC response (HTTP ${res.status})`, { status: res.status });
  }
  let error: RpcError | null = null;
  if (body.error !== undefined && body.error !== null) {
    const e = isRecord(body.error) ? body.error : {};
    error = {
      code: typeof e.code === 'number' ? e.code : null,
      data: e.data,
      message: typeof e.message === 'string' ? e.message : typeof body.error === 'string' ? body.error : '',
    };
  }
  return { body, id: body.id, result: body.result, error, visa: typeof body.visa === 'string' && body.visa !== '' ? body.visa : null };
}

/** Cove's own code: `error.data` (a number, sometimes sent as a numeric string). */
function coveCode(e: RpcError): number | null {
  if (typeof e.data === 'number') return e.data;
  if (typeof e.data === 'string' && /^\d+$/.test(e.data)) return Number(e.data);
  return null;
}

/** The AuthError for a JSON-RPC error answer. */
function errorFor(e: RpcError, what: string, status: number): AuthError {
  const code = coveCode(e);
  const details = { serverMessage: e.message || undefined, code: code ?? e.code ?? undefined, status };
  switch (code) {
    case COVE_CODES.badLogin:
      return new AuthError('credentials', 'wrong partner, username or password', details);
    case COVE_CODES.badVisa:
      return new AuthError('expired', 'the visa is no longer accepted (expired or corrupted)', details);
    case COVE_CODES.security:
      return new AuthError('forbidden', `the role of this user does not allow ${what}`, details);
    default:
      // The code is the server's: outside text (a careless server could put anything there).
      return new AuthError('protocol', wording`the server refused ${what} (JSON-RPC error ${outside(String(code ?? e.code ?? 'without a code'))})`, details);
  }
}

/** The next JSON-RPC request id of a session ("1" was the Login). Ids are strings, as in Cove's examples. */
function nextId(session: Session): string {
  const last = Number(session.vendorState.lastRpcId ?? '1');
  return String(Number.isFinite(last) ? last + 1 : 2);
}

/** User record fields shown in the UI; anything that smells secret is left out. */
function userDetail(rec: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (/password|token|visa|secret|securitycode/i.test(k)) continue;
    out[k] = v;
  }
  return out;
}

async function loginOnce(conn: ConnectionConfig, creds: Credentials, ctx: AdapterContext): Promise<Session> {
  const problems = coveAdapter.validate(conn);
  if (problems.length) throw new AuthError('config', problems.join('; '));
  const id = '1';
  const res = await send(ctx, {
    method: 'POST',
    url: conn.baseUrl,
    headers: JSON_HEADERS,
    data: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'Login',
      params: { partner: conn.partner, username: conn.username, password: creds.secret },
    }),
  });
  const answer = readAnswer(res, 'the Cove Login');
  if (answer.error) throw errorFor(answer.error, 'Login', res.status);
  // The visa is a top-level field beside `result`, not inside it.
  if (!answer.visa) throw new AuthError('protocol', 'the Cove Login answer has no visa', { status: res.status });
  const outer = isRecord(answer.result) ? answer.result : {};
  const rec = isRecord(outer.result) ? outer.result : outer;
  const name = typeof rec.FullName === 'string' && rec.FullName ? rec.FullName : (conn.username ?? undefined);
  const userId = typeof rec.Id === 'number' || typeof rec.Id === 'string' ? rec.Id : undefined;
  return createSession({
    connectionId: conn.id,
    vendor: 'cove',
    authKind: 'password',
    token: answer.visa,
    attach: { kind: 'jsonrpc', name: 'visa', value: answer.visa },
    now: ctx.clock(),
    method: 'Login',
    slidingWindowMs: (conn.lifetimeSeconds ?? COVE_VISA_SECONDS) * 1000,
    user: { name, id: userId, detail: userDetail(rec) },
    vendorState: { lastRpcId: id },
  });
}

export const coveAdapter: VendorAdapter = {
  vendor: 'cove',
  displayName: 'N-able Cove',
  authKinds: ['password'],
  // API users (Management > Users > API Users) log in with the one-time token shown at creation as the password.
  secretLabel: () => 'password',

  /** Cove's own rules; types, `auth` and `lifetimeSeconds` are the common validation's. */
  validate(conn: ConnectionConfig): string[] {
    const problems: string[] = [];
    if (!conn.partner?.trim()) problems.push('partner (the customer name exactly as the Cove console shows it) is required');
    if (!conn.username?.trim()) problems.push('username is required');
    return problems;
  },

  login(conn: ConnectionConfig, creds: Credentials, ctx: AdapterContext): Promise<Session> {
    // A server that echoes the password must not put it into the error.
    return withSecretsScrubbed(creds.secret, conn.username, () => loginOnce(conn, creds, ctx));
  },

  // No logout: Cove documents no Logout method; forgetting the visa locally is the logout.

  async request(conn: ConnectionConfig, session: Session, req: ExploreRequest, ctx: AdapterContext): Promise<CallResult> {
    const res = await send(ctx, coveAdapter.wire(conn, session, req));
    const id = nextId(session);
    const what = `the call ${req.method}`;
    const answer = readAnswer(res, what);
    // JSON-RPC errors come back as a response, except two that have a typed meaning: a visa no longer accepted
    // (1701 → expired, so the session manager logs in again) and a call the role may not make (13501 → forbidden).
    const code = answer.error ? coveCode(answer.error) : null;
    if (answer.error && (code === COVE_CODES.badVisa || code === COVE_CODES.security)) throw errorFor(answer.error, what, res.status);

    let next: Session = { ...session, vendorState: { ...session.vendorState, lastRpcId: id } };
    if (answer.visa) {
      // A new link in the chain: the history records the call, its time, the new visa and the one it replaced;
      // the expiry slides to now + window.
      next = replaceToken(next, { token: answer.visa, now: ctx.clock(), method: req.method, event: 'call' });
    }
    // Without a new visa (error answers) the current visa keeps its own expiry: nothing slides.
    return { response: toApiResponse(res, answer.body), session: next };
  },

  /** JSON-RPC with the newest visa at the top level and the session's next request id. */
  wire(conn: ConnectionConfig, session: Session, req: ExploreRequest): WireRequest {
    if (req.kind !== 'rpc') {
      throw new AuthError('config', 'Cove is a JSON-RPC API: send a method name and params, not a REST path');
    }
    if (!req.method.trim()) throw new AuthError('config', 'a JSON-RPC method name is required');
    return {
      method: 'POST',
      url: conn.baseUrl,
      headers: { ...JSON_HEADERS },
      data: JSON.stringify({ jsonrpc: '2.0', id: nextId(session), visa: session.token, method: req.method, params: req.params ?? {} }),
    };
  },

  // JSON-RPC: method names. Login would start a second visa chain; Logout is undocumented but refused all the same.
  authPaths: () => ['Login', 'Logout'],

  sampleRequests: [
    // `{partnerId}` and `{partner}` are filled in from the login answer and the connection (fillSample).
    { kind: 'rpc', method: 'EnumeratePartners', params: { parentPartnerId: '{partnerId}', fetchRecursively: false, fields: [0, 1, 3, 4, 5, 8] } },
    { kind: 'rpc', method: 'GetPartnerInfo', params: { name: '{partner}' } },
    {
      kind: 'rpc',
      method: 'EnumerateAccountStatistics',
      params: { query: { PartnerId: '{partnerId}', StartRecordNumber: 0, RecordsCount: 50, Columns: ['I1', 'I8', 'I14', 'I78', 'TL'] } },
    },
    { kind: 'rpc', method: 'EnumerateUsers', params: { partnerIds: ['{partnerId}'] } },
    { kind: 'rpc', method: 'EnumerateColumns', params: {} },
  ],
};

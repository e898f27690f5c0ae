// Shared by the datarhei tests: the test clock, the real server's captured bodies, a raw HTTP exchange, and the
// mock set-ups of the wire-format and adapter tests.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { decodeJwt } from '../../src/core/jwt';
import type { ConnectionConfig, Session } from '../../src/core/types';
import { datarheiAdapter as adapter } from '../../src/vendors/datarhei';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { setDatarheiAuth0, setDatarheiOptions } from '../mock-vendors/datarhei';
import { ctxFor, testClock, useMockVendors } from './helpers';

export const A = ACCOUNTS.datarhei;
/**
 * The time of the mock servers and of the client (token times, expiry, Auth0 tokens the tests mint): it moves only
 * when a test moves it. Real time matters only for the deliberate bad-login delay.
 */
export const clock = testClock();

// The real server's bodies, as captured (Go's encoder ends each with a newline).
export const ABOUT_SHORT_TRANSCRIPT = '{"app":"datarhei-core","auths":["localjwt"],"version":{"number":"16.0.0"}}\n';
/** The demo tenant's entry in `auths`, as Core writes a tenant: "auth0 domain=… audience=… clientid=…". */
export const AUTH0_ENTRY = `auth0 domain=${ACCOUNTS.datarhei.auth0.domain} audience=${ACCOUNTS.datarhei.auth0.audience} clientid=${ACCOUNTS.datarhei.auth0.clientId}`;
export const ABOUT_SHORT_WITH_AUTH0 = `{"app":"datarhei-core","auths":["localjwt","${AUTH0_ENTRY}"],"version":{"number":"16.0.0"}}\n`;
export const INVALID_JWT = '{"code":401,"message":"Unauthorized","details":["Missing or invalid JWT token"]}\n';
export const BAD_CREDENTIALS = '{"code":401,"message":"Unauthorized","details":["Invalid authorization credentials: invalid username or password"]}\n';
export const MISSING_CREDENTIALS = '{"code":400,"message":"Bad Request","details":["Missing authorization credentials"]}\n';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface RawAnswer {
  status: number;
  statusMessage: string;
  headerNames: string[];
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

/** One plain HTTP exchange, so that status line, header order and body bytes can be compared. */
export function raw(url: string, method: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, headers: { ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? '',
            headerNames: res.rawHeaders.filter((_, i) => i % 2 === 0),
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: Date.now() - t0,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function claimsOf(token: string): Record<string, unknown> {
  const d = decodeJwt(token);
  assert.ok(d, 'a JWT');
  return d.claims;
}

export const DELAY_MS = 100;

/** The wire-format tests' mock: a 100 ms bad-login delay, Auth0 switched back on after each test. */
export function useWireMock() {
  const mock = useMockVendors({ lifetimes: { datarheiAccessSec: 600, datarheiRefreshSec: 86400, datarheiBadLoginDelayMs: DELAY_MS }, clock });
  /** How many answers the mock has held back for the deliberate delay. */
  const delayed = () => mock().env.stats.get('datarhei.delayed');
  const url = (p: string) => `${mock().baseUrl('datarhei')}${p}`;
  const loginRaw = (body: string, contentType = 'application/json') => raw(url('/api/login'), 'POST', { 'Content-Type': contentType }, body);
  const goodLogin = async (): Promise<{ access_token: string; refresh_token: string }> => {
    const r = await loginRaw(JSON.stringify({ username: A.username, password: A.password }));
    assert.equal(r.status, 200);
    return JSON.parse(r.body) as { access_token: string; refresh_token: string };
  };
  afterEach(() => setDatarheiAuth0(mock().env, true));
  return { mock, delayed, url, loginRaw, goodLogin };
}

/** The adapter tests' mock: lifetimes of 3 s and 8 s, the mock's options reset after each test. */
export function useAdapterMock() {
  const mock = useMockVendors({ lifetimes: { datarheiAccessSec: 3, datarheiRefreshSec: 8, datarheiBadLoginDelayMs: 50 }, clock });
  const conn = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    id: 'dr-test',
    label: 'datarhei test',
    vendor: 'datarhei',
    baseUrl: mock().baseUrl('datarhei'),
    username: A.username,
    ...over,
  });
  const login = (over: Partial<ConnectionConfig> = {}, secret: string = A.password): Promise<Session> => {
    const c = conn(over);
    return adapter.login(c, { secret }, ctxFor(c, clock));
  };
  afterEach(() => setDatarheiOptions(mock().env, { auth0: true, echoSecret: false }));
  return { mock, conn, login };
}

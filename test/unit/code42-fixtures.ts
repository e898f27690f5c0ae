// Shared by the Code42 tests: the test clock, TOTP codes, a raw GET, and the mock set-up with a 2 s token lifetime.
import * as http from 'node:http';
import type { ConnectionConfig, Credentials, Session } from '../../src/core/types';
import { code42Adapter as adapter } from '../../src/vendors/code42';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { setCode42Options, totpOf } from '../mock-vendors/code42';
import { ctxFor, testClock, useMockVendors } from './helpers';

export const U = ACCOUNTS.code42;
export const TOKEN_SEC = 2;
/** The time of the mock server and of the client: it moves only when a test moves it. */
export const clock = testClock();

export function totpCode(at = clock()): string {
  return totpOf(U.mfa.totpSecret).generate({ timestamp: at });
}

/** A 6-digit code that is none of the codes accepted now (window ±1). */
export function wrongCode(): string {
  const valid = new Set([-30_000, 0, 30_000].map((d) => totpCode(clock() + d)));
  for (let n = 0; ; n++) {
    const c = String(n).padStart(6, '0');
    if (!valid.has(c)) return c;
  }
}

export function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') }));
      })
      .on('error', reject);
  });
}

export const basic = (user: string, pass: string): string => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

/** The Code42 mock and a connection to it; the mock's options are reset after each test. */
export function useCode42() {
  const mock = useMockVendors({ lifetimes: { code42TokenSec: TOKEN_SEC, datarheiBadLoginDelayMs: 50 }, clock });
  const conn = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    id: 'c42-test',
    label: 'Code42 test',
    vendor: 'code42',
    baseUrl: mock().baseUrl('code42'),
    username: U.username,
    ...over,
  });
  const login = (over: Partial<ConnectionConfig> = {}, creds: Credentials = { secret: U.password }): Promise<Session> => {
    const c = conn(over);
    return adapter.login(c, creds, ctxFor(c, clock));
  };
  const get = (c: ConnectionConfig, s: Session, path: string) => adapter.request(c, s, { kind: 'rest', method: 'GET', path }, ctxFor(c, clock));
  afterEach(() => setCode42Options(mock().env, { tokenExp: true, echoCredentials: false }));
  return { mock, conn, login, get };
}

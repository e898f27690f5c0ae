// Shared by the Commvault adapter tests: the account, an AuthError catcher, and the loopback mock on a test clock.
import * as assert from 'node:assert/strict';
import { AuthError } from '../../src/core/errors';
import type { AdapterContext } from '../../src/core/http';
import type { ConnectionConfig, Session } from '../../src/core/types';
import { commvaultAdapter as cv } from '../../src/vendors/commvault';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { commvaultRecord } from '../mock-vendors/commvault';
import { ctxFor, testClock, useMockVendors } from './helpers';

export const A = ACCOUNTS.commvault;
export const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** Runs `fn` and returns the AuthError it must throw. */
export async function authError(fn: () => Promise<unknown>): Promise<AuthError> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof AuthError, `expected an AuthError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an AuthError, but the call succeeded');
}

/** The mock with a 2 s idle window, connections to it, and a login; the mock's switches are reset after each test. */
export function useCommvault() {
  // The server and the client share a clock that moves only when a test moves it.
  const clock = testClock();
  const mock = useMockVendors({ lifetimes: { commvaultIdleSec: 2 }, clock });
  const rec = () => commvaultRecord(mock().env);
  let n = 0;

  const conn = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    id: `cv-${++n}`,
    vendor: 'commvault',
    baseUrl: mock().baseUrl('commvault'),
    username: A.username,
    timeoutMs: 5000,
    ...over,
  });

  afterEach(() => {
    rec().forcePasswordChange = false;
    rec().tokenLineBreaks = false;
    rec().echoPassword = false;
  });

  async function loginAdmin(c: ConnectionConfig = conn(), ctx: AdapterContext = ctxFor(c, clock)): Promise<Session> {
    return cv.login(c, { secret: A.password }, ctx);
  }

  async function whoAmI(c: ConnectionConfig, s: Session) {
    return cv.request(c, s, { kind: 'rest', method: 'POST', path: '/WhoAmI' }, ctxFor(c, clock));
  }
  return { clock, mock, rec, conn, loginAdmin, whoAmI };
}

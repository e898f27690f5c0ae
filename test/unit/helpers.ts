// Shared test setup: the loopback vendor servers with short lifetimes, a clock the tests move by hand, and an
// adapter context.
import * as assert from 'node:assert/strict';
import { type AuthError, type AuthErrorKind, isAuthError } from '../../src/core/errors';
import { createHttpClient, type AdapterContext } from '../../src/core/http';
import type { ConnectionConfig } from '../../src/core/types';
import { startMockVendors, type MockVendors, type MockVendorsOptions } from '../mock-vendors/server';

/** Lifetimes of a second or two, for the renewal-policy suites (which move a {@link testClock} past them). */
export const RENEWAL_LIFETIMES = {
  coveVisaSec: 1,
  commvaultIdleSec: 1,
  code42TokenSec: 2,
  // JWT times have whole-second precision: 2 s keeps a fresh token from looking expired at once.
  datarheiAccessSec: 2,
  datarheiRefreshSec: 4,
  ipcortexIdleSec: 1,
};

/**
 * A clock that stands still until the test moves it. Give the same one to the mock servers
 * (`useMockVendors({ clock })`) and to the client (`new SessionManager({ clock })`, `ctxFor(conn, clock)`), and
 * "wait until the token has expired" becomes `clock.advance(ms)`: both sides see the time pass at once.
 */
export interface TestClock {
  /** The current time, ms since the epoch. */
  (): number;
  /** Moves the time forward by `ms` (≥ 0); returns the new time. */
  advance(ms: number): number;
  /** Moves the time forward to the next whole second (JWT `iat`/`exp` are whole seconds); returns the new time. */
  toNextSecond(): number;
}

/**
 * Where a {@link testClock} starts by default: a whole second, years away from the real time, so that a
 * `Date.now()` left anywhere on the path under test shows up as a failure rather than passing by luck.
 */
export const CLOCK_START = Date.UTC(2031, 0, 15, 9, 30, 0);

export function testClock(start: number = CLOCK_START): TestClock {
  let now = start;
  const clock = (() => now) as TestClock;
  clock.advance = (ms) => {
    if (!(ms >= 0)) throw new Error(`a test clock only moves forward, not by ${ms} ms`);
    now += ms;
    return now;
  };
  clock.toNextSecond = () => (now = (Math.floor(now / 1000) + 1) * 1000);
  return clock;
}

/** Starts the mock servers before the suite and closes them after. Tests read `mock()` inside `it`. */
export function useMockVendors(opts: MockVendorsOptions = {}): () => MockVendors {
  let mock: MockVendors | undefined;
  before(async () => {
    mock = await startMockVendors({ ...opts, lifetimes: { datarheiBadLoginDelayMs: 50, ...opts.lifetimes } });
  });
  afterEach(() => mock?.clearFaults());
  after(async () => {
    await mock?.close();
  });
  return () => {
    if (!mock) throw new Error('mock vendors not started');
    return mock;
  };
}

export function ctxFor(conn: ConnectionConfig, clock: () => number = Date.now): AdapterContext {
  return { http: createHttpClient(conn), clock };
}

/** Awaits a promise that must fail with an AuthError (of `kind`, when given) and returns the error. */
export async function rejects(p: Promise<unknown>, kind?: AuthErrorKind): Promise<AuthError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isAuthError(e), `expected an AuthError, got ${String(e)}`);
    if (kind) assert.equal(e.kind, kind, `kind (message: ${e.message})`);
    return e;
  }
  assert.fail(kind ? `expected an AuthError of kind ${kind}` : 'expected the call to fail');
}

/** The mock's transport faults, the error kind each must become, and what its message says. */
export const TRANSPORT_FAULTS = [
  ['status500', 'server', /HTTP 500/],
  ['html', 'protocol', /HTML page/],
  ['notJson', 'protocol', /not JSON/],
  ['drop', 'network', /dropped/],
] as const;

/** Puts the mock server's clock (not the client's) `ms` ahead; returns the undo. */
export function shiftMockClock(mock: MockVendors, ms: number): () => void {
  const before = mock.env.clock;
  mock.env.clock = () => before() + ms;
  return () => {
    mock.env.clock = before;
  };
}

// Shared types of the loopback vendor servers.
import type { IncomingHttpHeaders } from 'node:http';

export interface MockRequest {
  method: string;
  /** Path after the vendor prefix, e.g. `/api/login` for `/datarhei/api/login`. No query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body's bytes as received (`body` is their UTF-8 reading): for routes that take files. */
  bytes?: Buffer;
}

export interface MockReply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /**
   * false: no `Connection: keep-alive` / `Keep-Alive` header, as Go's server sends none (the connection stays open
   * all the same). Default: Node's headers.
   */
  connectionHeader?: false;
  /** Wait this long before answering (datarhei's deliberate 5 s on a bad login). */
  delayMs?: number;
}

export type VendorHandler = (req: MockRequest) => Promise<MockReply> | MockReply;

/** Lifetimes in seconds. Tests use a few seconds; the demo uses the real values (the defaults). */
export interface Lifetimes {
  coveVisaSec: number;
  commvaultIdleSec: number;
  code42TokenSec: number;
  datarheiAccessSec: number;
  datarheiRefreshSec: number;
  /** datarhei's deliberate delay before answering a bad login (real server: 5000 ms). */
  datarheiBadLoginDelayMs: number;
  /** 0 = sessions never expire (the protocol does not document one). */
  ipcortexIdleSec: number;
}

export const REAL_LIFETIMES: Lifetimes = {
  coveVisaSec: 15 * 60,
  commvaultIdleSec: 30 * 60,
  code42TokenSec: 30 * 60,
  datarheiAccessSec: 600,
  datarheiRefreshSec: 86400,
  datarheiBadLoginDelayMs: 5000,
  ipcortexIdleSec: 0,
};

export interface MockStats {
  /** Counters such as `datarhei.login`, `datarhei.refresh`, `commvault.renew`, `cove.Login`. */
  counts: Record<string, number>;
  inc(name: string): void;
  get(name: string): number;
  reset(): void;
}

export interface MockEnv {
  /**
   * The servers' time, ms since the epoch: every issue, expiry and idle check (visas, tokens, JWT iat/exp, idle
   * windows, TOTP codes) reads it. Date.now unless `startMockVendors({ clock })` says otherwise; tests give the
   * servers the client's test clock, or replace this to put the servers alone ahead.
   */
  clock: () => number;
  lifetimes: Lifetimes;
  stats: MockStats;
}

export type Fault =
  | { kind: 'delay'; ms: number }
  | { kind: 'status500' }
  | { kind: 'html' }
  | { kind: 'drop' }
  | { kind: 'notJson' }
  /**
   * A hostile or odd server: this exact answer (e.g. an error message or a text body full of escape sequences). With
   * `path`, only requests to that path (after the vendor prefix) get it, so a login can pass and a later call not.
   */
  | { kind: 'reply'; status: number; contentType: string; body: string; path?: string };

export interface FaultRule {
  fault: Fault;
  /** How many requests it applies to; undefined = until cleared. */
  times?: number;
}

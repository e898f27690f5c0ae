// Clock skew between this computer and a server, measured from the server's `Date` header. Server-issued absolute
// times (JWT exp / iat, a refresh token's exp) are in the server's clock; a client clock ahead of it made a fresh
// token read "expired". The session keeps those times converted to this computer's clock (see withServerClock in
// session.ts), so every "now" of the expiry maths, the countdowns and the keep-alive timers stays local.
import { formatDuration } from './time';

/**
 * Below this difference the clocks count as in step: `Date` has a resolution of one second and the request takes
 * its round trip, so smaller differences are noise, and a minute is far below any token lifetime we see.
 */
export const CLOCK_SKEW_THRESHOLD_MS = 60_000;

/** One reading: the server's `Date` (ms) and this computer's clock at the middle of the exchange (ms). */
export interface ServerDateReading {
  serverMs: number;
  localMs: number;
}

/**
 * The server's clock minus this computer's, from one reading; 0 when the two are within the threshold (no
 * correction, no warning). `Date` is cut to whole seconds, so the result is up to a second short (and off by up to
 * half the round trip): well within what a countdown needs.
 */
export function skewOf(r: ServerDateReading): number {
  const offset = Math.round(r.serverMs - r.localMs);
  return Math.abs(offset) > CLOCK_SKEW_THRESHOLD_MS ? offset : 0;
}

/** ms since the epoch of an HTTP `Date` header (IMF-fixdate and the obsolete forms Date.parse reads); else null. */
export function parseHttpDate(value: string | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** "7 min behind" / "1 h 5 min ahead of" — the phrase for a non-zero offset (server − local). */
function skewPhrase(offsetMs: number): string {
  // Whole seconds at most: the reading is no more precise than that.
  const amount = formatDuration(Math.round(Math.abs(offsetMs) / 1000) * 1000);
  return offsetMs < 0 ? `${amount} behind` : `${amount} ahead of`;
}

/**
 * The warning, in plain words: "the clock of HOST is 7 min behind this computer's; times left are computed from the
 * server's clock". `serverTimes`: whether the session holds times the server issued (a JWT exp / iat); a lifetime
 * counted on this computer from the login (Commvault's idle window, Code42 without exp) is not affected, and the
 * warning says so instead.
 */
export function clockSkewText(baseUrl: string, offsetMs: number, serverTimes: boolean): string {
  let host = baseUrl;
  try {
    host = new URL(baseUrl).host;
  } catch {
    // a baseUrl that is not a URL cannot have logged in; keep it as given
  }
  const tail = serverTimes
    ? "times left are computed from the server's clock"
    : "this session's lifetime is counted on this computer from the login, so it is not affected";
  return `the clock of ${host} is ${skewPhrase(offsetMs)} this computer's; ${tail}`;
}

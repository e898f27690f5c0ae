// JWT decoding (jwt-decode, as DEVELOPERS.md asks) and the plain-language description of claims shared by the CLI,
// the tree and the view model. The webview page does not import this file (it would bundle jwt-decode): it gets
// claims already described.
import { jwtDecode } from 'jwt-decode';
import { describeTime, formatDuration, formatInstant, isDateMs, MAX_DATE_MS, relative } from './time';
import type { DecodedJwt } from './types';
import { isFiniteNumber } from './util';

/** Decodes header and payload; null when the string is not a JWT. Does not verify the signature. */
export function decodeJwt(token: string): DecodedJwt | null {
  const t = token.trim();
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(t)) return null;
  try {
    const header = jwtDecode<Record<string, unknown>>(t, { header: true });
    const claims = jwtDecode<Record<string, unknown>>(t);
    if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) return null;
    return { header, claims };
  } catch {
    return null;
  }
}

/** `exp` in ms since epoch when it is a usable date ({@link timeClaim}), else null: the expiry is then unknown. */
export function expiryOf(jwt: DecodedJwt | null): number | null {
  return jwt ? timeClaim('exp', jwt.claims.exp).ms : null;
}

/** A time claim's ms since epoch when it is a usable date ({@link timeClaim}), else null. */
export function claimTimeMs(claims: Record<string, unknown> | undefined, name: string): number | null {
  return claims && name in claims ? timeClaim(name, claims[name]).ms : null;
}

/** Seconds beyond which a time claim must be milliseconds: 1e11 s is in the year 5138, 1e11 ms in 1973. */
export const MILLISECONDS_ABOVE = 1e11;

/** What a claim's value means as a time or a lifetime: ms when usable, else why not (shown to the user). */
export interface ClaimReading {
  ms: number | null;
  note: string | null;
}

/**
 * A time claim (exp, nbf, iat …) read by ONE rule: it is a date only if it is a JSON number (RFC 7519 NumericDate,
 * seconds since the epoch) at most {@link MILLISECONDS_ABOVE} whose time a Date can hold (±8.64e15 ms). Anything else
 * is shown with a note and never used as a time, so never for expiry either (for `exp` the note says so):
 * - a numeric string ("1700000000"): servers that send one break the RFC, and guessing would hide that;
 * - a number above 1e11: milliseconds by mistake; the note shows the date it would be in milliseconds;
 * - any other number no Date can hold (1e300, -1e20), a non-numeric string, null, an object: "not a date (VALUE)".
 */
export function timeClaim(name: string, value: unknown): ClaimReading {
  const unused = name === 'exp' ? '; not used for expiry' : '';
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    return { ms: null, note: `a string, not a number (RFC 7519 NumericDate)${unused}` };
  }
  if (!isFiniteNumber(value)) return { ms: null, note: `not a date (${shown(value)})${unused}` };
  if (value > MILLISECONDS_ABOVE && isDateMs(value)) return { ms: null, note: `looks like milliseconds (would be ${formatInstant(value)})${unused}` };
  const ms = value * 1000;
  return isDateMs(ms) ? { ms, note: null } : { ms: null, note: `not a date (${shown(value)})${unused}` };
}

/** datarhei's `exi`: a lifetime only if it is a number of seconds, not negative, that fits the Date range. */
export function lifetimeClaim(name: string, value: unknown): ClaimReading {
  if (!isFiniteNumber(value)) return { ms: null, note: `${name} ${shown(value)} is not a number of seconds; ignored` };
  if (value < 0) return { ms: null, note: `${name} ${value} is negative; ignored` };
  if (value * 1000 > MAX_DATE_MS) return { ms: null, note: `${name} ${value} is longer than any date range; ignored` };
  return { ms: value * 1000, note: null };
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** One claim (or header field) as every surface shows it: the raw value, its meaning, and its time or lifetime. */
export interface ClaimRow {
  name: string;
  /** The raw value as JSON text. */
  raw: string;
  /** What the claim means, in words; '' when unknown. */
  meaning: string;
  /** For time claims (exp/iat/nbf…): ms since epoch, so a view can render local/ISO/relative times live. */
  timeMs: number | null;
  /** For datarhei's exi: the lifetime in ms. */
  lifetimeMs: number | null;
  /** Why a time or lifetime claim is not used ("not a date (1e+300)", "looks like milliseconds …"); else null. */
  note: string | null;
}

/** A claim row with its times in words, relative to a given moment (CLI, tree). */
export interface DescribedClaim extends ClaimRow {
  /** Local time + ISO + relative for times, a duration for `exi`; null for other claims. */
  human: string | null;
}

const MEANINGS: Record<string, string> = {
  iss: 'Issuer — who created the token',
  sub: 'Subject — the user the token is for',
  aud: 'Audience — who the token is meant for',
  exp: 'Expires at — not accepted after this time',
  nbf: 'Not before — not accepted before this time',
  iat: 'Issued at — when the token was created',
  jti: 'Token id — unique id of this token',
  exi: 'Lifetime (datarhei) — total validity in seconds, fixed at issue; it does not count down',
  usefor: 'Use (datarhei) — "access" for API calls, "refresh" only for /api/login/refresh',
  scope: 'Scope — permissions granted',
  azp: 'Authorized party — the client the token was issued to',
  typ: 'Type',
  alg: 'Signing algorithm',
  kid: 'Key id — which key signed the token',
};

/** Claims holding a time in seconds since epoch. */
export const TIME_CLAIMS: ReadonlySet<string> = new Set(['exp', 'nbf', 'iat', 'auth_time', 'updated_at']);
/** datarhei's `exi`: the total lifetime in seconds, fixed at issue. */
export const LIFETIME_CLAIMS: ReadonlySet<string> = new Set(['exi']);

export function claimMeaning(name: string): string {
  return MEANINGS[name] ?? '';
}

/** Rows for every claim, in the token's order; `scrub` cleans each raw value (a claim could echo a secret). */
export function claimRows(values: Record<string, unknown>, scrub: (s: string) => string = (s) => s): ClaimRow[] {
  return Object.entries(values).map(([name, value]) => claimRow(name, value, scrub, 0));
}

/**
 * One claim's row; `offsetMs` is taken off its time. Built in one object literal, as {@link describeClaims} returns
 * it: copying rows with spreads cost more than the formatting (bench/results.md, "Decode").
 */
function claimRow(name: string, value: unknown, scrub: (s: string) => string, offsetMs: number): DescribedClaim {
  const time = TIME_CLAIMS.has(name) ? timeClaim(name, value) : null;
  const life = LIFETIME_CLAIMS.has(name) ? lifetimeClaim(name, value) : null;
  const note = time?.note ?? life?.note ?? null;
  const timeMs = time?.ms ?? null;
  return {
    name,
    raw: scrub(JSON.stringify(value) ?? String(value)),
    meaning: claimMeaning(name),
    timeMs: offsetMs && timeMs !== null ? timeMs - offsetMs : timeMs,
    lifetimeMs: life?.ms ?? null,
    note: note === null ? null : scrub(note),
    human: null,
  };
}

/**
 * {@link claimRows} with human times relative to `now`; an `nbf` still ahead says the token is not valid yet.
 * `serverClockOffsetMs` (the issuing server's clock minus this computer's) puts the times on this computer's clock.
 */
export function describeClaims(claims: Record<string, unknown>, now: number, serverClockOffsetMs = 0): DescribedClaim[] {
  const out: DescribedClaim[] = [];
  for (const name in claims) {
    if (!Object.prototype.hasOwnProperty.call(claims, name)) continue;
    const row = claimRow(name, claims[name], (s) => s, serverClockOffsetMs);
    row.human = humanOf(row, now);
    out.push(row);
  }
  return out;
}

function humanOf(r: ClaimRow, now: number): string | null {
  if (r.note !== null) return r.note;
  if (r.timeMs !== null) {
    if (r.name === 'nbf' && r.timeMs > now) return notValidYet(r.timeMs, now);
    return describeTime(r.timeMs, now);
  }
  return r.lifetimeMs !== null ? `${formatDuration(r.lifetimeMs)} total lifetime` : null;
}

/** "not valid yet (valid from 2026-11-23 18:10:28 · 2026-11-23T18:10:28.000Z, in 5 min)" for an `nbf` ahead of `now`. */
export function notValidYet(nbfMs: number, now: number): string {
  return `not valid yet (valid from ${formatInstant(nbfMs, 'local')} · ${formatInstant(nbfMs)}, ${relative(nbfMs, now)})`;
}

// JWT decoding (jwt-decode) and the plain-language description of claims shared by the CLI, the tree and the view
// model. The webview page does not import this file (it would bundle jwt-decode): it gets claims already described.
import { jwtDecode } from 'jwt-decode';
import { describeTime, formatDuration } from './time';
import type { DecodedJwt } from './types';
import { isFiniteNumber } from './util';

/** Decodes header and payload; null when the string is not a JWT. Does not verify the signature. */
export function decodeJwt(token: string): DecodedJwt | null {
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token.trim())) return null;
  try {
    const header = jwtDecode<Record<string, unknown>>(token.trim(), { header: true });
    const claims = jwtDecode<Record<string, unknown>>(token.trim());
    if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) return null;
    return { header, claims };
  } catch {
    return null;
  }
}

/** `exp` in ms since epoch, or null. */
export function expiryOf(jwt: DecodedJwt | null): number | null {
  const exp = jwt?.claims.exp;
  return isFiniteNumber(exp) ? exp * 1000 : null;
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
  return Object.entries(values).map(([name, value]) => ({
    name,
    raw: scrub(JSON.stringify(value) ?? String(value)),
    meaning: claimMeaning(name),
    timeMs: TIME_CLAIMS.has(name) && isFiniteNumber(value) ? value * 1000 : null,
    lifetimeMs: LIFETIME_CLAIMS.has(name) && isFiniteNumber(value) ? value * 1000 : null,
  }));
}

/** {@link claimRows} with human times relative to `now`. */
export function describeClaims(claims: Record<string, unknown>, now: number): DescribedClaim[] {
  return claimRows(claims).map((r) => ({
    ...r,
    human: r.timeMs !== null ? describeTime(r.timeMs, now) : r.lifetimeMs !== null ? `${formatDuration(r.lifetimeMs)} total lifetime` : null,
  }));
}

// JWT decoding (jwt-decode) and the plain-language description of claims shared by CLI, tree and webview.
import { jwtDecode } from 'jwt-decode';
import type { DecodedJwt } from './types';

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
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
}

export interface ClaimRow {
  name: string;
  /** The raw value as JSON text. */
  raw: string;
  /** What the claim means, in words. */
  meaning: string;
  /** Human rendering: local time + ISO + relative for times, a duration for `exi`. */
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

const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat', 'auth_time', 'updated_at']);

export function claimMeaning(name: string): string {
  return MEANINGS[name] ?? '';
}

/** Rows for every claim, in the token's order, with human times relative to `now`. */
export function describeClaims(claims: Record<string, unknown>, now: number): ClaimRow[] {
  return Object.entries(claims).map(([name, value]) => {
    let human: string | null = null;
    if (TIME_CLAIMS.has(name) && typeof value === 'number') {
      human = describeTime(value * 1000, now);
    } else if (name === 'exi' && typeof value === 'number') {
      human = `${formatDuration(value * 1000)} total lifetime`;
    }
    return { name, raw: JSON.stringify(value), meaning: claimMeaning(name), human };
  });
}

/** "2026-11-23 18:10:28 (local) · 2026-11-23T18:10:28.000Z · in 9 min 58 s" */
export function describeTime(ms: number, now: number): string {
  const d = new Date(ms);
  return `${formatLocal(d)} · ${d.toISOString()} · ${relative(ms, now)}`;
}

export function formatLocal(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function relative(ms: number, now: number): string {
  const diff = ms - now;
  if (Math.abs(diff) < 1000) return 'now';
  return diff > 0 ? `in ${formatDuration(diff)}` : `${formatDuration(-diff)} ago`;
}

/** 600000 → "10 min", 86400000 → "1 d", 61000 → "1 min 1 s". */
export function formatDuration(ms: number): string {
  let s = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s || parts.length === 0) parts.push(`${s} s`);
  return parts.slice(0, 2).join(' ');
}

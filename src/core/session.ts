// Session construction and expiry maths. Every function takes the time from its caller (a clock), so it is testable.
import { claimTimeMs, decodeJwt, expiryOf } from './jwt';
import { MIN_SECRET_LENGTH } from './redact';
import type { Attach, AuthKind, ExpiryReason, HistoryEntry, HistoryEvent, Session, VendorId } from './types';

export const MAX_HISTORY = 50;

export interface NewSession {
  connectionId: string;
  vendor: VendorId;
  authKind: AuthKind;
  token: string;
  attach: Attach;
  now: number;
  /** How the call that produced the token is named in the history. */
  method: string;
  /** Sliding idle window (Cove 15 min, Commvault 30 min); expiry = last use + window. */
  slidingWindowMs?: number | null;
  /** Fixed lifetime from issue when the token has no `exp`. */
  fixedLifetimeMs?: number | null;
  /** Credentials go with every request (Code42 Basic, IPCortex API key): nothing expires. */
  perRequest?: boolean;
  refreshToken?: string | null;
  user?: Session['user'];
  vendorState?: Record<string, string>;
  event?: HistoryEvent;
}

/**
 * Builds a session. Expiry precedence: the JWT `exp` claim; else a sliding window; else a fixed lifetime; else unknown.
 * An `exp` that is not a usable date (1e300, milliseconds, a string: see timeClaim in jwt.ts) counts as no `exp`, so
 * the login still succeeds with the vendor's assumed lifetime.
 */
export function createSession(p: NewSession): Session {
  const jwt = decodeJwt(p.token);
  const refreshJwt = p.refreshToken ? decodeJwt(p.refreshToken) : null;
  const { expiresAt, expiresBecause } = p.perRequest
    ? { expiresAt: null, expiresBecause: 'per-request' as const }
    : computeExpiry(p.now, jwt ? expiryOf(jwt) : null, p.slidingWindowMs ?? null, p.fixedLifetimeMs ?? null);
  const session: Session = {
    connectionId: p.connectionId,
    vendor: p.vendor,
    authKind: p.authKind,
    token: p.token,
    attach: p.attach,
    issuedAt: jwtIssuedAt(jwt) ?? p.now,
    expiresAt,
    expiresBecause,
    slidingWindowMs: p.slidingWindowMs ?? null,
    lastUsedAt: p.now,
    refreshToken: p.refreshToken ?? null,
    refreshExpiresAt: refreshJwt ? expiryOf(refreshJwt) : null,
    jwt,
    refreshJwt,
    history: [],
    user: p.user ?? null,
    vendorState: p.vendorState ?? {},
  };
  return pushHistory(session, {
    at: p.now,
    event: p.event ?? 'login',
    method: p.method,
    token: p.token,
    replaced: null,
    expiresAt,
  });
}

/** `iat` when it is a usable date (see timeClaim in jwt.ts); an `iat` of 1e17 or "123" falls back to the caller's now. */
function jwtIssuedAt(jwt: ReturnType<typeof decodeJwt>): number | null {
  return claimTimeMs(jwt?.claims, 'iat');
}

function computeExpiry(
  now: number,
  exp: number | null,
  sliding: number | null,
  fixed: number | null,
): { expiresAt: number | null; expiresBecause: ExpiryReason } {
  if (exp !== null) return { expiresAt: exp, expiresBecause: 'exp-claim' };
  if (sliding) return { expiresAt: now + sliding, expiresBecause: 'sliding-idle' };
  if (fixed) return { expiresAt: now + fixed, expiresBecause: 'fixed-lifetime' };
  return { expiresAt: null, expiresBecause: 'unknown' };
}

/** Appends to the bounded history (oldest dropped). Returns a new session object. */
export function pushHistory(session: Session, entry: HistoryEntry, max = MAX_HISTORY): Session {
  const history = [...session.history, entry];
  return { ...session, history: history.length > max ? history.slice(history.length - max) : history };
}

/** A successful call happened at `now`: a sliding window restarts from it. */
export function touch(session: Session, now: number): Session {
  const s = { ...session, lastUsedAt: now };
  if (s.expiresBecause === 'sliding-idle' && s.slidingWindowMs) s.expiresAt = now + s.slidingWindowMs;
  return s;
}

/**
 * The server handed out a new token (Cove: every response; datarhei: refresh; Commvault: renew).
 * Records it in the history with the one it replaced.
 */
export function replaceToken(
  session: Session,
  p: { token: string; now: number; method: string; event: HistoryEvent; attach?: Attach; refreshToken?: string | null },
): Session {
  const jwt = decodeJwt(p.token);
  // The new token's exp and iat are in the server's clock: converted with the offset the session was measured with.
  const offset = session.serverClockOffsetMs ?? 0;
  const exp = jwt ? expiryOf(jwt) : null;
  let s: Session = {
    ...session,
    token: p.token,
    attach: p.attach ?? { ...session.attach, value: attachValueFor(session.attach, session.token, p.token) },
    jwt,
    lastUsedAt: p.now,
  };
  if (p.refreshToken !== undefined) {
    s.refreshToken = p.refreshToken;
    s.refreshJwt = p.refreshToken ? decodeJwt(p.refreshToken) : null;
    s.refreshExpiresAt = s.refreshJwt ? localOf(expiryOf(s.refreshJwt), offset) : null;
  }
  if (exp !== null) {
    s.expiresAt = exp - offset;
    s.expiresBecause = 'exp-claim';
    s.issuedAt = localOf(jwtIssuedAt(jwt), offset) ?? p.now;
  } else if (s.slidingWindowMs) {
    s.expiresAt = p.now + s.slidingWindowMs;
    s.expiresBecause = 'sliding-idle';
  } else if (s.expiresBecause === 'fixed-lifetime' && s.expiresAt !== null) {
    // A new token without a usable exp lives as long as the one it replaces did, from now.
    s.expiresAt = p.now + (s.expiresAt - s.issuedAt);
    s.issuedAt = p.now;
  }
  s = pushHistory(s, { at: p.now, event: p.event, method: p.method, token: p.token, replaced: session.token, expiresAt: s.expiresAt });
  return s;
}

function localOf(serverMs: number | null, offset: number): number | null {
  return serverMs === null ? null : serverMs - offset;
}

/**
 * The session with its server-issued times (exp → `expiresAt`, iat → `issuedAt`, the refresh token's exp →
 * `refreshExpiresAt`, and the newest history entry's expiry) on this computer's clock, for a server whose clock is
 * `offsetMs` ahead of it (negative: behind). Idempotent: the times are re-based from the offset the session already
 * has, so a renewal measured again simply replaces it. Times counted on this computer (a sliding idle window, a
 * fixed lifetime from the login, the last use) are left alone: they never depended on the server's clock.
 */
export function withServerClock(session: Session, offsetMs: number): Session {
  const before = session.serverClockOffsetMs ?? 0;
  if (before === offsetMs) return session;
  const rebase = (local: number | null, serverMs: number | null): number | null =>
    local !== null && serverMs !== null && local === serverMs - before ? serverMs - offsetMs : local;
  const expiresAt = session.expiresBecause === 'exp-claim' ? rebase(session.expiresAt, expiryOf(session.jwt)) : session.expiresAt;
  const last = session.history[session.history.length - 1];
  const history =
    last && last.token === session.token && last.expiresAt === session.expiresAt ? [...session.history.slice(0, -1), { ...last, expiresAt }] : session.history;
  const s: Session = {
    ...session,
    expiresAt,
    issuedAt: rebase(session.issuedAt, jwtIssuedAt(session.jwt)) ?? session.issuedAt,
    refreshExpiresAt: rebase(session.refreshExpiresAt, session.refreshJwt ? expiryOf(session.refreshJwt) : null),
    history,
  };
  if (offsetMs === 0) delete s.serverClockOffsetMs;
  else s.serverClockOffsetMs = offsetMs;
  return s;
}

/** Whether the session holds a time the server issued (exp, a refresh token's exp): the ones clock skew moves. */
export function hasServerTimes(session: Pick<Session, 'expiresBecause' | 'refreshExpiresAt'>): boolean {
  return session.expiresBecause === 'exp-claim' || session.refreshExpiresAt !== null;
}

/** Keeps the attach value's shape (e.g. `Bearer <token>`, `QSDK …`) when the token inside changes. */
function attachValueFor(attach: Attach, oldToken: string, newToken: string): string {
  return attach.value.includes(oldToken) ? attach.value.split(oldToken).join(newToken) : newToken;
}

/** Milliseconds left, never negative; null when the expiry is unknown. */
export function timeLeftMs(session: Pick<Session, 'expiresAt'>, now: number): number | null {
  if (session.expiresAt === null) return null;
  return Math.max(0, session.expiresAt - now);
}

export function isExpired(session: Pick<Session, 'expiresAt'>, now: number): boolean {
  return session.expiresAt !== null && session.expiresAt <= now;
}

export function isRefreshUsable(session: Pick<Session, 'refreshToken' | 'refreshExpiresAt'>, now: number): boolean {
  return !!session.refreshToken && (session.refreshExpiresAt === null || session.refreshExpiresAt > now);
}

/** Every token the session holds or held (current, refresh, the history's): masked or scrubbed wherever shown. */
export function sessionSecrets(session: Session): string[] {
  const all = [session.token, session.refreshToken ?? '', ...session.history.flatMap((h) => [h.token, h.replaced ?? ''])];
  return [...new Set(all)].filter((t) => t.length >= MIN_SECRET_LENGTH);
}

export const EXPIRY_REASON_TEXT: Record<ExpiryReason, string> = {
  'exp-claim': 'the token’s exp claim',
  'sliding-idle': 'idle timeout, renewed by every call',
  'fixed-lifetime': 'fixed lifetime from issue',
  'per-request': 'credentials sent with every request; nothing expires',
  unknown: 'the server does not say',
};

// Maps a session to what the Token Details page shows (the protocol's TokenView). Pure: no `vscode`, no clock of its
// own. Nothing secret leaves here: tokens are masked, and every string taken from the session is scrubbed of the
// session's secrets as a last guard (a claim or an error text could, in theory, echo one back).
import { clockSkewText } from '../core/clockSkew';
import { type ClaimRow, claimRows, claimTimeMs } from '../core/jwt';
import { maskToken, scrubSecrets } from '../core/redact';
import { EXPIRY_REASON_TEXT, hasServerTimes, isExpired, sessionSecrets } from '../core/session';
import { type Attach, AUTH_KIND_TEXT, authOf, type ConnectionConfig, type DecodedJwt, type Session } from '../core/types';
import type { HistoryView, JwtView, SessionState, TokenView } from '../shared/protocol';

export interface TokenViewInput {
  conn: ConnectionConfig;
  /** The vendor's display name (its adapter's). */
  vendorName: string;
  session: Session | undefined;
  state: SessionState;
  /** One-sentence error when `state` is 'error'. */
  error: string | null;
  now: number;
}

export function buildTokenView(p: TokenViewInput): TokenView {
  const { conn, session } = p;
  const secrets = session ? sessionSecrets(session) : [];
  const scrub = (s: string): string => scrubSecrets(s, secrets);

  const authKind = session?.authKind ?? authOf(conn);
  const offset = session?.serverClockOffsetMs ?? 0;
  // A session past its expiry is shown as expired even if the caller has not noticed yet.
  const state: SessionState = p.state === 'loggedIn' && session && isExpired(session, p.now) ? 'expired' : p.state;

  return {
    connectionId: conn.id,
    label: conn.label || conn.id,
    vendor: conn.vendor,
    vendorName: p.vendorName,
    authKind,
    authText: AUTH_KIND_TEXT[authKind],
    state,
    error: p.error === null ? null : scrub(p.error),
    user: userOf(conn, session, scrub),
    token: session
      ? {
          masked: maskToken(session.token),
          length: session.token.length,
          attachDescription: describeAttach(session.attach),
          issuedAt: session.issuedAt,
          expiresAt: session.expiresAt,
          expiresBecause: session.expiresBecause,
          expiresBecauseText: EXPIRY_REASON_TEXT[session.expiresBecause],
          slidingWindowMs: session.slidingWindowMs,
          lastUsedAt: session.lastUsedAt,
          lifetimeMs: lifetimeOf(session),
          jwt: jwtView(session.jwt, scrub, offset),
          serverClockNote: offset
            ? `${capitalize(clockSkewText(conn.baseUrl, offset, hasServerTimes(session)))}; times here are on this computer's clock.`
            : null,
        }
      : null,
    refresh:
      session && session.refreshToken
        ? { masked: maskToken(session.refreshToken), expiresAt: session.refreshExpiresAt, jwt: jwtView(session.refreshJwt, scrub, offset) }
        : null,
    history: session ? historyView(session, scrub) : [],
  };
}

/** "header Authorization", "cookie Red60urne", "JSON-RPC field visa", "body auth.key" — never the value. */
export function describeAttach(attach: Attach): string {
  switch (attach.kind) {
    case 'header':
      return `header ${attach.name}`;
    case 'cookie':
      return `cookie ${attach.name}`;
    case 'jsonrpc':
      return `JSON-RPC field ${attach.name}`;
    case 'body':
      return `body ${attach.name}`;
  }
}

/** Total lifetime for the time-left bar: exp − iat for a JWT, the sliding window, a fixed lifetime, else null. */
export function lifetimeOf(session: Session): number | null {
  // Only claims that are usable dates: an iat of 1e17 or -1e20 would make a lifetime of millions of years.
  const exp = claimTimeMs(session.jwt?.claims, 'exp');
  const iat = claimTimeMs(session.jwt?.claims, 'iat');
  if (session.expiresBecause === 'exp-claim' && exp !== null && iat !== null && exp > iat) return exp - iat;
  if (session.expiresBecause === 'sliding-idle' && session.slidingWindowMs) return session.slidingWindowMs;
  if (session.expiresBecause === 'fixed-lifetime' && session.expiresAt !== null && session.expiresAt > session.issuedAt) {
    return session.expiresAt - session.issuedAt;
  }
  return null;
}

/**
 * The claims with their times on this computer's clock (`offsetMs`: the server's clock minus this computer's), as
 * the session's own times are: an `exp` issued by a server 7 min behind reads "in 10 min", not "in 3 min".
 */
function jwtView(jwt: DecodedJwt | null, scrub: (s: string) => string, offsetMs: number): JwtView | null {
  const local = (rows: ClaimRow[]): ClaimRow[] => (offsetMs ? rows.map((r) => (r.timeMs === null ? r : { ...r, timeMs: r.timeMs - offsetMs })) : rows);
  return jwt ? { header: claimRows(jwt.header, scrub), claims: local(claimRows(jwt.claims, scrub)) } : null;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Newest first. */
function historyView(session: Session, scrub: (s: string) => string): HistoryView[] {
  return session.history
    .map((h) => ({
      at: h.at,
      event: h.event,
      method: scrub(h.method),
      tokenMasked: maskToken(h.token),
      replacedMasked: h.replaced ? maskToken(h.replaced) : null,
      expiresAt: h.expiresAt,
    }))
    .reverse();
}

function userOf(conn: ConnectionConfig, session: Session | undefined, scrub: (s: string) => string): string | null {
  const u = session?.user;
  const name = u?.name ?? conn.username;
  const id = u?.id !== undefined && u.id !== null && String(u.id) !== name ? String(u.id) : undefined;
  if (name && id) return scrub(`${name} (${id})`);
  const one = name ?? id;
  return one ? scrub(one) : null;
}

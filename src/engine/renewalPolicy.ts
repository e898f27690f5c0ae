// The session manager's pure parts: how early a token is renewed, how a call's result folds into a session that
// others changed meanwhile, and the note that tells a caller which renewal its request caused or waited for.
import { MAX_HISTORY } from '../core/session';
import type { ConnectionConfig, RenewalNote, Session } from '../core/types';

/** Default lead for refreshing ahead of expiry (datarhei access tokens). */
export const DEFAULT_REFRESH_LEAD_SECONDS = 30;

/**
 * How long before expiry a refreshable token is renewed: the configured lead (default 30 s), capped at half the
 * token's lifetime. The lifetime runs from the start of the current window: the last use for a sliding idle
 * window, the issue for a token with a fixed end (`exp`), so that using a token does not shrink its lead.
 */
export function refreshLeadMs(conn: Pick<ConnectionConfig, 'refreshLeadSeconds'>, session: Session): number {
  const configured = (conn.refreshLeadSeconds ?? DEFAULT_REFRESH_LEAD_SECONDS) * 1000;
  if (session.expiresAt === null) return configured;
  const start = session.expiresBecause === 'sliding-idle' ? Math.max(session.lastUsedAt, session.issuedAt) : session.issuedAt;
  return Math.min(configured, Math.max(0, session.expiresAt - start) / 2);
}

/**
 * What one call did to the session it was sent with (`sent` → `result`), folded into the newest stored session
 * (`current`): with concurrent calls each result only knows its own starting point, so the history entries it added
 * are appended to the current chain and the newest token wins.
 */
export function mergeResult(current: Session | undefined, sent: Session, result: Session): Session {
  if (!current || current === sent) return result;
  const known = new Set(sent.history);
  const added = result.history.filter((e) => !known.has(e));
  if (added.length) return { ...result, history: [...current.history, ...added].slice(-MAX_HISTORY) };
  if (current.token === sent.token) return { ...current, lastUsedAt: result.lastUsedAt, expiresAt: result.expiresAt };
  return current; // a renewal replaced the token meanwhile; it is newer than what this call used
}

/**
 * The note for a renewal that produced `renewed`: its kind is the event of the session's newest history entry (a
 * refresh, a Commvault renew, a first login or a login again). Undefined when that entry is no renewal: a session that
 * only moved on by a call (a Cove visa taken from another caller's answer) was not renewed.
 */
export function renewalNote(renewed: Session, why: RenewalNote['why'], joined: boolean): RenewalNote | undefined {
  const event = renewed.history.at(-1)?.event;
  if (event !== 'refresh' && event !== 'renew' && event !== 'login' && event !== 'relogin') return undefined;
  return { how: event, why, joined };
}

// What the auth gateway tells about each request besides its answer: who sent it (a window's terminal or any other
// tool), the renewal it caused (for the log line and the Traffic view), and a throttled "this connection needs a
// person to log in" for the extension to offer Log In.
import type { Clock, RenewalNote } from '../core/types';
import type { TrafficSource } from './traffic';

/**
 * The header by which the CLI inside a window's terminal says so (`X-Api-Auth-Client: terminal`): its requests show
 * as `terminal` in the Traffic view. Never passed on to the vendor.
 */
export const CLIENT_HEADER = 'x-api-auth-client';

/** The Traffic view's source of a gateway request. */
export function sourceOf(headers: Record<string, string | string[] | undefined>): TrafficSource {
  const v = headers[CLIENT_HEADER];
  return (Array.isArray(v) ? v[0] : v)?.trim().toLowerCase() === 'terminal' ? 'terminal' : 'gateway';
}

const DONE: Record<RenewalNote['how'], string> = { refresh: 'refreshed', renew: 'renewed', login: 'logged in', relogin: 'logged in again' };

/** A renewal as the log line shows it: `refreshed: expired`, `logged in: no-session, joined`. */
export function renewalWords(note: RenewalNote): string {
  return `${DONE[note.how]}: ${note.why}${note.joined ? ', joined' : ''}`;
}

/** Error kinds of a 401 that only a person can fix: no stored secret, a two-factor code, a rejected password. */
export const LOGIN_NEEDED_KINDS: ReadonlySet<string> = new Set(['loginNeeded', 'twoFactorRequired', 'credentials']);

/** How often one connection's "log in needed" is told at most. */
export const LOGIN_NEEDED_INTERVAL_MS = 30_000;

/**
 * Calls `notify` for an answer that needs a person to log in, at most once per connection per `intervalMs`. Never
 * waits for it, and a failure of it (thrown or rejected) is swallowed: the answer to the client does not depend on it.
 */
export function loginNeededNotifier(
  notify: ((connectionId: string, kind: string) => unknown) | undefined,
  clock: Clock,
  intervalMs = LOGIN_NEEDED_INTERVAL_MS,
): (connectionId: string, status: number, kind: string | undefined) => void {
  const last = new Map<string, number>();
  return (connectionId, status, kind) => {
    if (!notify || status !== 401 || !kind || !LOGIN_NEEDED_KINDS.has(kind)) return;
    const now = clock();
    const before = last.get(connectionId);
    if (before !== undefined && now - before < intervalMs) return;
    last.set(connectionId, now);
    try {
      const r = notify(connectionId, kind);
      if (r instanceof Promise) r.catch(() => undefined);
    } catch {
      // the extension's prompt failed: nothing to tell the client
    }
  };
}

// The server's clock, per connection: measured from the `Date` of the answers to each login and renewal, applied to
// the session it produced (its server-issued times put on this computer's clock), and reported once per connection
// and server when it is more than a minute off. See src/core/clockSkew.ts for why, and withServerClock for how.
import { clockSkewText, skewOf } from '../core/clockSkew';
import type { AdapterContext } from '../core/http';
import { hasServerTimes, withServerClock } from '../core/session';
import type { ConnectionConfig, Session } from '../core/types';
import { ours, type Wording } from '../core/wording';

export interface ServerClockDeps {
  /**
   * The server's clock is more than a minute from this computer's (`text`: the warning in plain words, without the
   * connection name; `offsetMs`: server − local). Called once per connection and server in the manager's life (the
   * extension: per window; the CLI: per run), not at every renewal.
   */
  onClockSkew?(conn: ConnectionConfig, text: string, offsetMs: number): void;
  trace?(line: Wording): void;
}

/**
 * An adapter context that records the server's `Date` of each answer; `offset()`: server − local from the last one
 * (0 within a minute: see skewOf), undefined when no answer carried a `Date`.
 */
export function clockProbe(ctx: AdapterContext): { ctx: AdapterContext; offset(): number | undefined } {
  let last: number | undefined;
  return { ctx: { ...ctx, onServerDate: (r) => (last = skewOf(r)) }, offset: () => last };
}

export class ServerClocks {
  /** Connections (id and server) whose clock skew has been reported: once each, not at every renewal. */
  private readonly warned = new Set<string>();

  constructor(private readonly deps: ServerClockDeps) {}

  /**
   * The session with its server-issued times on this computer's clock, using the offset measured during its login or
   * renewal; none measured (a server that sends no `Date`): the offset the connection's session had. Warns the first
   * time a connection's server is more than a minute off.
   */
  apply(conn: ConnectionConfig, session: Session, measured: number | undefined, previous: Session | undefined): Session {
    const offset = measured ?? previous?.serverClockOffsetMs ?? session.serverClockOffsetMs ?? 0;
    const s = withServerClock(session, offset);
    const key = `${conn.id}\n${conn.baseUrl}`;
    if (offset !== 0 && !this.warned.has(key)) {
      this.warned.add(key);
      const text = clockSkewText(conn.baseUrl, offset, hasServerTimes(s));
      this.deps.trace?.(ours(`${conn.id}: ${text}`));
      this.deps.onClockSkew?.(conn, text, offset);
    }
    return s;
  }
}

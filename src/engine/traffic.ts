// What went through: the last requests per connection made through the gateway, Send Request and the CLI in a
// window's terminal. Bounded in memory (per connection and in connections), redacted by construction: an entry holds
// a method, a path without query values, a status and timings — never a header, a body or a token.
import type { RenewalNote } from '../core/types';

/** Who sent the request. `terminal`: the CLI inside a window's terminal, through that window's gateway. */
export type TrafficSource = 'gateway' | 'send' | 'terminal';

// Defined in core (a CallResult carries the note; core imports nothing from the engine), re-exported under the
// contract's names.
export type { RenewalNote, RenewalWhy } from '../core/types';

export interface TrafficEntry {
  /** ms since epoch, when the request arrived. */
  at: number;
  source: TrafficSource;
  method: string;
  /** The path as logged: no query values, no gateway key (see gatewayGuard.loggedTarget / core/origin.shownPath). */
  path: string;
  /** The vendor's status, or the gateway's own (403, 502…) when `error` is set; 0 when no answer came. */
  status: number;
  durationMs: number;
  renewal?: RenewalNote;
  /** The AuthError kind (or gateway refusal kind) when the request failed. */
  error?: string;
}

export const TRAFFIC_PER_CONNECTION = 50;
export const TRAFFIC_CONNECTIONS = 200;

/** A bounded, in-memory record of traffic, newest last per connection. */
export class TrafficLog {
  private readonly byConnection = new Map<string, TrafficEntry[]>();
  private readonly listeners = new Set<(connectionId: string) => void>();

  constructor(
    private readonly perConnection = TRAFFIC_PER_CONNECTION,
    private readonly connections = TRAFFIC_CONNECTIONS,
  ) {}

  add(connectionId: string, entry: TrafficEntry): void {
    let list = this.byConnection.get(connectionId);
    if (list) {
      this.byConnection.delete(connectionId); // re-inserted: the Map's order is least recently used first
    } else {
      list = [];
      if (this.byConnection.size >= this.connections) {
        const oldest = this.byConnection.keys().next().value;
        if (oldest !== undefined) this.byConnection.delete(oldest);
      }
    }
    list.push(entry);
    if (list.length > this.perConnection) list.splice(0, list.length - this.perConnection);
    this.byConnection.set(connectionId, list);
    for (const l of this.listeners) {
      try {
        l(connectionId);
      } catch {
        // a view's failure must not break recording
      }
    }
  }

  /** The entries of one connection, oldest first (a copy). */
  entries(connectionId: string): TrafficEntry[] {
    return [...(this.byConnection.get(connectionId) ?? [])];
  }

  /** Ids that have traffic. */
  connectionIds(): string[] {
    return [...this.byConnection.keys()];
  }

  clear(connectionId?: string): void {
    if (connectionId === undefined) this.byConnection.clear();
    else this.byConnection.delete(connectionId);
    for (const l of this.listeners) l(connectionId ?? '');
  }

  onDidAdd(listener: (connectionId: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

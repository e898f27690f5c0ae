// Optional keep-alive (`keepAlive: true` on a connection): renew in the background shortly before expiry while the
// window is open, so the countdown never reaches zero. One timer per connection at most; none without a session.
import * as vscode from 'vscode';
import { describeError } from '../core/errors';
import { DEFAULT_REFRESH_LEAD_SECONDS } from '../core/manager';
import type { ConnectionStore } from './connections';
import type { Log } from './log';
import type { SessionService } from './sessions';

const RETRY_MS = 30_000;

export class KeepAlive implements vscode.Disposable {
  private readonly timers = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly store: ConnectionStore,
    private readonly sessions: SessionService,
    private readonly log: Log,
  ) {
    this.disposables.push(
      sessions.onDidChange((id) => (id ? this.schedule(id) : this.scheduleAll())),
      store.onDidChange(() => this.scheduleAll()),
    );
  }

  /** Connection ids with a pending renewal (tests read this). */
  scheduled(): Map<string, number> {
    return new Map([...this.timers].map(([id, t]) => [id, t.at]));
  }

  private scheduleAll(): void {
    for (const id of this.timers.keys()) if (!this.store.get(id)) this.clear(id);
    for (const c of this.store.all()) this.schedule(c.id);
  }

  private schedule(id: string, retryAt?: number): void {
    const conn = this.store.get(id);
    const s = this.sessions.get(id);
    if (!conn?.keepAlive || !s || s.expiresAt === null) return this.clear(id);
    const now = Date.now();
    if (s.expiresAt <= now) return this.clear(id);
    // Lead: the configured lead, but never more than half the token's lifetime (short-lived test tokens).
    const lifetime = Math.max(1000, s.expiresAt - Math.max(s.lastUsedAt, s.issuedAt));
    const lead = Math.min((conn.refreshLeadSeconds ?? DEFAULT_REFRESH_LEAD_SECONDS) * 1000, lifetime / 2);
    const at = retryAt ?? s.expiresAt - lead;
    const existing = this.timers.get(id);
    if (existing && existing.at === at) return;
    this.clear(id);
    const timer = setTimeout(() => void this.fire(id), Math.max(0, at - now));
    this.timers.set(id, { at, timer });
  }

  private async fire(id: string): Promise<void> {
    this.timers.delete(id);
    const conn = this.store.get(id);
    if (!conn?.keepAlive || !this.sessions.get(id)) return;
    try {
      await this.sessions.manager.renew(conn);
      this.log.info('keepAlive', `renewed "${id}" ahead of expiry`);
    } catch (e) {
      // The still-valid session stays; try again later, until it expires.
      this.log.warn('keepAlive', describeError(e, conn));
      const s = this.sessions.get(id);
      if (s?.expiresAt && s.expiresAt > Date.now() + 1000) this.schedule(id, Math.min(Date.now() + RETRY_MS, s.expiresAt - 500));
    }
  }

  private clear(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t.timer);
    this.timers.delete(id);
  }

  dispose(): void {
    for (const id of [...this.timers.keys()]) this.clear(id);
    for (const d of this.disposables) d.dispose();
  }
}

// Optional keep-alive (`keepAlive: true` on a connection): renew in the background shortly before expiry while the
// window is open, so the countdown never reaches zero. One timer per connection at most; none without a session.
import * as vscode from 'vscode';
import { type AuthErrorKind, isAuthError } from '../core/errors';
import { refreshLeadMs } from '../engine/manager';
import type { ConnectionStore } from './connections';
import { Commands } from './constants';
import type { Log } from './log';
import type { SessionService } from './sessions';
import { Disposable } from '../core/lifecycle';
import { ours } from '../core/wording';

const RETRY_MS = 30_000;
/** Failures a retry cannot fix: the user has to act. */
const NEEDS_USER = new Set<AuthErrorKind>(['credentials', 'twoFactorRequired', 'locked', 'config']);

export class KeepAlive extends Disposable {
  private readonly timers = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();
  /** Per connection, the token whose renewal needs the user: no more background tries until the token changes. */
  private readonly gaveUp = new Map<string, string>();
  /** Per connection, a retry after a transient failure: kept while the token stays the same. */
  private readonly retries = new Map<string, { token: string; at: number }>();

  constructor(
    private readonly store: ConnectionStore,
    private readonly sessions: SessionService,
    private readonly log: Log,
  ) {
    super();
    this.register(
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

  private schedule(id: string): void {
    const conn = this.store.get(id);
    const s = this.sessions.get(id);
    if (!conn?.keepAlive || !s || s.expiresAt === null) {
      this.gaveUp.delete(id);
      this.retries.delete(id);
      return this.clear(id);
    }
    const now = Date.now();
    if (s.expiresAt <= now) return this.clear(id);
    if (this.gaveUp.get(id) === s.token) return this.clear(id);
    // Lead: the configured lead, but never more than half the token's lifetime (the manager's rule).
    const retry = this.retries.get(id);
    const at = retry?.token === s.token ? retry.at : s.expiresAt - refreshLeadMs(conn, s);
    // Already due while a renewal runs (the renewal's start is itself a change): its new session reschedules.
    if (at <= now && this.sessions.manager.isRenewing(id)) return;
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
      // Never a prompt from a background timer: a two-factor demand fails the renewal instead.
      await this.sessions.manager.renew(conn, { interactive: false });
      this.log.info('keepAlive', ours(`renewed "${id}" ahead of expiry`));
    } catch (e) {
      // The still-valid session stays. A transient failure is retried until the token expires; one that needs the
      // user (wrong password, two-factor code, settings) is said once, with the way forward.
      const message = this.log.describeError(e, conn);
      this.log.warn('keepAlive', ours(message));
      const s = this.sessions.get(id);
      if (isAuthError(e) && NEEDS_USER.has(e.kind)) {
        if (s) this.gaveUp.set(id, s.token);
        this.clear(id);
        void vscode.window.showWarningMessage(`Keep-alive stopped: ${message}`, 'Log In').then((choice) => {
          if (choice) void vscode.commands.executeCommand(Commands.login, id);
        });
      } else if (s?.expiresAt && s.expiresAt > Date.now() + 1000) {
        this.retries.set(id, { token: s.token, at: Math.min(Date.now() + RETRY_MS, s.expiresAt - 500) });
        this.schedule(id);
      }
    }
  }

  private clear(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t.timer);
    this.timers.delete(id);
  }

  override dispose(): void {
    for (const id of [...this.timers.keys()]) this.clear(id);
    super.dispose();
  }
}

// The extension's session service: the engine's SessionManager plus per-connection UI state, persistence of
// sessions in SecretStorage (restored after a reload, synced across windows) and the active connection.
import * as vscode from 'vscode';
import { connectionBinding } from '../engine/config';
import { AuthError, describeError, isAuthError } from '../core/errors';
import { SessionManager } from '../engine/manager';
import { isExpired, isRefreshUsable, pushHistory } from '../core/session';
import { authOf, type ConnectionConfig, type Session } from '../core/types';
import type { ConnectionStore } from './connections';
import type { Log } from './log';
import type { Vault } from './vault';
import { ADAPTERS } from '../vendors';
import { Disposable } from '../core/lifecycle';

export type UiState = { kind: 'loggingIn' } | { kind: 'error'; message: string; error: unknown };

export interface Prompts {
  /** Asks for the secret; undefined = cancelled. */
  secret(conn: ConnectionConfig, label: string): Promise<string | undefined>;
  /** After a successful login with a typed secret: store it in SecretStorage? (never asked for a rejected one) */
  offerToStore(conn: ConnectionConfig, label: string): Promise<boolean>;
  totp(conn: ConnectionConfig, attempt: number): Promise<string | undefined>;
}

const ACTIVE_KEY = 'authExplorer.activeConnection';

export class SessionService extends Disposable {
  readonly manager: SessionManager;
  private readonly ui = new Map<string, UiState>();
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** A connection's session or UI state changed (undefined: possibly all). */
  readonly onDidChange = this.changed.event;
  /** Secrets typed for one login but not stored: kept in memory for this window's re-logins only. */
  private readonly memorySecrets = new Map<string, string>();
  private restoring: Promise<void> | undefined;
  /** Connections whose session is being put in place from storage: that change is not written back. */
  private readonly syncing = new Set<string>();
  /** The binding (vendor, server, account) each in-memory session was made for: a changed entry drops it. */
  private readonly bindings = new Map<string, string>();
  /** One login per connection at a time: a second Login (tree button, palette) joins the running one. */
  private readonly logins = new Map<string, Promise<Session>>();
  /** What this window last wrote per connection: its own writes echo back through onDidChange and are ignored. */
  private readonly written = new Map<string, string | undefined>();

  constructor(
    private readonly store: ConnectionStore,
    private readonly vault: Vault,
    private readonly log: Log,
    private readonly memento: vscode.Memento,
    private readonly prompts: Prompts,
  ) {
    super();
    this.manager = new SessionManager({
      adapters: ADAPTERS,
      getSecret: (conn) => this.secretFor(conn),
      askTotp: (conn, attempt) => this.prompts.totp(conn, attempt),
      trace: (line) => this.log.trace('http', line),
    });
    this.register(
      this.changed,
      this.manager.onDidChange((id, session, madeFor) => {
        const current = this.store.get(id);
        if (session) {
          this.log.rememberToken(session.token);
          this.log.rememberToken(session.refreshToken ?? undefined);
          if (madeFor) this.bindings.set(id, connectionBinding(madeFor));
          else if (current && !this.bindings.has(id)) this.bindings.set(id, connectionBinding(current));
        } else {
          this.bindings.delete(id);
        }
        // A connection that left the settings keeps its stored session (an edit may bring it back); only
        // Remove Connection and Logout delete it. Unchanged sessions are not written again.
        // The session is stored for the settings it was made with (a login may finish after the baseUrl was edited).
        if (current && !this.syncing.has(id)) {
          const json = session ? JSON.stringify(session) : undefined;
          if (!this.written.has(id) || this.written.get(id) !== json) void this.persist(madeFor ?? current, session, json);
        }
        // Made for settings that have changed since: dropped at once (its token must not reach the new server).
        if (session && current && this.bindings.get(id) !== connectionBinding(current)) queueMicrotask(() => this.onConnectionsChanged());
        this.changed.fire(id);
      }),
      this.vault.onDidChange(({ connectionId, kind }) => {
        if (kind === 'session') void this.syncFromStorage(connectionId);
      }),
      this.store.onDidChange(() => this.onConnectionsChanged()),
    );
  }

  /** Restores stored sessions once (first use after activation); expired ones without a usable refresh are dropped. */
  restore(): Promise<void> {
    this.restoring ??= (async () => {
      await Promise.all(this.store.all().map((c) => this.syncFromStorage(c.id, { reload: true })));
    })();
    return this.restoring;
  }

  /**
   * Puts the stored session of a connection in place (after a reload, or when another window wrote it). A session
   * past its expiry with no usable refresh token is dropped; one stored for another server is never used.
   */
  private async syncFromStorage(id: string, opts: { reload?: boolean } = {}): Promise<void> {
    const conn = this.store.get(id);
    if (!conn) return;
    const stored = await this.vault.getSession(conn);
    const json = stored ? JSON.stringify(stored) : undefined;
    if (this.written.has(id) && this.written.get(id) === json) return; // our own write
    const now = this.manager.clock();
    this.syncing.add(id);
    try {
      if (!stored) {
        this.manager.forget(id);
      } else if (isExpired(stored, now) && !isRefreshUsable(stored, now)) {
        this.manager.forget(id);
        await this.vault.delete(id, 'session');
      } else if (JSON.stringify(this.manager.get(id)) !== json) {
        const restored = opts.reload
          ? pushHistory(stored, { at: now, event: 'restore', method: 'window reload', token: stored.token, replaced: null, expiresAt: stored.expiresAt })
          : stored;
        this.manager.set(restored);
        if (opts.reload) this.log.info('session', `restored the session of "${id}" from secret storage`);
      }
    } finally {
      this.syncing.delete(id);
    }
  }

  private async persist(conn: ConnectionConfig, session: Session | undefined, json: string | undefined): Promise<void> {
    try {
      this.written.set(conn.id, json);
      if (session) await this.vault.setSession(conn, session);
      else await this.vault.delete(conn.id, 'session');
    } catch (e) {
      this.log.warn('vault', `could not store the session of "${conn.id}": ${(e as Error).message}`);
    }
  }

  /**
   * The settings changed. A session whose connection left (or became invalid) is forgotten in memory only, so that
   * an edit that brings it back finds it in storage; a session whose server or account changed is dropped for good
   * (its token must not go to the new server).
   */
  private onConnectionsChanged(): void {
    const ids = new Set(this.store.all().map((c) => c.id));
    for (const s of this.manager.all()) {
      const conn = this.store.get(s.connectionId);
      if (!conn) {
        this.manager.forget(s.connectionId); // not persisted: the connection is gone from the settings
        this.written.delete(s.connectionId); // so that its stored session is picked up again if it comes back
      } else if (this.bindings.has(conn.id) && this.bindings.get(conn.id) !== connectionBinding(conn)) {
        this.log.info('session', `"${conn.id}" now points at another server or account: its session is dropped`);
        this.manager.forget(conn.id);
      }
    }
    for (const id of [...this.ui.keys()]) if (!ids.has(id)) this.ui.delete(id);
    // Connections that (re)appeared pick up their stored session, once the first restore has run.
    if (this.restoring) {
      for (const c of this.store.all()) if (!this.manager.get(c.id)) void this.syncFromStorage(c.id);
    }
    this.changed.fire(undefined);
  }

  get(id: string): Session | undefined {
    return this.manager.get(id);
  }

  uiState(id: string): UiState | undefined {
    return this.ui.get(id);
  }

  private setUi(id: string, state: UiState | undefined): void {
    if (state) this.ui.set(id, state);
    else this.ui.delete(id);
    this.changed.fire(id);
  }

  private async secretFor(conn: ConnectionConfig): Promise<string | undefined> {
    const secret = (await this.vault.getSecret(conn)) ?? this.memorySecrets.get(memoryKey(conn));
    this.log.remember(secret); // the log redacts it from here on, whatever echoes it
    return secret;
  }

  /**
   * Logs in, asking for the secret when none is stored (and offering to store it) and for a two-factor code
   * when the server wants one. Throws AuthError; `cancelled` when the user backed out.
   */
  login(conn: ConnectionConfig): Promise<Session> {
    const running = this.logins.get(conn.id);
    if (running) return running;
    const p = this.doLogin(conn).finally(() => this.logins.delete(conn.id));
    this.logins.set(conn.id, p);
    return p;
  }

  private async doLogin(conn: ConnectionConfig): Promise<Session> {
    await this.restore();
    this.setUi(conn.id, { kind: 'loggingIn' });
    try {
      const label = ADAPTERS[conn.vendor].secretLabel(authOf(conn));
      let secret = await this.secretFor(conn);
      let typed = false;
      if (secret === undefined) {
        secret = await this.prompts.secret(conn, label);
        if (secret === undefined) throw new AuthError('cancelled', 'login cancelled');
        this.log.remember(secret);
        typed = true;
      }
      this.log.info('session', `logging in to "${conn.id}" (${conn.vendor}, ${authOf(conn)})`);
      const session = await this.manager.login(conn, { secret });
      this.log.info('session', `logged in to "${conn.id}"; expires ${session.expiresAt ? new Date(session.expiresAt).toISOString() : 'never/unknown'}`);
      this.setUi(conn.id, undefined);
      this.setActiveIfNone(conn.id);
      if (typed) {
        // Kept in memory for this window's re-logins; stored only if the user says so.
        const value = secret;
        this.memorySecrets.set(memoryKey(conn), value);
        void this.prompts
          .offerToStore(conn, label)
          .then(async (yes) => {
            if (yes) await this.vault.setSecret(conn, value);
          })
          .catch((e: unknown) => this.log.warn('vault', `could not store the ${label} of "${conn.id}": ${(e as Error).message}`));
      }
      return session;
    } catch (e) {
      this.fail(conn, e);
      throw e;
    }
  }

  /** Refreshes (datarhei refresh token, Commvault renew) or logs in again with the stored secret. */
  async refresh(conn: ConnectionConfig): Promise<Session> {
    await this.restore();
    // Without a refresh that can work, renewing is a login: with no secret at hand, that is the login with prompts.
    if (!this.manager.get(conn.id) || (!this.manager.canRefresh(conn) && (await this.secretFor(conn)) === undefined)) return this.login(conn);
    this.setUi(conn.id, { kind: 'loggingIn' });
    try {
      const s = await this.manager.renew(conn);
      this.log.info('session', `renewed "${conn.id}" (${s.history[s.history.length - 1]?.event ?? 'renew'})`);
      this.setUi(conn.id, undefined);
      return s;
    } catch (e) {
      this.fail(conn, e);
      throw e;
    }
  }

  /** Calls the vendor's logout where it has one; the session (tokens) is removed from memory and storage either way. */
  async logout(conn: ConnectionConfig): Promise<void> {
    await this.restore();
    try {
      await this.manager.logout(conn);
    } catch (e) {
      this.log.warn('session', describeError(e, conn));
    } finally {
      this.manager.forget(conn.id);
      await this.vault.delete(conn.id, 'session');
      this.setUi(conn.id, undefined);
      this.log.info('session', `logged out of "${conn.id}"`);
    }
  }

  /** Forget the secret (stored and in memory). */
  async clearSecret(conn: ConnectionConfig): Promise<void> {
    this.forgetMemorySecrets(conn.id);
    await this.vault.delete(conn.id, 'secret');
    this.changed.fire(conn.id);
  }

  /** Removing a connection removes every key it had. */
  async removeAll(id: string): Promise<void> {
    this.forgetMemorySecrets(id);
    this.manager.forget(id);
    await this.vault.deleteAll(id);
    this.ui.delete(id);
    if (this.activeId() === id) await this.memento.update(ACTIVE_KEY, undefined);
    this.changed.fire(id);
  }

  private forgetMemorySecrets(id: string): void {
    for (const key of [...this.memorySecrets.keys()]) if (key.startsWith(`${id}\n`)) this.memorySecrets.delete(key);
  }

  private fail(conn: ConnectionConfig, e: unknown): void {
    if (isAuthError(e) && e.kind === 'cancelled') {
      this.setUi(conn.id, undefined);
      return;
    }
    const message = this.log.describeError(e, conn);
    this.log.error('session', message);
    this.setUi(conn.id, { kind: 'error', message, error: e });
  }

  activeId(): string | undefined {
    return this.memento.get<string>(ACTIVE_KEY);
  }

  async setActive(id: string): Promise<void> {
    await this.memento.update(ACTIVE_KEY, id);
    this.changed.fire(undefined);
  }

  private setActiveIfNone(id: string): void {
    const current = this.activeId();
    if (!current || !this.manager.get(current)) void this.setActive(id);
  }

  override dispose(): void {
    super.dispose();
  }
}

/** A typed secret is kept in memory for the connection's server and account only (as the vault binds stored ones). */
function memoryKey(conn: ConnectionConfig): string {
  return `${conn.id}\n${connectionBinding(conn)}`;
}

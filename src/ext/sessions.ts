// The extension's session service: the engine's SessionManager and SessionStore (sessions kept in secret storage,
// restored after a reload, synced across windows, bound to their settings) plus what only the UI needs: per-connection
// UI state, change events, the login prompts and the active connection.
import * as vscode from 'vscode';
import { AuthError, errorMessage, isAuthError } from '../core/errors';
import { SessionManager } from '../engine/manager';
import { SessionStore } from '../engine/sessionStore';
import { authOf, type ConnectionConfig, type Session } from '../core/types';
import type { ConnectionStore } from './connections';
import type { Log } from './log';
import type { Vault } from './vault';
import { ADAPTERS } from '../vendors';
import { Disposable, toDisposable } from '../core/lifecycle';
import { formatInstant } from '../core/time';
import { ours, outside, wording } from '../core/wording';

export type UiState = { kind: 'loggingIn' } | { kind: 'error'; message: string; error: unknown };

export interface Prompts {
  /** Asks for the secret; undefined = cancelled. */
  secret(conn: ConnectionConfig, label: string): Promise<string | undefined>;
  /** After a successful login with a typed secret: store it in SecretStorage? (never asked for a rejected one) */
  offerToStore(conn: ConnectionConfig, label: string): Promise<boolean>;
  totp(conn: ConnectionConfig, attempt: number): Promise<string | undefined>;
  /** Asks for the passphrase of the connection's client key (`again`: the last one was wrong); undefined = cancelled. */
  passphrase(conn: ConnectionConfig, again: boolean): Promise<string | undefined>;
}

const ACTIVE_KEY = 'authExplorer.activeConnection';

export class SessionService extends Disposable {
  readonly manager: SessionManager;
  /** Persistence, cross-window sync and settings binding of the sessions; the memory-only secrets. */
  private readonly storage: SessionStore;
  private readonly ui = new Map<string, UiState>();
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** A connection's session or UI state changed (undefined: possibly all). */
  readonly onDidChange = this.changed.event;
  /** One login per connection at a time: a second Login (tree button, palette) joins the running one. */
  private readonly logins = new Map<string, Promise<Session>>();
  /** A passphrase typed in the last dialogue, per connection: stored once it has unlocked the key. */
  private readonly typedPassphrases = new Map<string, string>();

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
      getPassphrase: (conn, reason) => this.passphraseFor(conn, reason),
      passphraseAccepted: (conn, passphrase) => this.passphraseAccepted(conn, passphrase),
      // VS Code's network patch (proxy settings, system certificates) applies only to Node's global agents.
      httpClientOptions: () => ({ ownAgents: false }),
      trace: (line) => this.log.trace('http', line),
      // Once per connection and server in this window (the manager does not repeat it at renewals).
      onClockSkew: (conn, text) => {
        this.log.warn('session', `"${conn.id}": ${text}`);
        void vscode.window.showWarningMessage(`${conn.label || conn.id}: ${text}.`);
      },
      onListenerError: (e) => this.log.error('session', wording`a session listener failed: ${outside(errorMessage(e))}`),
    });
    // Registered first, so disposed last: the engine's HTTP clients (keep-alive sockets) close with the service.
    this.register(toDisposable(() => this.manager.dispose()));
    // First listener, so that a session is bound and stored before the UI hears of it.
    this.storage = this.register(new SessionStore(this.manager, vault, store, log));
    this.register(
      this.changed,
      this.manager.onDidChange((id, session) => {
        if (session) {
          this.log.rememberToken(session.token);
          this.log.rememberToken(session.refreshToken ?? undefined);
        }
        this.changed.fire(id);
      }),
      this.store.onDidChange(() => this.onConnectionsChanged()),
    );
  }

  /** Restores stored sessions once (first use after activation); expired ones without a usable refresh are dropped. */
  restore(): Promise<void> {
    return this.storage.restore();
  }

  /** The settings changed: the store drops or picks up sessions; UI state of connections that left goes. */
  private onConnectionsChanged(): void {
    this.storage.connectionsChanged();
    const ids = new Set(this.store.all().map((c) => c.id));
    for (const id of [...this.ui.keys()]) if (!ids.has(id)) this.ui.delete(id);
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
    const secret = await this.storage.secret(conn);
    this.log.remember(secret); // the log redacts it from here on, whatever echoes it
    return secret;
  }

  /**
   * The passphrase of a connection's client key: the stored one first; when it was wrong it is deleted and the user
   * is asked. A typed one is stored once it unlocks the key. Never logged (the log redacts it from here on).
   */
  private async passphraseFor(conn: ConnectionConfig, reason: 'needed' | 'wrong'): Promise<string | undefined> {
    if (reason === 'wrong') {
      await this.vault.delete(conn.id, 'passphrase');
    } else {
      const stored = await this.vault.getPassphrase(conn);
      this.log.remember(stored);
      if (stored !== undefined) return stored;
    }
    const typed = await this.prompts.passphrase(conn, reason === 'wrong');
    this.log.remember(typed);
    if (typed !== undefined) this.typedPassphrases.set(conn.id, typed);
    return typed;
  }

  private passphraseAccepted(conn: ConnectionConfig, passphrase: string): void {
    if (this.typedPassphrases.get(conn.id) !== passphrase) return;
    this.typedPassphrases.delete(conn.id);
    void this.vault.setPassphrase(conn, passphrase);
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
      // The TLS files (and the client key's passphrase) first: a missing certificate file is reported before the
      // secret is read or asked.
      await this.manager.prepare(conn);
      const label = ADAPTERS[conn.vendor].secretLabel(authOf(conn));
      let secret = await this.secretFor(conn);
      let typed = false;
      if (secret === undefined) {
        secret = await this.prompts.secret(conn, label);
        if (secret === undefined) throw new AuthError('cancelled', 'login cancelled');
        this.log.remember(secret);
        typed = true;
      }
      this.log.info('session', ours(`logging in to "${conn.id}" (${conn.vendor}, ${authOf(conn)})`));
      const session = await this.manager.login(conn, { secret });
      this.log.info('session', ours(`logged in to "${conn.id}"; expires ${session.expiresAt !== null ? formatInstant(session.expiresAt) : 'never/unknown'}`));
      this.setUi(conn.id, undefined);
      this.setActiveIfNone(conn.id);
      if (typed) {
        // Kept in memory for this window's re-logins; stored only if the user says so (a refused write is logged
        // by the vault and leaves the login as it is).
        const value = secret;
        this.storage.keepInMemory(conn, value);
        void this.prompts
          .offerToStore(conn, label)
          .then(async (yes) => {
            if (yes) await this.vault.setSecret(conn, value);
          })
          .catch((e: unknown) => this.log.warn('session', wording`could not offer to store the ${label} of "${conn.id}": ${outside(errorMessage(e))}`));
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
      this.log.info('session', ours(`renewed "${conn.id}" (${s.history[s.history.length - 1]?.event ?? 'renew'})`));
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
      this.log.warn('session', ours(this.log.describeError(e, conn)));
    } finally {
      await this.storage.dropSession(conn.id);
      this.setUi(conn.id, undefined);
      this.log.info('session', ours(`logged out of "${conn.id}"`));
    }
  }

  /** Forget the secret (stored and in memory). */
  async clearSecret(conn: ConnectionConfig): Promise<void> {
    await this.storage.clearSecret(conn.id);
    this.changed.fire(conn.id);
  }

  /** Removing a connection removes every key it had. */
  async removeAll(id: string): Promise<void> {
    await this.storage.removeAll(id);
    this.typedPassphrases.delete(id);
    this.ui.delete(id);
    if (this.activeId() === id) await this.memento.update(ACTIVE_KEY, undefined);
    this.changed.fire(id);
  }

  private fail(conn: ConnectionConfig, e: unknown): void {
    if (isAuthError(e) && e.kind === 'cancelled') {
      this.setUi(conn.id, undefined);
      return;
    }
    const message = this.log.describeError(e, conn);
    this.log.error('session', ours(message));
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
}

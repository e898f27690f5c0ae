// The connections' sessions for other extensions: a VS Code AuthenticationProvider whose scopes name a connection.
// Another extension calls `authentication.getSession('api-auth-explorer', [connectionId], …)`; VS Code asks the user
// before it hands a session to an extension, lists the sessions in the Accounts menu, and its Sign Out is our Log Out.
// A token handed out is renewed first when it is due, never with a prompt: a renewal that needs a person (a
// two-factor code, a secret that is not stored) hands out no session instead. Tokens are never logged.
import * as vscode from 'vscode';
import { AuthError, describeError } from '../core/errors';
import { Disposable } from '../core/lifecycle';
import { isExpired } from '../core/session';
import type { ConnectionConfig, Session } from '../core/types';
import { ours } from '../core/wording';
import type { ConnectionStore } from './connections';
import { Commands } from './constants';
import type { Log } from './log';
import type { SessionService } from './sessions';

export const AUTH_PROVIDER_ID = 'api-auth-explorer';
export const AUTH_PROVIDER_LABEL = 'API Auth Explorer';

const LOG = 'auth';
const ONE_SCOPE = 'pass one scope: the id of a connection in the authExplorer.connections setting';

/**
 * The account a connection's session is shown as. VS Code keeps an extension's permission per account label, so the
 * label holds the connection id (unique, and unchanged when the connection's display label is edited): a permission
 * given for one connection never covers another.
 */
export function accountLabel(conn: Pick<ConnectionConfig, 'id' | 'username'>): string {
  return conn.username ? `${conn.username}@${conn.id}` : conn.id;
}

function toAuthSession(conn: ConnectionConfig, session: Session): vscode.AuthenticationSession {
  return { id: conn.id, accessToken: session.token, account: { id: conn.id, label: accountLabel(conn) }, scopes: [conn.id] };
}

/**
 * The connection id that scopes name: undefined for none or [] (every connection). More than one scope is refused
 * rather than ignored: a caller asking for permissions we cannot grant learns it at once.
 */
function scopeId(scopes: readonly string[] | undefined): string | undefined {
  if (!scopes || scopes.length === 0) return undefined;
  if (scopes.length > 1) throw new Error(`API Auth Explorer: the scopes name one connection; ${ONE_SCOPE}.`);
  return scopes[0];
}

export class ConnectionsAuthProvider extends Disposable implements vscode.AuthenticationProvider {
  private readonly changes = this.register(new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>());
  readonly onDidChangeSessions = this.changes.event;
  /** What VS Code has been told per connection, to announce only real changes (a new token, not a used one). */
  private readonly announced = new Map<string, vscode.AuthenticationSession>();

  constructor(
    private readonly store: ConnectionStore,
    private readonly sessions: SessionService,
    private readonly log: Log,
  ) {
    super();
    this.register(sessions.onDidChange((id) => this.sessionsChanged(id)));
  }

  async getSessions(scopes: readonly string[] | undefined, options: vscode.AuthenticationProviderSessionOptions = {}): Promise<vscode.AuthenticationSession[]> {
    const id = scopeId(scopes);
    await this.sessions.restore();
    const conns = (id === undefined ? this.store.all() : [this.store.get(id)]).filter(
      (c): c is ConnectionConfig => !!c && !!this.sessions.get(c.id) && (!options.account || options.account.id === c.id),
    );
    // No scopes at all: VS Code itself lists the accounts (Accounts menu, its Sign Out). Every held session, as it is:
    // opening a menu renews nothing, and Sign Out finds even a session whose token has run out. Scopes (even []): an
    // extension asks for a token, so it gets only tokens that work.
    if (scopes === undefined) return conns.flatMap((c) => this.listed(c));
    const found = await Promise.all(conns.map((c) => this.current(c)));
    return found.filter((s): s is vscode.AuthenticationSession => s !== undefined);
  }

  private listed(conn: ConnectionConfig): vscode.AuthenticationSession[] {
    const session = this.sessions.get(conn.id);
    return session ? [toAuthSession(conn, session)] : [];
  }

  /**
   * The connection's session with a token that works now: renewed first when it is due (refresh, or a login with the
   * stored secret, never a prompt). When that fails, a still-valid token is handed out as it is, an expired one not.
   */
  private async current(conn: ConnectionConfig): Promise<vscode.AuthenticationSession | undefined> {
    let session = this.sessions.get(conn.id);
    if (!session) return undefined;
    if (this.sessions.manager.needsRenewal(conn, session)) {
      try {
        session = await this.sessions.manager.renew(conn, { interactive: false });
        this.log.info(LOG, ours(`renewed "${conn.id}" before handing its session to VS Code's authentication API`));
      } catch (e) {
        this.log.warn(LOG, ours(`no renewed session of "${conn.id}" for VS Code's authentication API: ${this.log.describeError(e, conn)}`));
        session = this.sessions.get(conn.id);
        if (!session || isExpired(session, this.sessions.manager.clock())) return undefined;
      }
    }
    return toAuthSession(conn, session);
  }

  /** VS Code asks for a session nobody has: the extension's Log In for that connection, with its usual prompts. */
  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const id = scopeId(scopes);
    if (id === undefined) throw new Error(`API Auth Explorer: no connection named; ${ONE_SCOPE}.`);
    const conn = this.store.get(id);
    if (!conn) throw new Error(describeError(new AuthError('config', 'no connection has this id', { nextStep: ONE_SCOPE }), { id }));
    this.log.info(LOG, ours(`logging in to "${conn.id}" for VS Code's authentication API`));
    const before = this.sessions.get(conn.id); // there is one when an extension asked for a new session (forceNewSession)
    // The Log In command itself: progress, prompts for the secret or a two-factor code, the error message with its
    // actions. It reports a failure to the user and resolves; the caller learns of it from the missing new session.
    await vscode.commands.executeCommand(Commands.login, conn.id);
    const session = this.sessions.get(conn.id);
    if (session && session !== before) return toAuthSession(conn, session);
    const ui = this.sessions.uiState(conn.id);
    throw new Error(ui?.kind === 'error' ? ui.message : describeError(new AuthError('cancelled', 'the login was cancelled'), conn));
  }

  /** Sign Out in the Accounts menu (or an extension's removal): the extension's Log Out for that connection. */
  async removeSession(sessionId: string): Promise<void> {
    await this.sessions.restore();
    if (this.store.get(sessionId) && this.sessions.get(sessionId)) {
      this.log.info(LOG, ours(`logging out of "${sessionId}" for VS Code's authentication API`));
      await vscode.commands.executeCommand(Commands.logout, sessionId);
    } else {
      this.sessionsChanged(sessionId); // already gone: make sure VS Code knows
    }
  }

  /** Compares what VS Code was told with the sessions held now; announces additions, removals and new tokens. */
  private sessionsChanged(id: string | undefined): void {
    const ids = id !== undefined ? [id] : new Set([...this.announced.keys(), ...this.sessions.manager.all().map((s) => s.connectionId)]);
    const added: vscode.AuthenticationSession[] = [];
    const removed: vscode.AuthenticationSession[] = [];
    const changed: vscode.AuthenticationSession[] = [];
    for (const cid of ids) {
      const before = this.announced.get(cid);
      const conn = this.store.get(cid);
      const session = conn && this.sessions.get(cid);
      const now = conn && session ? toAuthSession(conn, session) : undefined;
      if (now) this.announced.set(cid, now);
      else this.announced.delete(cid);
      if (before && now && before.account.label !== now.account.label) {
        removed.push(before);
        added.push(now);
      } else if (before && now && before.accessToken !== now.accessToken) {
        changed.push(now);
      } else if (before && !now) {
        removed.push(before);
      } else if (!before && now) {
        added.push(now);
      }
    }
    if (added.length || removed.length || changed.length) this.changes.fire({ added, removed, changed });
  }
}

/** Registers the provider with VS Code; the returned disposable unregisters it and stops its listeners. */
export function registerAuthProvider(store: ConnectionStore, sessions: SessionService, log: Log): vscode.Disposable {
  const provider = new ConnectionsAuthProvider(store, sessions, log);
  const registration = vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, provider, {
    supportsMultipleAccounts: false,
  });
  // Unregistered first: VS Code stops asking before the provider stops listening.
  return vscode.Disposable.from(registration, provider);
}

// Every command, registered in one place. From the tree a command gets the item; from the palette it asks.
// Failures go through `guarded`: one sentence naming the connection and cause, with actions; cancel is silent.
import * as vscode from 'vscode';
import { authLine, curlCommand } from '../engine/curl';
import { AuthError, type AuthErrorKind, isAuthError } from '../core/errors';
import { timeLeftMs } from '../core/session';
import { AUTH_KINDS, type AuthKind, authOf, type ConnectionConfig, type ExploreRequest, type Session, type VendorId, VENDORS } from '../core/types';
import { fillSample } from '../engine/requests';
import type { ConnectionStore, Scope } from './connections';
import { type CommandId, Commands, EXTENSION_ID } from './constants';
import type { Log } from './log';
import type { SessionService } from './sessions';
import type { StatusBar } from './statusBar';
import type { Node } from './tree';
import type { Vault } from './vault';
import type { TokenDetailsPanels } from './webview/panel';
import { formatRemaining } from '../core/time';
import { ADAPTERS } from '../vendors';

export interface CommandDeps {
  store: ConnectionStore;
  sessions: SessionService;
  vault: Vault;
  log: Log;
  statusBar: StatusBar;
  panels: TokenDetailsPanels;
  refreshTree(): void;
  sendRequest(conn: ConnectionConfig): Promise<unknown>;
  /** The request Copy as curl shows: the connection's last sent request, when there is one. */
  lastRequest(connectionId: string): ExploreRequest | undefined;
  /** Modal confirmation (replaceable: VS Code refuses dialogs while extension tests run). */
  confirm(message: string, action: string): Promise<boolean>;
}

const RETRY = 'Retry';
const SET_SECRET = 'Set Secret';
const OPEN_SETTINGS = 'Open Settings';
const SHOW_LOG = 'Show Log';

/** Which follow-up actions fit an error kind. */
function actionsFor(kind: AuthErrorKind | undefined): string[] {
  switch (kind) {
    case 'credentials':
    case 'locked':
      return [RETRY, SET_SECRET, SHOW_LOG];
    case 'config':
    case 'tls':
    case 'protocol':
      return [OPEN_SETTINGS, RETRY, SHOW_LOG];
    case 'network':
    case 'timeout':
      return [RETRY, OPEN_SETTINGS, SHOW_LOG];
    default:
      return [RETRY, SHOW_LOG];
  }
}

export function registerCommands(context: vscode.ExtensionContext, d: CommandDeps): void {
  const reg = (id: CommandId, fn: (...args: unknown[]) => Promise<unknown> | unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => guarded(id, () => fn(...args))));
  };

  /** Runs a command; reports its failure once, as one sentence with actions. Never rethrows. */
  async function guarded(id: string, fn: () => Promise<unknown> | unknown, conn?: ConnectionConfig): Promise<unknown> {
    try {
      return await fn();
    } catch (e) {
      const cause = e instanceof ConnectionError ? e.cause : e;
      if (isAuthError(cause) && cause.kind === 'cancelled') return undefined;
      const c = conn ?? (e instanceof ConnectionError ? e.conn : undefined);
      const message = c ? d.log.describeError(cause, c) : d.log.redact(cause instanceof Error ? cause.message : String(cause));
      d.log.error('command', `${id}: ${message}`);
      const kind = isAuthError(cause) ? cause.kind : undefined;
      // The command ends now; the message's actions run whenever (if ever) the user picks one.
      void vscode.window.showErrorMessage(message, ...actionsFor(kind)).then(async (choice) => {
        // Retry acts on the same connection: from the palette it does not ask again which one.
        if (choice === RETRY) await (c ? vscode.commands.executeCommand(id, c.id) : guarded(id, fn));
        else if (choice === SET_SECRET && c) await guarded(Commands.setSecret, () => setSecret(c), c);
        else if (choice === OPEN_SETTINGS) await openSettings(c);
        else if (choice === SHOW_LOG) d.log.channel.show(true);
      });
      return undefined;
    }
  }

  /** Resolves the connection from a tree node, an id string, or by asking. */
  async function pick(arg: unknown, placeHolder = 'Choose a connection', filter?: (c: ConnectionConfig) => boolean): Promise<ConnectionConfig> {
    const fromArg = connectionFromArg(arg, d.store);
    if (fromArg) return fromArg;
    const all = d.store.all().filter((c) => !filter || filter(c));
    if (all.length === 0) {
      if (d.store.all().length === 0) {
        const add = await vscode.window.showInformationMessage('No API connections are configured yet.', 'Add Connection');
        if (add) await vscode.commands.executeCommand(Commands.addConnection);
      } else {
        void vscode.window.showInformationMessage('No connection fits: log in to one first.');
      }
      throw new AuthError('cancelled', 'no connection');
    }
    if (all.length === 1 && filter) return all[0];
    const now = Date.now();
    const chosen = await vscode.window.showQuickPick(
      all.map((c) => {
        const s = d.sessions.get(c.id);
        const left = s ? timeLeftMs(s, now) : null;
        return {
          label: c.label || c.id,
          description: ADAPTERS[c.vendor].displayName,
          detail: s ? (left === null ? 'logged in' : `logged in · ${formatRemaining(left)} left`) : 'not logged in',
          id: c.id,
        };
      }),
      { placeHolder, matchOnDescription: true },
    );
    if (!chosen) throw new AuthError('cancelled', 'no connection chosen');
    const conn = d.store.get(chosen.id);
    if (!conn) throw new AuthError('cancelled', 'connection removed');
    return conn;
  }

  async function withConn<T>(conn: ConnectionConfig, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw new ConnectionError(conn, e);
    }
  }

  async function login(arg: unknown): Promise<Session> {
    const conn = await pick(arg, 'Log in to which connection?');
    return withConn(conn, async () => {
      const s = await Promise.resolve(
        vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Logging in to ${conn.label || conn.id}…` }, () =>
          d.sessions.login(conn),
        ),
      );
      const left = timeLeftMs(s, Date.now());
      void vscode.window.setStatusBarMessage(
        `$(pass) Logged in to ${conn.label || conn.id}${left === null ? '' : ` — ${formatRemaining(left)} left`}`,
        4000,
      );
      return s;
    });
  }

  /** The session of a connection, offering to log in when there is none. */
  async function sessionOf(arg: unknown, why: string): Promise<{ conn: ConnectionConfig; session: Session }> {
    await d.sessions.restore();
    const conn = await pick(arg, why, connectionFromArg(arg, d.store) ? undefined : (c) => !!d.sessions.get(c.id)).catch(async (e: unknown) => {
      if (isAuthError(e) && e.message === 'no connection' && d.store.all().length) return pick(undefined, why);
      throw e;
    });
    let session = d.sessions.get(conn.id);
    if (!session) {
      const choice = await vscode.window.showInformationMessage(`"${conn.label || conn.id}" is not logged in.`, 'Log In');
      if (choice !== 'Log In') throw new AuthError('cancelled', 'not logged in');
      session = await login(conn.id);
    }
    return { conn, session };
  }

  async function setSecret(arg: unknown): Promise<void> {
    const conn = await pick(arg, 'Set the secret of which connection?');
    const label = ADAPTERS[conn.vendor].secretLabel(authOf(conn));
    const value = await vscode.window.showInputBox({
      title: `${conn.label || conn.id}: ${label}`,
      prompt: `Stored only in VS Code's secret storage (the OS keychain), never in settings.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.length === 0 ? `The ${label} cannot be empty.` : undefined),
    });
    if (value === undefined) return;
    d.log.remember(value);
    await d.vault.setSecret(conn, value);
    void vscode.window.setStatusBarMessage(`$(key) ${label} of ${conn.label || conn.id} stored in secret storage`, 4000);
  }

  async function openSettings(conn?: ConnectionConfig): Promise<void> {
    const scope = conn ? d.store.scopeOf(conn.id) : undefined;
    if (!conn || !scope) {
      await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${EXTENSION_ID}`);
      return;
    }
    await vscode.commands.executeCommand(scope === 'workspace' ? 'workbench.action.openWorkspaceSettingsFile' : 'workbench.action.openSettingsJson');
    const editor = vscode.window.activeTextEditor;
    if (!editor) return;
    const text = editor.document.getText();
    const at = text.search(new RegExp(`"id"\\s*:\\s*"${conn.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
    if (at >= 0) {
      const pos = editor.document.positionAt(at);
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
    }
  }

  async function copy(arg: unknown, what: 'token' | 'header' | 'curl'): Promise<void> {
    const found = await sessionOf(arg, `Copy the ${what === 'token' ? 'token' : what === 'header' ? 'Authorization header' : 'curl command'} of which connection?`);
    const { conn } = found;
    let { session } = found;
    // What is copied must work when pasted: an expired (or about to be refreshed) token is renewed first.
    if (d.sessions.manager.needsRenewal(conn, session)) session = await withConn(conn, () => d.sessions.refresh(conn));
    const text = what === 'token' ? session.token : what === 'header' ? authLine(session) : curlCommand(conn, ADAPTERS[conn.vendor].wire(conn, session, d.lastRequest(conn.id) ?? defaultRequest(conn, session)));
    await vscode.env.clipboard.writeText(text);
    const name = what === 'token' ? 'Token' : what === 'header' ? 'Auth header' : 'curl command';
    void vscode.window.setStatusBarMessage(`$(clippy) ${name} of ${conn.label || conn.id} copied`, 3000);
  }

  reg(Commands.addConnection, () => addConnection(d));
  reg(Commands.editConnection, async (arg) => openSettings(await pick(arg, 'Edit which connection?')));
  reg(Commands.removeConnection, async (arg) => {
    const conn = await pick(arg, 'Remove which connection?');
    const ok = await d.confirm(`Remove the connection "${conn.label || conn.id}"? Its settings entry, stored secret and session are deleted.`, 'Remove');
    if (!ok) return;
    await d.sessions.logout(conn);
    await d.store.remove(conn.id);
    await d.sessions.removeAll(conn.id);
    d.log.info('command', `removed connection "${conn.id}" and its secrets`);
  });
  reg(Commands.setSecret, (arg) => setSecret(arg));
  reg(Commands.clearSecret, async (arg) => {
    const conn = await pick(arg, 'Clear the stored secret of which connection?');
    await d.sessions.clearSecret(conn);
    void vscode.window.setStatusBarMessage(`$(trash) Stored secret of ${conn.label || conn.id} removed`, 4000);
  });
  reg(Commands.login, (arg) => login(arg));
  reg(Commands.logout, async (arg) => {
    await d.sessions.restore();
    const conn = await pick(arg, 'Log out of which connection?', (c) => !!d.sessions.get(c.id));
    await withConn(conn, () => d.sessions.logout(conn));
  });
  reg(Commands.refreshToken, async (arg) => {
    await d.sessions.restore();
    const conn = await pick(arg, 'Refresh the token of which connection?');
    await withConn(conn, async () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Renewing ${conn.label || conn.id}…` }, () => d.sessions.refresh(conn)),
    );
  });
  reg(Commands.copyToken, (arg) => copy(arg, 'token'));
  reg(Commands.copyAuthHeader, (arg) => copy(arg, 'header'));
  reg(Commands.copyCurl, (arg) => copy(arg, 'curl'));
  reg(Commands.showDetails, async (arg) => {
    await d.sessions.restore();
    const conn = await pick(arg, 'Show the token of which connection?');
    d.panels.show(conn.id);
  });
  reg(Commands.setActive, async (arg) => {
    await d.sessions.restore();
    const conn = await pick(arg, 'Which connection should the status bar follow?');
    await d.sessions.setActive(conn.id);
  });
  reg(Commands.showLog, () => d.log.channel.show());
  reg(Commands.openSettings, (arg) => openSettings(connectionFromArg(arg, d.store)));
  reg(Commands.refreshView, async () => {
    await d.sessions.restore();
    d.refreshTree();
  });
  reg(Commands.sendRequest, async (arg) => {
    const conn = await pick(arg, 'Send a request with which connection?');
    await withConn(conn, () => d.sendRequest(conn));
  });
  reg(Commands.statusBarMenu, async () => {
    const id = d.statusBar.shownId;
    const conn = id ? d.store.get(id) : undefined;
    if (!conn) return vscode.commands.executeCommand(Commands.login);
    const items: (vscode.QuickPickItem & { run: () => Thenable<unknown> | Promise<unknown> })[] = [
      { label: '$(sync) Refresh token', run: () => vscode.commands.executeCommand(Commands.refreshToken, conn.id) },
      { label: '$(sign-in) Log in again', run: () => vscode.commands.executeCommand(Commands.login, conn.id) },
      { label: '$(clippy) Copy token', run: () => vscode.commands.executeCommand(Commands.copyToken, conn.id) },
      { label: '$(clippy) Copy Authorization header', run: () => vscode.commands.executeCommand(Commands.copyAuthHeader, conn.id) },
      { label: '$(terminal) Copy as curl', run: () => vscode.commands.executeCommand(Commands.copyCurl, conn.id) },
      { label: '$(preview) Show token details', run: () => vscode.commands.executeCommand(Commands.showDetails, conn.id) },
      { label: '$(arrow-swap) Follow another connection…', run: () => vscode.commands.executeCommand(Commands.setActive) },
      { label: '$(sign-out) Log out', run: () => vscode.commands.executeCommand(Commands.logout, conn.id) },
    ];
    const chosen = await vscode.window.showQuickPick(items, { placeHolder: `${conn.label || conn.id} (${ADAPTERS[conn.vendor].displayName})` });
    if (chosen) await chosen.run();
  });
}

/** Wraps an error with the connection it happened on, so `guarded` can name it. */
class ConnectionError extends Error {
  constructor(
    readonly conn: ConnectionConfig,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export function connectionFromArg(arg: unknown, store: ConnectionStore): ConnectionConfig | undefined {
  if (typeof arg === 'string') return store.get(arg);
  if (typeof arg === 'object' && arg !== null) {
    const n = arg as Partial<Node> & { conn?: ConnectionConfig; connId?: string };
    if (n.type === 'connection' && n.conn) return store.get(n.conn.id);
    if (typeof n.connId === 'string') return store.get(n.connId);
  }
  return undefined;
}

/** The request a curl line shows: the vendor's first read-only sample call, made concrete for the session. */
export function defaultRequest(conn: ConnectionConfig, session?: Session): ExploreRequest {
  const sample = ADAPTERS[conn.vendor].sampleRequests[0];
  return sample ? fillSample(sample, conn, session) : { kind: 'rest', method: 'GET', path: '/' };
}

// ---- Add Connection ---------------------------------------------------------------------------------

const VENDOR_HINTS: Record<VendorId, { url: string; detail: string }> = {
  cove: { url: 'https://api.backup.management/jsonapi', detail: 'JSON-RPC Login → 15-minute sliding visa' },
  commvault: { url: 'https://commserve.example.com/webconsole/api', detail: 'POST /Login → Authtoken: QSDK …, 30-minute idle expiry' },
  ipcortex: { url: 'https://pabx.example.com', detail: 'Session cookie Red60urne, or an API key' },
  code42: { url: 'https://console.us.code42.com', detail: 'v3 token (with TOTP two-factor) or Basic' },
  datarhei: { url: 'http://127.0.0.1:8080', detail: 'JWT access + refresh tokens, or Auth0' },
};

const AUTH_TEXT: Record<AuthKind, string> = {
  password: 'Username and password',
  apiKey: 'API key',
  basic: 'HTTP Basic on every request',
  token: 'v3 token (two-factor supported)',
  auth0: 'Auth0 access token',
};

async function ask(options: vscode.InputBoxOptions): Promise<string> {
  const v = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  if (v === undefined) throw new AuthError('cancelled', 'cancelled');
  return v.trim();
}

async function choose<T extends vscode.QuickPickItem>(items: T[], placeHolder: string, title: string): Promise<T> {
  const v = await vscode.window.showQuickPick(items, { placeHolder, title, ignoreFocusOut: true });
  if (!v) throw new AuthError('cancelled', 'cancelled');
  return v;
}

async function addConnection(d: CommandDeps): Promise<void> {
  const title = 'Add API Connection';
  const vendor = (
    await choose(
      VENDORS.map((v) => ({ label: ADAPTERS[v].displayName, detail: VENDOR_HINTS[v].detail, vendor: v })),
      'Which vendor API?',
      `${title} (1/4)`,
    )
  ).vendor;
  const adapter = ADAPTERS[vendor];
  const taken = d.store.allIds();
  const label = await ask({ title: `${title} (2/4)`, prompt: 'A name for this connection', value: `${adapter.displayName}`, validateInput: (v) => (v.trim() ? undefined : 'A name is needed.') });
  let suggested = slug(label) || vendor;
  for (let i = 2; taken.has(suggested); i++) suggested = `${slug(label) || vendor}-${i}`;
  const baseUrl = await ask({
    title: `${title} (3/4)`,
    prompt: vendor === 'cove' ? 'JSON-RPC endpoint URL' : vendor === 'commvault' ? 'Web-service root URL' : 'Base URL of the API',
    value: VENDOR_HINTS[vendor].url,
    validateInput: (v) => {
      try {
        const u = new URL(v.trim());
        return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'The URL must start with http:// or https://.';
      } catch {
        return 'This is not a valid URL.';
      }
    },
  });
  let auth: AuthKind = adapter.authKinds[0];
  if (adapter.authKinds.length > 1) {
    auth = (
      await choose(
        adapter.authKinds.map((k) => ({ label: AUTH_TEXT[k], auth: k })),
        'How do you log in?',
        `${title} (3/4)`,
      )
    ).auth;
  }
  const conn: ConnectionConfig = { id: suggested, label, vendor, baseUrl };
  if (auth !== adapter.authKinds[0] && (AUTH_KINDS as readonly string[]).includes(auth)) conn.auth = auth;
  if (vendor === 'cove') {
    conn.partner = await ask({ title: `${title} (3/4)`, prompt: 'Partner (customer) name exactly as the console shows it, e.g. "Acme Corp (admin@acme.com)"', validateInput: (v) => (v.trim() ? undefined : 'The partner name is needed.') });
  }
  if (auth !== 'apiKey' && auth !== 'auth0') {
    conn.username = await ask({ title: `${title} (3/4)`, prompt: 'Username', validateInput: (v) => (v.trim() ? undefined : 'The username is needed.') });
  }
  if (vendor === 'commvault') {
    const domain = await ask({ title: `${title} (3/4)`, prompt: 'AD domain (leave empty for a local user)' });
    if (domain) conn.domain = domain;
    conn.format = (await choose([{ label: 'JSON', format: 'json' as const }, { label: 'XML', format: 'xml' as const }], 'Wire format', `${title} (3/4)`)).format;
  }
  if (baseUrl.startsWith('https:')) {
    const tls = await choose(
      [
        { label: 'Verify the server certificate', detail: 'Recommended', reject: true },
        { label: 'Accept a self-signed certificate', detail: 'On-prem servers with their own certificate (this connection only)', reject: false },
      ],
      'TLS certificate',
      `${title} (3/4)`,
    );
    if (!tls.reject) conn.tls = { rejectUnauthorized: false };
  }
  const problems = adapter.validate(conn);
  if (problems.length) throw new AuthError('config', problems.join('; '));
  let scope: Scope = 'user';
  if (vscode.workspace.workspaceFolders?.length) {
    scope = (
      await choose(
        [
          { label: 'User settings', detail: 'Available in every workspace', scope: 'user' as const },
          { label: 'Workspace settings', detail: 'Only this workspace (.vscode/settings.json)', scope: 'workspace' as const },
        ],
        'Where should the connection be saved? (the secret always goes to secret storage)',
        `${title} (4/4)`,
      )
    ).scope;
  }
  await d.store.add(conn, scope);
  d.log.info('command', `added connection "${conn.id}" (${vendor}) to ${scope} settings`);
  const secretLabel = adapter.secretLabel(auth);
  const secret = await vscode.window.showInputBox({
    title: `${title} (4/4): ${secretLabel}`,
    prompt: `Stored only in VS Code's secret storage. Press Escape to skip: you will be asked at login.`,
    password: true,
    ignoreFocusOut: true,
  });
  if (secret) {
    d.log.remember(secret);
    await d.vault.setSecret(conn, secret);
  }
  const next = await vscode.window.showInformationMessage(`Connection "${label}" added.`, 'Log In Now');
  if (next) await vscode.commands.executeCommand(Commands.login, conn.id);
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

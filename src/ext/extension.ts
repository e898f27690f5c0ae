// Wiring only: log → config → secrets vault → session service → views → commands. Everything disposable goes
// into context.subscriptions as soon as it exists. No network and no secret reads happen during activation.
import * as vscode from 'vscode';
import { buildTokenView } from '../engine/view';
import { ADAPTERS } from '../vendors';
import { registerAuthProvider } from './authProvider';
import { registerCommands } from './commands';
import { ConnectionStore } from './connections';
import { Commands } from './constants';
import { Explorer } from './explore';
import { GatewayService } from './gateway';
import { KeepAlive } from './keepAlive';
import { Log } from './log';
import { type Prompts, SessionService } from './sessions';
import { StatusBar } from './statusBar';
import { Ticker } from './ticker';
import { ConnectionsTree } from './tree';
import { Vault } from './vault';
import { type DetailsSource, TokenDetailsPanels } from './webview/panel';
import { ours } from '../core/wording';

/** What tests get from `activate` (only in ExtensionMode.Test: other extensions must not reach sessions). */
export interface TestApi {
  sessions: SessionService;
  store: ConnectionStore;
  tree: ConnectionsTree;
  statusBar: StatusBar;
  ticker: Ticker;
  panels: TokenDetailsPanels;
  explorer: Explorer;
  gateway: GatewayService;
  keepAlive: KeepAlive;
  log: Log;
  vault: Vault;
  context: vscode.ExtensionContext;
  /** Interactions tests may replace (VS Code refuses modal dialogs while extension tests run). */
  ui: { confirm: (message: string, action: string) => Promise<boolean> };
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const t0 = performance.now();
  const log = new Log();
  context.subscriptions.push(log);
  const store = new ConnectionStore((m) => log.warn('config', m));
  context.subscriptions.push(store);
  const vault = new Vault(context.secrets, (m) => log.warn('vault', m));
  context.subscriptions.push(vault);
  const sessions = new SessionService(store, vault, log, context.workspaceState, prompts());
  context.subscriptions.push(sessions);

  const now = () => Date.now();
  const ticker = new Ticker(() => sessions.manager.all().some((s) => s.expiresAt !== null && s.expiresAt > now() - 1500));
  context.subscriptions.push(ticker);
  context.subscriptions.push(sessions.onDidChange(() => ticker.update()));

  // Off unless the user starts it (or turned authExplorer.gateway.enabled on): nothing listens at activation.
  const gateway = new GatewayService({ context, store, manager: sessions.manager, log });
  context.subscriptions.push(gateway);
  const tree = new ConnectionsTree(store, sessions, ticker, gateway);
  context.subscriptions.push(tree);
  // What the first command costs until the view is filled (npm run bench, section 7c, reads this line).
  tree.onFirstRows = (rows) =>
    log.info('view', ours(`Connections view first filled ${(performance.now() - t0).toFixed(1)} ms after activation began (${rows} rows)`));
  const statusBar = new StatusBar(store, sessions, ticker);
  context.subscriptions.push(statusBar);

  const source: DetailsSource = {
    view: (id) => {
      const conn = store.get(id);
      if (!conn) return undefined;
      const ui = sessions.uiState(id);
      const session = sessions.get(id);
      const state =
        ui?.kind === 'loggingIn'
          ? 'loggingIn'
          : ui?.kind === 'error' && !session
            ? 'error'
            : session
              ? session.expiresAt !== null && session.expiresAt <= now()
                ? 'expired'
                : 'loggedIn'
              : 'loggedOut';
      return buildTokenView({
        conn,
        vendorName: ADAPTERS[conn.vendor].displayName,
        session,
        state,
        error: ui?.kind === 'error' ? ui.message : null,
        now: now(),
      });
    },
    onDidChange: sessions.onDidChange,
    token: (id) => sessions.get(id)?.token,
    copy: async (id, what) =>
      void (await vscode.commands.executeCommand(what === 'token' ? Commands.copyToken : what === 'header' ? Commands.copyAuthHeader : Commands.copyCurl, id)),
    refresh: async (id) => void (await vscode.commands.executeCommand(Commands.refreshToken, id)),
    login: async (id) => void (await vscode.commands.executeCommand(Commands.login, id)),
  };
  const panels = new TokenDetailsPanels(context.extensionUri, source);
  context.subscriptions.push(panels, panels.registerSerializer());

  const explorer = new Explorer(context, sessions, log, gateway.traffic);
  context.subscriptions.push(explorer);
  const keepAlive = new KeepAlive(store, sessions, log);
  context.subscriptions.push(keepAlive);
  // The sessions for other extensions (authentication.getSession); registering is one message, no network.
  context.subscriptions.push(registerAuthProvider(store, sessions, log));

  const ui = {
    confirm: async (message: string, action: string) => (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action,
  };
  registerCommands(context, {
    store,
    sessions,
    vault,
    log,
    statusBar,
    gateway,
    panels,
    refreshTree: () => tree.refresh(),
    sendRequest: (conn) => explorer.send(conn),
    showRawAnswer: (arg) => explorer.showRaw(arg),
    lastRequest: (id) => explorer.lastRequest(id),
    confirm: (message, action) => ui.confirm(message, action),
  });

  // Sessions from before a reload come back after activation, off the activation path.
  setTimeout(() => void sessions.restore(), 0);

  const activationMs = performance.now() - t0;
  // When it began, on the system clock: what the e2e run's first-view split measures from (a log line's own stamp is
  // made later, when the line reaches VS Code).
  log.info('activate', ours(`activated in ${activationMs.toFixed(1)} ms (began ${new Date(performance.timeOrigin + t0).toISOString()})`));
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    return { sessions, store, tree, statusBar, ticker, panels, explorer, gateway, keepAlive, log, vault, context, ui, activationMs };
  }
  return undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

function prompts(): Prompts {
  return {
    secret: (conn, label) =>
      Promise.resolve(
        vscode.window.showInputBox({
          title: `Log in to ${conn.label || conn.id}`,
          prompt: `${label[0].toUpperCase()}${label.slice(1)}${conn.username ? ` for ${conn.username}` : ''}`,
          password: true,
          ignoreFocusOut: true,
          validateInput: (v) => (v ? undefined : `The ${label} cannot be empty.`),
        }),
      ),
    offerToStore: async (conn, label) =>
      (await vscode.window.showInformationMessage(
        `Logged in to "${conn.label || conn.id}". Keep the ${label} in VS Code's secret storage for next time?`,
        'Store',
        'Not Now',
      )) === 'Store',
    totp: (conn, attempt) =>
      Promise.resolve(
        vscode.window.showInputBox({
          title: `${conn.label || conn.id}: two-factor code${attempt > 1 ? ' (the last one was not accepted)' : ''}`,
          prompt: 'The current 6–8 digit code from your authenticator app',
          ignoreFocusOut: true,
          validateInput: (v) => (/^\d{6,8}$/.test(v.trim()) ? undefined : 'Enter 6 to 8 digits.'),
        }),
      ).then((v) => v?.trim()),
    passphrase: (conn, again) =>
      Promise.resolve(
        vscode.window.showInputBox({
          title: `Passphrase of the client certificate for ${conn.label || conn.id}${again ? ' (the last one was wrong)' : ''}`,
          prompt: `Unlocks ${conn.tls?.pfxFile ?? conn.tls?.keyFile ?? 'the client key'}; kept in VS Code's secret storage once it works`,
          password: true,
          ignoreFocusOut: true,
          validateInput: (v) => (v ? undefined : 'The passphrase cannot be empty.'),
        }),
      ),
  };
}

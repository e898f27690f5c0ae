// The running gateway in a window: the engine's server (src/engine/gateway.ts) with this window's sessions, its
// status-bar item, the terminals' environment and the Log In offers. This file is the entry of dist/gateway.js, a
// chunk the extension requires only when the gateway starts (gateway.ts), so the extension's own bundle stays small.
// It has its own copies of the core modules: errors and wordings crossing over are recognised by brand
// (isAuthError, isWording), never by `instanceof`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AuthError, errorMessage } from '../core/errors';
import { escapeMarkdown } from '../core/markdown';
import { oneLineText } from '../core/untrusted';
import { ours, outside, wording } from '../core/wording';
import { startGateway } from '../engine/gateway';
import { connectionVariables, envNameOf, GATEWAY_ENV, GATEWAY_KEY_ENV } from '../engine/gatewayControl';
import type { SessionManager } from '../engine/manager';
import type { TrafficLog } from '../engine/traffic';
import type { ConnectionStore } from './connections';
import { Commands, GATEWAY_CONTEXT, GATEWAY_ITEM_ID, SETTING_GATEWAY, SETTING_SECTION, VIEW_CONNECTIONS } from './constants';
import type { Log } from './log';

const conf = () => vscode.workspace.getConfiguration(`${SETTING_SECTION}.${SETTING_GATEWAY}`);
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export interface GatewayDeps {
  context: vscode.ExtensionContext;
  store: ConnectionStore;
  manager: SessionManager;
  log: Log;
  traffic: TrafficLog;
  /** The key of this window's earlier run, kept so that terminals opened before a restart keep working. */
  key?: string;
}

export interface RunningGateway {
  readonly port: number;
  readonly key: string;
  /** Ids of the configured connections exposed now. */
  exposed(): string[];
  baseUrl(id: string): string;
  keyedBaseUrl(id: string): string;
  /** Requests answered since the start. */
  readonly requests: number;
  stop(): Promise<void>;
}

/** What the Gateway… menu needs of the extension's GatewayService. */
export interface GatewayControl {
  readonly running: RunningGateway | undefined;
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
}

/** A Log In offer per connection at most this often (the engine throttles too). */
const LOGIN_OFFER_MS = 30_000;

export async function runGateway(d: GatewayDeps): Promise<RunningGateway> {
  const subs: vscode.Disposable[] = [];
  const exposed = () => {
    // Empty: every connection.
    const want = strings(conf().get('expose'));
    return d.store
      .all()
      .map((c) => c.id)
      .filter((id) => !want.length || want.includes(id));
  };
  const offered = new Map<string, number>();
  const port = conf().get('port');
  const wanted = Number.isInteger(port) && (port as number) >= 0 && (port as number) < 65536 ? (port as number) : 0;
  let gw;
  try {
    gw = await startGateway({
      manager: d.manager,
      connections: () => d.store.all(),
      exposed,
      port: wanted,
      ...(d.key ? { key: d.key } : {}),
      allowedOrigins: strings(conf().get('allowedOrigins')),
      log: (line) => d.log.info('gateway', line),
      traffic: d.traffic,
      onLoginNeeded: (id, kind) => offerLogin(d, offered, id, kind),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? errorMessage(e);
    throw new AuthError('config', wording`the gateway cannot listen on 127.0.0.1:${wanted}: ${outside(code)}`, {
      nextStep: 'set authExplorer.gateway.port to a free port, or to 0 for any',
    });
  }
  const g = gw;
  // Echoed back by anything, the key is scrubbed from the log like a password.
  d.log.remember(g.key);
  let requests = 0;
  const item = vscode.window.createStatusBarItem(GATEWAY_ITEM_ID, vscode.StatusBarAlignment.Left, 49);
  item.name = 'API Auth Explorer: gateway';
  item.command = Commands.gatewayMenu;
  item.text = `$(radio-tower) Gateway :${g.port}`;
  const render = () => {
    const md = new vscode.MarkdownString(`**API Auth gateway** on 127.0.0.1:${g.port} · ${requests} ${requests === 1 ? 'request' : 'requests'}\n\n`, true);
    for (const id of exposed()) md.appendMarkdown(`- ${escapeMarkdown(d.store.get(id)?.label || id)}: \`${g.baseUrl(id)}\`\n`);
    md.appendMarkdown('\nClick for the gateway menu.');
    item.tooltip = md;
  };
  const env = d.context.environmentVariableCollection;
  const applyEnv = () => {
    env.persistent = false;
    env.description = 'API Auth gateway: its address, key and the base URLs of the exposed connections (no tokens or passwords)';
    env.clear();
    env.replace(GATEWAY_ENV, `http://127.0.0.1:${g.port}`);
    env.replace(GATEWAY_KEY_ENV, g.key);
    const { vars, ambiguous } = connectionVariables(g, exposed());
    for (const [name, url] of vars) env.replace(name, url);
    if (ambiguous.length) {
      d.log.warn('gateway', `no terminal variable for ${ambiguous.join(', ')}: their ids give the same name (${envNameOf(ambiguous[0])}); rename one`);
    }
    env.replace('API_AUTH_NODE', process.execPath);
    env.prepend('PATH', binDir(d.context.extensionPath) + path.delimiter);
  };
  const refresh = () => {
    applyEnv();
    render();
  };
  subs.push(
    item,
    d.store.onDidChange(refresh),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('authExplorer.gateway.expose') && refresh()),
    d.traffic.onDidAdd((id) => {
      if (d.traffic.entries(id).at(-1)?.source !== 'send') requests++;
      render();
    }),
  );
  refresh();
  item.show();
  void vscode.commands.executeCommand('setContext', GATEWAY_CONTEXT, true);
  d.log.info('gateway', ours(`listening on 127.0.0.1:${g.port}; ${exposed().length} connection(s) exposed`));
  let stopping: Promise<void> | undefined;
  return {
    port: g.port,
    key: g.key,
    exposed,
    baseUrl: (id) => g.baseUrl(id),
    keyedBaseUrl: (id) => g.keyedBaseUrl(id),
    get requests() {
      return requests;
    },
    stop() {
      stopping ??= (async () => {
        for (const s of subs.splice(0)) s.dispose();
        env.clear();
        void vscode.commands.executeCommand('setContext', GATEWAY_CONTEXT, false);
        await g.stop();
        d.log.info('gateway', ours(`stopped (port ${g.port} closed)`));
      })();
      return stopping;
    },
  };
}

/** The folder with `api-auth` (sh) and `api-auth.cmd`: they run the bundled CLI with VS Code's own runtime. */
function binDir(extensionPath: string): string {
  const dir = path.join(extensionPath, 'bin');
  if (process.platform !== 'win32') {
    // A package tool that dropped the executable bit would leave `api-auth: Permission denied` in every terminal.
    const sh = path.join(dir, 'api-auth');
    try {
      fs.accessSync(sh, fs.constants.X_OK);
    } catch {
      try {
        fs.chmodSync(sh, 0o755);
      } catch {
        // read-only install: the terminals say so when it is run
      }
    }
  }
  return dir;
}

/** A renewal through the gateway needs a person: one notification with Log In (per connection, at most every 30 s). */
function offerLogin(d: GatewayDeps, offered: Map<string, number>, id: string, kind: string): void {
  const now = Date.now();
  if (now - (offered.get(id) ?? 0) < LOGIN_OFFER_MS) return;
  offered.set(id, now);
  const conn = d.store.get(id);
  const why = kind === 'twoFactorRequired' ? 'a two-factor code' : kind === 'loginNeeded' ? 'no stored secret' : kind;
  const text = oneLineText(`Gateway: connection ${conn?.label || id} needs a login (${why}).`);
  d.log.info('gateway', wording`${outside(id)} needs a login (${why})`);
  void vscode.window.showWarningMessage(text, 'Log In').then((pick) => pick && vscode.commands.executeCommand(Commands.login, id));
}

/** The Gateway… menu: start or stop, copy a base URL or the key, show the traffic, open the settings. */
export async function gatewayMenu(svc: GatewayControl): Promise<void> {
  type Item = vscode.QuickPickItem & { run?: () => Thenable<unknown> | Promise<unknown> };
  const gw = svc.running;
  const copy = (text: string, what: string) => async () => {
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage(`$(clippy) ${what} copied`, 3000);
  };
  const items: Item[] = gw
    ? [
        { label: '$(debug-stop) Stop Gateway', description: `127.0.0.1:${gw.port}`, run: () => svc.stop() },
        { label: '$(key) Copy Gateway Key', description: 'send it as the X-Api-Auth-Key header', run: copy(gw.key, 'Gateway key') },
        { label: 'Base URLs', kind: vscode.QuickPickItemKind.Separator },
        ...gw
          .exposed()
          .map((id): Item => ({ label: `$(clippy) ${oneLineText(id)}`, description: gw.baseUrl(id), run: copy(gw.baseUrl(id), `Base URL of ${id}`) })),
        { label: '', kind: vscode.QuickPickItemKind.Separator },
      ]
    : [{ label: '$(play) Start Gateway', description: 'on 127.0.0.1, for this window', run: () => svc.start() }];
  items.push(
    { label: '$(list-flat) Show Traffic', run: () => vscode.commands.executeCommand(`${VIEW_CONNECTIONS}.focus`) },
    { label: '$(settings-gear) Gateway Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'authExplorer.gateway') },
  );
  const chosen = await vscode.window.showQuickPick(items, { title: 'API Auth Gateway', placeHolder: gw ? `Running on 127.0.0.1:${gw.port}` : 'Not running' });
  await chosen?.run?.();
}

// The Token Details webview panels: one per connection, revived after a reload by the serializer. The HTML holds no
// data; the page asks with `ready` and gets the TokenView by postMessage, and again whenever the source says its
// connection changed. The only secret that ever reaches the page is the token itself, and only when the user clicks
// Reveal.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { type FromPage, type PageState, type ToPage, type TokenView, parseFromPage } from '../../shared/protocol';
import { Disposable } from '../../core/lifecycle';
import { errorMessage, isAuthError } from '../../core/errors';
import { scrubbed } from '../../core/wording';

const DETAILS_VIEW_TYPE = 'authExplorer.tokenDetails';

/** Where the panels get their data and how they act. The panels never see a Session or a secret store. */
export interface DetailsSource {
  /** undefined: the connection no longer exists. */
  view(connectionId: string): TokenView | undefined;
  /** A connection's session/state changed (undefined = all). */
  readonly onDidChange: vscode.Event<string | undefined>;
  /** The raw token, only for Reveal. */
  token(connectionId: string): string | undefined;
  copy(connectionId: string, what: 'token' | 'header' | 'curl'): Promise<void>;
  refresh(connectionId: string): Promise<void>;
  login(connectionId: string): Promise<void>;
}

/** What a page was last sent (for tests: "what does the page show now"). */
interface PostedSession {
  view: TokenView | null;
  now: number;
}

const COPIED: Record<'token' | 'header' | 'curl', string> = {
  token: 'Token copied to the clipboard.',
  header: 'Header copied to the clipboard.',
  curl: 'curl command copied to the clipboard.',
};

export class TokenDetailsPanels extends Disposable {
  private readonly panels = new Map<string, DetailsPanel>();
  private readonly posted = new Map<string, PostedSession>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly source: DetailsSource,
    private readonly clock: () => number = Date.now,
  ) {
    super();
    this.register(
      source.onDidChange((connectionId) => {
        if (connectionId === undefined) for (const p of this.panels.values()) p.update();
        else this.panels.get(connectionId)?.update();
      }),
    );
  }

  /** Opens the connection's panel, or brings the existing one to the front. */
  show(connectionId: string, column?: vscode.ViewColumn): void {
    if (this.isDisposed) return;
    const existing = this.panels.get(connectionId);
    if (existing) {
      existing.panel.reveal(column ?? existing.panel.viewColumn);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      DETAILS_VIEW_TYPE,
      titleFor(this.source.view(connectionId), connectionId),
      column ?? vscode.ViewColumn.Active,
      { ...this.webviewOptions(), enableFindWidget: true },
    );
    this.adopt(panel, connectionId);
  }

  /** Brings back the panels of the last session after a reload, from the page state `{ connectionId }`. */
  registerSerializer(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(DETAILS_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => this.revive(panel, state),
    });
  }

  /** Adopts a panel VS Code restored. A panel without a usable state, or a second one for a connection, is closed. */
  revive(panel: vscode.WebviewPanel, state: unknown): void {
    const connectionId = connectionIdOf(state);
    if (this.isDisposed || connectionId === undefined) {
      panel.dispose();
      return;
    }
    const existing = this.panels.get(connectionId);
    if (existing) {
      panel.dispose();
      existing.panel.reveal();
      return;
    }
    panel.webview.options = this.webviewOptions();
    panel.title = titleFor(this.source.view(connectionId), connectionId);
    this.adopt(panel, connectionId);
  }

  /** The last `session` message the connection's page received (undefined: none since the panel opened). */
  lastPosted(connectionId: string): PostedSession | undefined {
    return this.posted.get(connectionId);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
    this.posted.clear();
    super.dispose();
  }

  private webviewOptions(): vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel, connectionId: string): void {
    const p = new DetailsPanel(panel, connectionId, this.extensionUri, this.source, this.clock, {
      posted: (msg) => this.posted.set(connectionId, msg),
      closed: () => {
        if (this.panels.get(connectionId) === p) this.panels.delete(connectionId);
        this.posted.delete(connectionId);
      },
    });
    this.panels.set(connectionId, p);
  }
}

interface PanelHost {
  posted(msg: PostedSession): void;
  closed(): void;
}

/** One panel for one connection. */
class DetailsPanel extends Disposable {
  /** The page has said `ready` since it was (re)loaded; messages before that would be lost. */
  private ready = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly connectionId: string,
    extensionUri: vscode.Uri,
    private readonly source: DetailsSource,
    private readonly clock: () => number,
    private readonly host: PanelHost,
  ) {
    super();
    const webview = panel.webview;
    this.register(
      panel.onDidDispose(() => this.dispose()),
      // Without retainContextWhenHidden a hidden page is torn down; it says `ready` again when shown.
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) this.ready = false;
      }),
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
    );
    webview.html = detailsHtml({
      cspSource: webview.cspSource,
      nonce: crypto.randomBytes(16).toString('base64'),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'details.css')).toString(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.js')).toString(),
    });
  }

  /** Sends the current view, when the page is there to receive it. */
  update(): void {
    if (this.isDisposed) return;
    const view = this.source.view(this.connectionId) ?? null;
    this.panel.title = titleFor(view ?? undefined, this.connectionId);
    if (!this.ready) return;
    const msg: PostedSession = { view, now: this.clock() };
    this.post({ type: 'session', ...msg }).then(
      (delivered) => {
        if (delivered && !this.isDisposed) this.host.posted(msg);
      },
      () => undefined,
    );
  }

  private receive(raw: unknown): void {
    const msg: FromPage | undefined = parseFromPage(raw);
    if (!msg || this.isDisposed) return;
    const id = this.connectionId;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.update();
        return;
      case 'reveal': {
        const token = this.source.token(id);
        void this.post(token ? { type: 'revealed', token } : { type: 'notice', text: 'There is no token to reveal.' });
        return;
      }
      case 'copy':
        void this.run('Copy failed', () => this.source.copy(id, msg.what), COPIED[msg.what]);
        return;
      case 'refresh':
        void this.run('Refresh failed', () => this.source.refresh(id));
        return;
      case 'login':
        void this.run('Login failed', () => this.source.login(id));
        return;
    }
  }

  /** Runs a page action; a failure becomes a notice on the page. The page always gets the state afterwards. */
  private async run(failure: string, action: () => Promise<void>, success?: string): Promise<void> {
    try {
      await action();
      if (success) await this.post({ type: 'notice', text: success });
    } catch (e) {
      const token = this.source.token(this.connectionId);
      // Our words stay whole; only the error's outside parts are scrubbed of the token.
      await this.post({ type: 'notice', text: `${failure}: ${scrubbed(isAuthError(e) ? e.wording : errorMessage(e), token ? [token] : [])}` });
    } finally {
      this.update();
    }
  }

  private post(msg: ToPage): Thenable<boolean> {
    if (this.isDisposed) return Promise.resolve(false);
    try {
      return this.panel.webview.postMessage(msg);
    } catch {
      // The webview went away between the check and the call.
      return Promise.resolve(false);
    }
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.host.closed();
    super.dispose();
    this.panel.dispose();
  }
}

function titleFor(view: TokenView | undefined, connectionId: string): string {
  return view ? `Token: ${view.label}` : `Token: ${connectionId} (removed)`;
}

function connectionIdOf(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const id = (state as Partial<PageState>).connectionId;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** The page's HTML: a strict CSP, one nonce'd script, one stylesheet and no data at all. */
function detailsHtml(p: { cspSource: string; nonce: string; styleUri: string; scriptUri: string }): string {
  const csp = [
    "default-src 'none'",
    `style-src ${p.cspSource}`,
    `script-src 'nonce-${p.nonce}'`,
    `img-src ${p.cspSource} data:`,
    `font-src ${p.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${p.styleUri}">
  <title>Token details</title>
</head>
<body>
  <main id="app" aria-busy="true"><p class="loading">Loading…</p></main>
  <script nonce="${p.nonce}" src="${p.scriptUri}"></script>
</body>
</html>`;
}

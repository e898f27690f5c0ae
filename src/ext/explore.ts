// Send Request: pick a call, send it through the engine (auth attached and renewed), show the answer read-only.
import * as vscode from 'vscode';
import { AuthError, errorMessage, isAuthError, truncate } from '../core/errors';
import { sessionSecrets } from '../core/session';
import { slug } from '../core/util';
import {
  checkRequestTarget,
  describe,
  fillSample,
  renderResponse,
  renderResponseCounted,
  responseFormat,
  staysOnOrigin,
  stripSecrets,
} from '../engine/requests';
import type { ApiResponse, CallResult, ConnectionConfig, ExploreRequest } from '../core/types';
import { loggedTarget } from '../engine/gatewayGuard';
import type { RenewalNote, TrafficLog } from '../engine/traffic';
import type { Log } from './log';
import type { SessionService } from './sessions';
import { ADAPTERS } from '../vendors';
import { Disposable, toDisposable } from '../core/lifecycle';
import { ResponseTexts } from './responseTexts';
import { oneLineText } from '../core/untrusted';
import { outside, wording } from '../core/wording';

const RESPONSE_SCHEME = 'api-auth-response';
const RECENT_KEY = 'authExplorer.recentRequests';
const MAX_RECENT = 10;
/** Rendered answers kept for documents no longer open (an open document always keeps its own). */
const MAX_KEPT_RESPONSES = 20;
/** Context key: the active editor shows an answer with masked secret-named fields (package.json menus use it). */
const MASKED_CONTEXT = 'authExplorer.answerMasked';

interface SentRequest {
  connectionId: string;
  request: ExploreRequest;
  response: ApiResponse;
  uri: vscode.Uri;
  /** How many secret-named fields the document shows masked. */
  maskedFields: number;
}

/** What a response document with masked fields can show on request: its answer rendered raw. */
interface RawSource {
  uri: vscode.Uri;
  render(): string;
}

export class Explorer extends Disposable {
  private readonly texts = new ResponseTexts(MAX_KEPT_RESPONSES, (key) => vscode.workspace.textDocuments.some((d) => d.uri.toString() === key));
  /**
   * Per masked response document (its URI), how to render its answer raw: only while the document is kept (the
   * answer is already held by the closure; nothing more is stored, and nothing raw until the user asks).
   */
  private readonly raw = new Map<string, RawSource>();
  private counter = 0;
  /** The last exchange (for tests). */
  last: SentRequest | undefined;
  /** Per connection, the last request sent in this window, as sent (Copy as curl repeats it). */
  private readonly lastSent = new Map<string, ExploreRequest>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly sessions: SessionService,
    private readonly log: Log,
    /** Where Send Request's calls are recorded (the Traffic nodes). */
    private readonly traffic?: TrafficLog,
  ) {
    super();
    this.register(
      vscode.workspace.registerTextDocumentContentProvider(RESPONSE_SCHEME, {
        provideTextDocumentContent: (uri) => this.texts.get(uri.toString()) ?? '(this response is no longer available)',
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme !== RESPONSE_SCHEME) return;
        this.texts.closed(doc.uri.toString());
        if (!this.texts.has(doc.uri.toString())) this.raw.delete(doc.uri.toString());
      }),
      // The editor title's Show Raw Answer button appears on answers that have masked fields.
      vscode.window.onDidChangeActiveTextEditor((editor) => this.updateMaskedContext(editor?.document.uri)),
      toDisposable(() => {
        this.texts.clear();
        this.raw.clear();
      }),
    );
  }

  /** Whether the rendered answer behind a response document is still kept (tests read this). */
  keeps(uri: vscode.Uri): boolean {
    return this.texts.has(uri.toString());
  }

  /** The request Copy as curl shows: the last one sent on this connection in this window, if any. */
  lastRequest(connectionId: string): ExploreRequest | undefined {
    return this.lastSent.get(connectionId);
  }

  recent(connectionId: string): ExploreRequest[] {
    const all = this.context.globalState.get<Record<string, ExploreRequest[]>>(RECENT_KEY, {});
    return Array.isArray(all[connectionId]) ? all[connectionId] : [];
  }

  private async remember(connectionId: string, req: ExploreRequest): Promise<void> {
    const all = { ...this.context.globalState.get<Record<string, ExploreRequest[]>>(RECENT_KEY, {}) };
    const clean = stripSecrets(req);
    const key = JSON.stringify(clean);
    all[connectionId] = [clean, ...(all[connectionId] ?? []).filter((r) => JSON.stringify(r) !== key)].slice(0, MAX_RECENT);
    await this.context.globalState.update(RECENT_KEY, all);
  }

  /** Asks for the call (recent, samples, or custom), sends it, opens the answer. */
  async send(conn: ConnectionConfig, preset?: ExploreRequest): Promise<SentRequest | undefined> {
    const req = preset ?? (await this.askRequest(conn));
    return this.execute(conn, req);
  }

  async execute(conn: ConnectionConfig, req: ExploreRequest): Promise<SentRequest> {
    // Refused before the login below could ask for a password for a call that would never be sent.
    checkRequestTarget(conn, req);
    await this.sessions.restore();
    if (!this.sessions.get(conn.id)) await this.sessions.login(conn);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: oneLineText(`${conn.label || conn.id}: ${describe(req)}`), cancellable: true },
      async (_p, token) => {
        const abort = new AbortController();
        const cancel = token.onCancellationRequested(() => abort.abort());
        try {
          return await this.recorded(conn.id, req, () => this.sessions.manager.request(conn, req, { signal: abort.signal }));
        } finally {
          cancel.dispose();
        }
      },
    );
    await this.remember(conn.id, req);
    const n = ++this.counter;
    const name = `/${conn.id}/${n}-${slug(describe(req)) || 'request'}`;
    const uri = vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `${name}.${responseFormat(result.response)}` });
    const tokens = sessionSecrets(result.session);
    const shown = renderResponseCounted(conn, req, result.response, tokens);
    this.texts.add(uri.toString(), shown.text);
    for (const k of this.raw.keys()) if (!this.texts.has(k)) this.raw.delete(k);
    if (shown.maskedFields) {
      const rawUri = vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `${name}-raw.${responseFormat(result.response)}` });
      this.raw.set(uri.toString(), { uri: rawUri, render: () => renderResponse(conn, req, result.response, tokens, { raw: true }) });
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    this.updateMaskedContext(uri);
    this.log.info('explore', wording`${conn.id}: ${outside(describe(req))} → ${result.response.status} in ${result.response.durationMs} ms`);
    this.last = { connectionId: conn.id, request: req, response: result.response, uri, maskedFields: shown.maskedFields };
    this.lastSent.set(conn.id, req);
    return this.last;
  }

  /** Runs the call and records it in the traffic log: method, path without query values, status, time, renewal. */
  private async recorded(connectionId: string, req: ExploreRequest, call: () => Promise<CallResult>): Promise<CallResult> {
    const at = Date.now();
    const [method, path] = req.kind === 'rpc' ? ['RPC', req.method] : [req.method, loggedTarget(req.path)];
    const add = (status: number, extra: { renewal?: RenewalNote; error?: string }) =>
      this.traffic?.add(connectionId, { at, source: 'send', method, path, status, durationMs: Date.now() - at, ...extra });
    try {
      const result = await call();
      add(result.response.status, result.renewal ? { renewal: result.renewal } : {});
      return result;
    } catch (e) {
      if (!isAuthError(e) || e.kind !== 'cancelled') add(isAuthError(e) ? (e.details.status ?? 0) : 0, { error: isAuthError(e) ? e.kind : 'unexpected' });
      throw e;
    }
  }

  /**
   * Show Raw Answer: the answer of a response document (the one given, else the active editor's) with its
   * secret-named fields as they came, in a document of its own beside it. Asked on purpose; never logged.
   */
  async showRaw(arg?: unknown): Promise<vscode.Uri> {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== RESPONSE_SCHEME) {
      throw new AuthError('config', 'no Send Request answer is open', { nextStep: 'open the answer document first (API Auth: Send Request…)' });
    }
    const source = this.raw.get(uri.toString());
    if (!source) {
      const why = this.texts.has(uri.toString()) ? 'this answer has no masked fields' : 'this answer is no longer kept';
      throw new AuthError('config', why, { nextStep: 'send the request again to see its answer' });
    }
    this.texts.add(source.uri.toString(), source.render());
    const doc = await vscode.workspace.openTextDocument(source.uri);
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    return source.uri;
  }

  private updateMaskedContext(uri: vscode.Uri | undefined): void {
    void vscode.commands.executeCommand('setContext', MASKED_CONTEXT, !!uri && this.raw.has(uri.toString()));
  }

  private async askRequest(conn: ConnectionConfig): Promise<ExploreRequest> {
    const adapter = ADAPTERS[conn.vendor];
    type Item = vscode.QuickPickItem & { req?: ExploreRequest };
    const items: Item[] = [];
    // A remembered request that would leave the server (stored by an older version, or the baseUrl changed since) is
    // not offered; the engine would refuse it anyway.
    const recent = this.recent(conn.id).filter((r) => staysOnOrigin(conn, r));
    if (recent.length) {
      items.push({ label: 'Recent', kind: vscode.QuickPickItemKind.Separator });
      for (const r of recent) items.push({ label: `$(history) ${oneLineText(describe(r))}`, detail: bodyPreview(r), req: r });
    }
    items.push({ label: 'Read-only calls', kind: vscode.QuickPickItemKind.Separator });
    const session = this.sessions.get(conn.id);
    for (const sample of adapter.sampleRequests) {
      const r = fillSample(sample, conn, session);
      items.push({ label: `$(play) ${oneLineText(describe(r))}`, detail: bodyPreview(r), req: r });
    }
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: conn.vendor === 'cove' ? '$(edit) Other JSON-RPC method…' : '$(edit) Other request…' });
    const chosen = await vscode.window.showQuickPick(items, {
      title: `Send Request — ${conn.label || conn.id}`,
      placeHolder:
        conn.vendor === 'cove' ? 'Pick a JSON-RPC call (the visa is added and renewed for you)' : 'Pick a request (auth is attached and renewed for you)',
      matchOnDetail: true,
    });
    if (!chosen) throw new AuthError('cancelled', 'cancelled');
    if (chosen.req) return chosen.req;
    return conn.vendor === 'cove' ? askRpc() : askRest(conn);
  }
}

async function askRpc(): Promise<ExploreRequest> {
  const method = await vscode.window.showInputBox({
    title: 'JSON-RPC method',
    prompt: 'e.g. EnumeratePartners, GetPartnerInfo, EnumerateAccountStatistics',
    validateInput: (v) => (/^[A-Za-z][A-Za-z0-9_.]*$/.test(v.trim()) ? undefined : 'A method name: letters and digits.'),
  });
  if (!method) throw new AuthError('cancelled', 'cancelled');
  const params = await askJson(`params of ${method.trim()}`, '{}');
  return { kind: 'rpc', method: method.trim(), params };
}

async function askRest(conn: ConnectionConfig): Promise<ExploreRequest> {
  const line = await vscode.window.showInputBox({
    title: 'Request',
    prompt: `METHOD /path relative to ${conn.baseUrl}`,
    value: 'GET /',
    valueSelection: [4, 5],
    validateInput: (v) => {
      if (!/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+\S+$/i.test(v.trim())) return 'Write it as: GET /path';
      // The engine's one-origin rule, said while typing (the engine applies it again when the request is sent).
      try {
        checkRequestTarget(conn, { kind: 'rest', method: 'GET', path: v.trim().split(/\s+/)[1] });
        return undefined;
      } catch (e) {
        return errorMessage(e);
      }
    },
  });
  if (!line) throw new AuthError('cancelled', 'cancelled');
  const [method, path] = line.trim().split(/\s+/);
  const upper = method.toUpperCase();
  if (upper === 'GET' || upper === 'HEAD' || upper === 'DELETE') return { kind: 'rest', method: upper, path };
  const body = await askJson('request body', conn.vendor === 'ipcortex' ? '{}' : '');
  return { kind: 'rest', method: upper, path, ...(body === undefined ? {} : { body }) };
}

async function askJson(what: string, value: string): Promise<unknown> {
  const text = await vscode.window.showInputBox({
    title: `JSON ${what}`,
    prompt: 'JSON (leave empty for none)',
    value,
    validateInput: (v) => {
      if (!v.trim()) return undefined;
      try {
        JSON.parse(v);
        return undefined;
      } catch (e) {
        return `Not valid JSON: ${errorMessage(e)}`;
      }
    },
  });
  if (text === undefined) throw new AuthError('cancelled', 'cancelled');
  return text.trim() ? (JSON.parse(text) as unknown) : undefined;
}

function bodyPreview(req: ExploreRequest): string | undefined {
  const b = req.kind === 'rpc' ? req.params : req.body;
  // Samples are filled from the session (ids a server sent): one line, whatever they hold.
  return b === undefined ? undefined : oneLineText(truncate(JSON.stringify(b), 100));
}

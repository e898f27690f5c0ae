// npm run bench — measures the budgets (never as timed tests):
//   1. bundle sizes (dist/extension.js ≤ 200 KB minified)
//   2. activate() time of the production bundle against a minimal in-process VS Code API (≤ 10 ms), 40 fresh loads
//   3. activate() time measured inside the real VS Code by the integration suite (test-results/metrics.json)
//   4. engine round trips against the loopback vendor servers (login and one authenticated call, per vendor)
// Prints a table and exits 1 when a budget is exceeded. Needs `npm run build:prod` and `npm run compile-tests`.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const BUDGET = { extensionBytes: 200 * 1024, activateMs: 10 };
let failed = false;
const rows = [];
const row = (what, value, budget, ok) => {
  rows.push({ what, value, budget: budget ?? '', ok: ok === undefined ? '' : ok ? 'ok' : 'OVER' });
  if (ok === false) failed = true;
};

// 1. sizes
for (const f of ['dist/extension.js', 'media/webview.js', 'dist/xml.js', 'dist/cli.js']) {
  const p = path.join(root, f);
  if (!fs.existsSync(p)) throw new Error(`${p} missing: run npm run build:prod`);
  const kb = fs.statSync(p).size / 1024;
  const main = f === 'dist/extension.js';
  row(f, `${kb.toFixed(1)} KB`, main ? '≤ 200 KB' : undefined, main ? kb * 1024 <= BUDGET.extensionBytes : undefined);
}

// 2. activate() against a minimal VS Code API stand-in (what our own code costs)
const Module = require('node:module');
const stub = makeVscodeStub();
const origResolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode') return 'vscode';
  return origResolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub };
const samples = [];
const loads = [];
for (let i = 0; i < 40; i++) {
  const file = path.join(root, 'dist', 'extension.js');
  delete require.cache[file];
  const l0 = performance.now();
  const ext = require(file);
  loads.push(performance.now() - l0);
  const ctx = fakeContext();
  const t0 = performance.now();
  ext.activate(ctx);
  samples.push(performance.now() - t0);
  for (const d of ctx.subscriptions) d.dispose?.();
}
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const p95 = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length * 0.95)];
row('activate() median (stub host, 40 runs)', `${med(samples).toFixed(2)} ms`, '≤ 10 ms', med(samples) <= BUDGET.activateMs);
row('activate() p95 (stub host)', `${p95(samples).toFixed(2)} ms`);
row('require(dist/extension.js) median', `${med(loads).toFixed(2)} ms`);

// 3. real VS Code (written by the integration suite)
const metrics = path.join(root, 'test-results', 'metrics.json');
if (fs.existsSync(metrics)) {
  const m = JSON.parse(fs.readFileSync(metrics, 'utf8'));
  if (typeof m.activationMs === 'number') {
    row(
      `activate() in real VS Code ${m.vscodeVersion ?? ''} (last integration run)`,
      `${m.activationMs.toFixed(2)} ms`,
      '≤ 10 ms',
      m.activationMs <= BUDGET.activateMs,
    );
  }
} else {
  row('activate() in real VS Code', 'not measured yet (run npm test)');
}

// 4. engine round trips against the loopback vendors
const { startMockVendors } = require(path.join(root, 'out/test/mock-vendors/server.js'));
const { SessionManager } = require(path.join(root, 'out/src/engine/manager.js'));
const { ADAPTERS } = require(path.join(root, 'out/src/vendors/index.js'));
const { ACCOUNTS } = require(path.join(root, 'out/test/mock-vendors/accounts.js'));
const mock = await startMockVendors({ lifetimes: { datarheiBadLoginDelayMs: 0 } });
const conns = [
  [
    { id: 'cove', vendor: 'cove', baseUrl: mock.baseUrl('cove'), partner: ACCOUNTS.cove.partner, username: ACCOUNTS.cove.username },
    ACCOUNTS.cove.password,
    { kind: 'rpc', method: 'EnumeratePartners', params: {} },
  ],
  [
    { id: 'cv', vendor: 'commvault', baseUrl: mock.baseUrl('commvault'), username: 'admin' },
    ACCOUNTS.commvault.password,
    { kind: 'rest', method: 'POST', path: '/WhoAmI' },
  ],
  [
    { id: 'cvx', vendor: 'commvault', baseUrl: mock.baseUrl('commvault'), username: 'admin', format: 'xml' },
    ACCOUNTS.commvault.password,
    { kind: 'rest', method: 'POST', path: '/WhoAmI' },
  ],
  [
    { id: 'ipc', vendor: 'ipcortex', baseUrl: mock.baseUrl('ipcortex'), username: 'alice' },
    ACCOUNTS.ipcortex.password,
    { kind: 'rest', method: 'POST', path: '/rest/user/list', body: {} },
  ],
  [
    { id: 'c42', vendor: 'code42', baseUrl: mock.baseUrl('code42'), username: ACCOUNTS.code42.username },
    ACCOUNTS.code42.password,
    { kind: 'rest', method: 'GET', path: '/api/User/my' },
  ],
  [
    { id: 'dr', vendor: 'datarhei', baseUrl: mock.baseUrl('datarhei'), username: 'admin' },
    ACCOUNTS.datarhei.password,
    { kind: 'rest', method: 'GET', path: '/api/v3/process' },
  ],
];
for (const [conn, secret, req] of conns) {
  const m = new SessionManager({ adapters: ADAPTERS, getSecret: async () => secret });
  const logins = [];
  const calls = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await m.login(conn, { secret });
    logins.push(performance.now() - t0);
    const t1 = performance.now();
    await m.request(conn, req);
    calls.push(performance.now() - t1);
  }
  row(`${conn.id}: login / authenticated call (median of 20, loopback)`, `${med(logins).toFixed(2)} ms / ${med(calls).toFixed(2)} ms`);
}
await mock.close();

const w = Math.max(...rows.map((r) => r.what.length));
for (const r of rows) console.log(`${r.what.padEnd(w)}  ${String(r.value).padEnd(22)} ${String(r.budget).padEnd(10)} ${r.ok}`);
if (failed) {
  console.error('bench: a budget is exceeded');
  process.exit(1);
}

// ---- a minimal VS Code API: enough surface for activate() to wire everything, no behaviour ----
function makeVscodeStub() {
  class EventEmitter {
    listeners = new Set();
    event = (l) => {
      this.listeners.add(l);
      return { dispose: () => this.listeners.delete(l) };
    };
    fire(v) {
      for (const l of this.listeners) l(v);
    }
    dispose() {
      this.listeners.clear();
    }
  }
  const disposable = { dispose() {} };
  const event = () => disposable;
  const config = { get: (_k, d) => d, inspect: () => ({}), update: async () => undefined };
  class TreeItem {
    constructor(label, state) {
      this.label = label;
      this.collapsibleState = state;
    }
  }
  class ThemeIcon {
    constructor(id, color) {
      this.id = id;
      this.color = color;
    }
  }
  class ThemeColor {
    constructor(id) {
      this.id = id;
    }
  }
  class MarkdownString {
    constructor(v = '') {
      this.value = v;
    }
    appendMarkdown(s) {
      this.value += s;
      return this;
    }
  }
  return {
    EventEmitter,
    TreeItem,
    ThemeIcon,
    ThemeColor,
    MarkdownString,
    Disposable: { from: () => disposable },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    ConfigurationTarget: { Global: 1, Workspace: 2 },
    ViewColumn: { Beside: -2 },
    ProgressLocation: { Window: 10, Notification: 15 },
    Uri: { joinPath: (...p) => ({ path: p.join('/') }), from: (o) => o },
    window: {
      createOutputChannel: () => ({ info() {}, warn() {}, error() {}, trace() {}, show() {}, dispose() {} }),
      createTreeView: () => ({ visible: false, onDidChangeVisibility: event, dispose() {} }),
      createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
      registerWebviewPanelSerializer: () => disposable,
      onDidChangeActiveTextEditor: event,
    },
    workspace: {
      getConfiguration: () => config,
      onDidChangeConfiguration: event,
      onDidGrantWorkspaceTrust: event,
      isTrusted: true,
      registerTextDocumentContentProvider: () => disposable,
      onDidCloseTextDocument: event,
      textDocuments: [],
      workspaceFolders: undefined,
    },
    commands: { registerCommand: () => disposable, executeCommand: async () => undefined },
    env: { clipboard: { writeText: async () => undefined } },
  };
}

function fakeContext() {
  const memento = { get: (_k, d) => d, update: async () => undefined, keys: () => [] };
  return {
    subscriptions: [],
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
    workspaceState: memento,
    globalState: memento,
    extensionUri: { path: root },
    extensionMode: 1,
    logUri: { fsPath: path.join(root, '.bench-logs') },
  };
}

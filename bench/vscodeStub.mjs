// A minimal VS Code API for loading the production bundle (dist/extension.js) in plain Node: enough surface for
// activate() to wire everything, no behaviour. `connections` is what the settings hold (user scope), `treeVisible`
// whether the Connections view is shown (the tree ticks only then).
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { root } from './util.mjs';

const require = createRequire(import.meta.url);
const stub = { current: undefined };

/** Makes `require('vscode')` return the stub (once per process) and sets what it holds. */
export function installVscodeStub(opts = {}) {
  const Module = require('node:module');
  if (!stub.installed) {
    const origResolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      if (request === 'vscode') return 'vscode';
      return origResolve.call(this, request, ...rest);
    };
    stub.installed = true;
  }
  stub.current = makeVscodeStub(opts);
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub.current };
  return stub.current;
}

/** A fresh load of dist/extension.js; returns { ext, loadMs }. */
export function loadExtension() {
  const file = path.join(root, 'dist', 'extension.js');
  delete require.cache[file];
  const t0 = performance.now();
  const ext = require(file);
  return { ext, loadMs: performance.now() - t0 };
}

function makeVscodeStub({ connections = [], treeVisible = false } = {}) {
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
  const config = {
    get: (k, d) => (k === 'connections' ? connections : d),
    inspect: (k) => (k === 'connections' ? { key: 'authExplorer.connections', globalValue: connections } : {}),
    update: async () => undefined,
  };
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
    constructor(v = '', supportThemeIcons = false) {
      this.value = v;
      this.supportThemeIcons = supportThemeIcons;
    }
    appendMarkdown(s) {
      this.value += s;
      return this;
    }
    appendText(s) {
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
    ViewColumn: { Beside: -2, Active: -1 },
    ProgressLocation: { Window: 10, Notification: 15 },
    QuickPickItemKind: { Separator: -1, Default: 0 },
    TextEditorRevealType: { InCenter: 2 },
    Uri: { joinPath: (...p) => ({ path: p.map((x) => x.path ?? x).join('/') }), from: (o) => o, file: (p) => ({ fsPath: p, path: p }) },
    window: {
      createOutputChannel: () => ({ info() {}, warn() {}, error() {}, trace() {}, debug() {}, appendLine() {}, show() {}, dispose() {}, logLevel: 3 }),
      createTreeView: () => ({ visible: treeVisible, onDidChangeVisibility: event, dispose() {} }),
      createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
      registerWebviewPanelSerializer: () => disposable,
      onDidChangeActiveTextEditor: event,
      setStatusBarMessage: () => disposable,
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
    authentication: { registerAuthenticationProvider: () => disposable, onDidChangeSessions: event },
    env: { clipboard: { writeText: async () => undefined } },
  };
}

/** An ExtensionContext stand-in; `mode` 3 (Test) makes activate() return its test API. */
export function fakeContext(mode = 1) {
  const memento = { get: (_k, d) => d, update: async () => undefined, keys: () => [] };
  return {
    subscriptions: [],
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
    workspaceState: memento,
    globalState: memento,
    extensionUri: { path: root },
    extensionMode: mode,
    extensionPath: root,
    environmentVariableCollection: { persistent: true, description: '', replace() {}, append() {}, prepend() {}, get() {}, delete() {}, clear() {} },
    logUri: { fsPath: path.join(root, '.bench-logs') },
  };
}

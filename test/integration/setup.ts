// Shared by the extension-*.test.ts files (one extension host runs them all, in name order): the extension
// activated once, the loopback vendor servers started once (in this process), the helpers the suites use, and
// SECRETS, which the last suite sweeps for leaks. `api` and `mock` are live bindings set by setup(); each file
// calls `before(setup)`, and only the first call does the work. The clean-up is one root `after` hook,
// registered when the first test file loads this module, so it runs once, after every suite.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../../src/core/types';
import type { TestApi } from '../../src/ext/extension';
import type { Node } from '../../src/ext/tree';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { type MockVendors, startMockVendors } from '../mock-vendors/server';
import { uiStep } from './ui';

export const EXTENSION_ID = 'api-auth-explorer.api-auth-explorer';
export const STATUS_SELECTOR = `.statusbar-item[id="${EXTENSION_ID}.authExplorer.status"]`;
export const WEBVIEW = ['iframe.webview', '#active-frame'];

interface Pkg {
  activationEvents?: string[];
  contributes: { commands: { command: string }[]; menus: Record<string, { command: string; when?: string }[]> };
}

/** Every secret this suite ever handles: none may show up in settings, state or logs. */
export const SECRETS = new Set<string>();

export async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export let api: TestApi;
export let mock: MockVendors;
const conns: ConnectionConfig[] = [];
export const pkg = () => vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as Pkg;
export const cfg = () => vscode.workspace.getConfiguration('authExplorer');

let started: Promise<void> | undefined;

/** Starts the mock vendors and activates the extension, once for every file that calls it. */
export function setup(): Promise<void> {
  started ??= (async () => {
    mock = await startMockVendors({ datarheiAuth0: true, lifetimes: { datarheiBadLoginDelayMs: 50 } });
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    api = (await ext.activate()) as TestApi;
    assert.ok(api, 'activate() returns the test API in ExtensionMode.Test');
    for (const a of [ACCOUNTS.cove, ACCOUNTS.commvault, ACCOUNTS.ipcortex, ACCOUNTS.code42, ACCOUNTS.datarhei]) SECRETS.add(a.password);
    SECRETS.add(ACCOUNTS.ipcortex.apiKey);
    SECRETS.add(ACCOUNTS.code42.mfa.password);
  })();
  return started;
}

after(async () => {
  if (!started) return;
  await cfg().update('connections', undefined, vscode.ConfigurationTarget.Workspace);
  await cfg().update('connections', undefined, vscode.ConfigurationTarget.Global);
  await mock?.close();
});

/** The configured connection with this id (the vault keys values by connection, with its server and account). */
export const connOf = (id: string): ConnectionConfig => {
  const c = api.store.get(id);
  assert.ok(c, `connection "${id}" is configured`);
  return c;
};
/**
 * How many notifications mention `text`, read from the notification center (with the smoke-test driver the
 * workbench shows no toasts: every notification goes to the center).
 */
export async function notificationsMentioning(text: string): Promise<number> {
  await uiStep({ action: 'click', selector: '[id="status.notifications"]' });
  await uiStep({ action: 'waitFor', selector: '.notifications-center.visible', state: 'visible' });
  const n = Number((await uiStep({ action: 'count', selector: `.notifications-center .notification-list-item:has-text(${JSON.stringify(text)})` })).value);
  await uiStep({ action: 'press', key: 'Escape' });
  await uiStep({ action: 'waitFor', selector: '.notifications-center.visible', state: 'detached' });
  return n;
}
export const rootNodes = () => api.tree.getChildren();
export const nodeOf = (id: string) => rootNodes().find((n): n is Extract<Node, { type: 'connection' }> => n.type === 'connection' && n.conn.id === id);
export const descriptionOf = (id: string) => {
  const n = nodeOf(id);
  return n ? String(api.tree.getTreeItem(n).description ?? '') : undefined;
};

export async function addConnections(list: ConnectionConfig[]): Promise<void> {
  const current = (cfg().inspect<ConnectionConfig[]>('connections')?.workspaceValue ?? []).filter((c) => !list.some((n) => n.id === c.id));
  const stale = api.store.invalid(); // a reload makes a new list
  await cfg().update('connections', [...current, ...list], vscode.ConfigurationTarget.Workspace);
  // An entry the settings check refuses never reaches the store: say why at once instead of timing out.
  const refused = () => (api.store.invalid() === stale ? [] : api.store.invalid().filter((p) => list.some((c) => c.id === p.id)));
  await until('connections in the store', () => list.every((c) => api.store.get(c.id)) || refused().length > 0);
  const problems = refused().filter((p) => !api.store.get(p.id ?? ''));
  assert.deepStrictEqual(problems, [], `the settings check refused: ${JSON.stringify(problems)}`);
  conns.push(...list);
}

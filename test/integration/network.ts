// Helpers of the network suite (extension-5-network.test.ts): the loopback servers in a child process (see
// net-servers.ts for why not in the extension host), VS Code's `http.*` settings changed for one test and put back,
// the test PKI, and the two things a test does with a connection: log in and send a call, or fail and show why.
import * as assert from 'assert';
import { type ChildProcess, fork } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../../src/core/types';
import type { TestProxyOptions } from '../mock-vendors/proxy';
import { BASE_PATHS, type MockVendor, type MockVendorsOptions, TLS_DIR } from '../mock-vendors/server';
import type { NetAnswer, NetCommand } from './net-servers';
import { api, SECRETS, until } from './setup';

/** Files of the test PKI (test/fixtures/tls); the passphrase of the encrypted key and the .pfx. */
export const PKI = {
  ca: path.join(TLS_DIR, 'ca-cert.pem'),
  otherCa: path.join(TLS_DIR, 'other-ca-cert.pem'),
  clientCert: path.join(TLS_DIR, 'client-cert.pem'),
  clientKey: path.join(TLS_DIR, 'client-key.pem'),
  clientKeyEncrypted: path.join(TLS_DIR, 'client-key-encrypted.pem'),
  pfx: path.join(TLS_DIR, 'client.pfx'),
  passphrase: 'fixture-pass',
};

export interface RemoteVendors {
  url: string;
  httpsUrl: string;
  baseUrl(vendor: MockVendor, secure?: boolean): string;
}

export interface RemoteProxy {
  url: string;
  /** The proxy's log so far: "POST http://127.0.0.2:…/…" (plain http, absolute form) or "CONNECT 127.0.0.2:…". */
  log(): Promise<string[]>;
}

export interface NetServers {
  vendors(opts: MockVendorsOptions): Promise<RemoteVendors>;
  proxy(opts?: TestProxyOptions): Promise<RemoteProxy>;
  close(): Promise<void>;
}

type Command = NetCommand extends infer C ? (C extends NetCommand ? Omit<C, 'id'> : never) : never;

/** Forks net-servers.js with a clean environment (no NODE_OPTIONS or inspector flags of the extension host). */
export async function startNetServers(): Promise<NetServers> {
  const child: ChildProcess = fork(path.join(__dirname, 'net-servers.js'), [], {
    execArgv: [],
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  let exited: Error | undefined;
  child.on('message', (a: NetAnswer) => {
    const w = waiting.get(a.id);
    waiting.delete(a.id);
    if (a.ok) w?.resolve(a.value);
    else w?.reject(new Error(`net-servers: ${a.error}`));
  });
  child.on('exit', (code) => {
    exited = new Error(`net-servers exited (${code})`);
    for (const w of waiting.values()) w.reject(exited);
    waiting.clear();
  });
  const call = <T>(c: Command): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(exited);
      const id = ++next;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ ...c, id });
    });
  return {
    async vendors(opts) {
      const { url, httpsUrl } = await call<{ url: string; httpsUrl: string }>({ cmd: 'vendors', opts });
      return { url, httpsUrl, baseUrl: (vendor, secure = false) => `${secure ? httpsUrl : url}${BASE_PATHS[vendor]}` };
    },
    async proxy(opts = {}) {
      const { key, url } = await call<{ key: string; url: string }>({ cmd: 'proxy', opts });
      return { url, log: () => call<string[]>({ cmd: 'log', key }) };
    },
    async close() {
      if (!exited) await call({ cmd: 'close' }).catch(() => undefined);
      if (!exited) await new Promise((r) => child.once('exit', r));
    },
  };
}

// ---------------------------------------------------------------------------------------------------- settings

export type HttpSettings = Partial<Record<'proxy' | 'noProxy' | 'proxySupport', unknown>>;

/**
 * Runs `fn` with VS Code's `http.*` settings set in the user settings (they are application / machine settings:
 * VS Code ignores them in a workspace), then puts back what was there. VS Code's network patch reads them on every
 * request, so a change applies without a reload, once the extension host has received it (waited for here).
 */
export async function withHttpSettings<T>(settings: HttpSettings, fn: () => Promise<T>): Promise<T> {
  const http = () => vscode.workspace.getConfiguration('http');
  const before = Object.keys(settings).map((k) => [k, http().inspect(k)?.globalValue] as const);
  const apply = async (entries: (readonly [string, unknown])[]) => {
    for (const [k, v] of entries) await http().update(k, v, vscode.ConfigurationTarget.Global);
    await until(`http settings ${JSON.stringify(Object.fromEntries(entries))} in the extension host`, () =>
      entries.every(([k, v]) => JSON.stringify(http().inspect(k)?.globalValue) === JSON.stringify(v)),
    );
  };
  await apply(Object.entries(settings));
  try {
    return await fn();
  } finally {
    await apply(before);
  }
}

// ---------------------------------------------------------------------------------------------------- connections

/** Stores the passphrase of a connection's client key in SecretStorage, as the extension keeps it. */
export async function storePassphrase(conn: ConnectionConfig, passphrase: string): Promise<void> {
  SECRETS.add(passphrase);
  // WAITS FOR net-transport: SecretKind 'passphrase' in src/engine/secretVault.ts (key `secretKey(id, 'passphrase')`).
  const vault = api.vault as unknown as { setPassphrase?: (c: ConnectionConfig, v: string) => Promise<boolean> };
  assert.ok(vault.setPassphrase, 'the vault has no setPassphrase(conn, value) yet (SecretKind "passphrase", net-transport)');
  assert.strictEqual(await vault.setPassphrase(conn, passphrase), true, 'the passphrase is stored');
}

/** One plain REST call that needs the session (datarhei: the process list). */
export const CALL = { kind: 'rest', method: 'GET', path: '/api/v3/process' } as const;

/** Logs in through the command and sends one call through Send Request's engine; both must succeed. */
export async function loginAndCall(conn: ConnectionConfig): Promise<void> {
  await vscode.commands.executeCommand('authExplorer.login', conn.id); // guarded: reports, does not throw
  const session = api.sessions.get(conn.id);
  assert.ok(session, `logged in to "${conn.id}" (${api.sessions.uiState(conn.id)?.kind === 'error' ? messageOf(conn.id) : 'no error state'})`);
  SECRETS.add(session.token);
  if (session.refreshToken) SECRETS.add(session.refreshToken);
  const sent = await api.explorer.execute(conn, CALL);
  assert.strictEqual(sent.response.status, 200);
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  await vscode.commands.executeCommand('authExplorer.logout', conn.id);
}

/** Logs in through the command, which must fail: the message the user sees (tree row, notification). */
export async function loginError(conn: ConnectionConfig): Promise<string> {
  await vscode.commands.executeCommand('authExplorer.login', conn.id);
  assert.strictEqual(api.sessions.get(conn.id), undefined, `"${conn.id}" must not log in`);
  await vscode.commands.executeCommand('notifications.clearAll');
  return messageOf(conn.id);
}

function messageOf(id: string): string {
  const ui = api.sessions.uiState(id);
  assert.ok(ui?.kind === 'error', `an error state for "${id}"`);
  return ui.message;
}

/** `^Connection "label": ` — the start of every message about a connection. */
export const about = (conn: ConnectionConfig) => `Connection "${conn.label}": `;

export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

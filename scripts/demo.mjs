// The demo environment behind `npm start` and the end-to-end tests: the loopback vendor servers with one demo
// account per vendor and credential kind, a demo workspace whose settings define the demo connections, and a real
// VS Code (code-server) on 127.0.0.1 with the extension loaded from this folder.
//
//   const demo = await startDemo({ root });   // → { workbenchUrl, connections, credentials, stop }
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCodeServer, workbenchUrl } from './vscode/code-server.mjs';

const require = createRequire(import.meta.url);

/** The demo connections, pointing at the given mock servers (`real`: real lifetimes; `short`: 2-minute datarhei). */
export function demoConnections(real, short, ACCOUNTS) {
  return [
    { id: 'cove-demo', label: 'Cove (Acme)', vendor: 'cove', baseUrl: real.baseUrl('cove'), partner: ACCOUNTS.cove.partner, username: ACCOUNTS.cove.username },
    { id: 'commvault-demo', label: 'Commvault (JSON)', vendor: 'commvault', baseUrl: real.baseUrl('commvault'), username: ACCOUNTS.commvault.username },
    {
      id: 'commvault-xml-demo',
      label: 'SnapProtect (XML, self-signed TLS)',
      vendor: 'commvault',
      baseUrl: real.baseUrl('commvault', true),
      username: ACCOUNTS.commvault.username,
      format: 'xml',
      tls: { rejectUnauthorized: false },
    },
    { id: 'ipcortex-demo', label: 'IPCortex PABX', vendor: 'ipcortex', baseUrl: real.baseUrl('ipcortex'), username: ACCOUNTS.ipcortex.username },
    { id: 'ipcortex-key-demo', label: 'IPCortex (API key)', vendor: 'ipcortex', baseUrl: real.baseUrl('ipcortex'), auth: 'apiKey', apiKeyIn: 'header' },
    { id: 'code42-demo', label: 'Code42', vendor: 'code42', baseUrl: real.baseUrl('code42'), username: ACCOUNTS.code42.username },
    { id: 'code42-2fa-demo', label: 'Code42 (two-factor)', vendor: 'code42', baseUrl: real.baseUrl('code42'), username: ACCOUNTS.code42.mfa.username },
    { id: 'datarhei-demo', label: 'datarhei Core', vendor: 'datarhei', baseUrl: real.baseUrl('datarhei'), username: ACCOUNTS.datarhei.username },
    {
      id: 'datarhei-short-demo',
      label: 'datarhei Core (2-minute token)',
      vendor: 'datarhei',
      baseUrl: short.baseUrl('datarhei'),
      username: ACCOUNTS.datarhei.username,
    },
  ];
}

/** What a person types, per demo connection (fake loopback accounts; see test/mock-vendors/accounts.ts). */
export function demoCredentials(ACCOUNTS) {
  return {
    'cove-demo': ACCOUNTS.cove.password,
    'commvault-demo': ACCOUNTS.commvault.password,
    'commvault-xml-demo': ACCOUNTS.commvault.password,
    'ipcortex-demo': ACCOUNTS.ipcortex.password,
    'ipcortex-key-demo': ACCOUNTS.ipcortex.apiKey,
    'code42-demo': ACCOUNTS.code42.password,
    'code42-2fa-demo': ACCOUNTS.code42.mfa.password,
    'datarhei-demo': ACCOUNTS.datarhei.password,
    'datarhei-short-demo': ACCOUNTS.datarhei.password,
  };
}

/**
 * Starts everything. `workspaceDir` defaults to a fresh temp folder; `extensionsDir` + no development path runs an
 * installed .vsix instead of this folder.
 */
export async function startDemo({ root, workspaceDir, developmentPath = root, extensionsDir, log = (l) => console.log(l), userSettings = {} }) {
  const out = path.join(root, 'out', 'test', 'mock-vendors');
  if (!fs.existsSync(path.join(out, 'server.js'))) throw new Error('out/test/mock-vendors is missing: run `npm run compile-tests`');
  const { startMockVendors } = require(path.join(out, 'server.js'));
  const { ACCOUNTS } = require(path.join(out, 'accounts.js'));
  const real = await startMockVendors({});
  const short = await startMockVendors({ lifetimes: { datarheiAccessSec: 120 } });
  const connections = demoConnections(real, short, ACCOUNTS);

  const ws = workspaceDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'api-auth-demo-'));
  fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), `${JSON.stringify({ 'authExplorer.connections': connections }, null, 2)}\n`);
  fs.writeFileSync(
    path.join(ws, 'README.md'),
    '# API Auth Explorer demo\n\nOpen the **API Auth** view in the activity bar. The connections come from `.vscode/settings.json`;\n' +
      'the demo passwords were printed by `npm start` (they are fake accounts of the loopback vendor servers).\n' +
      'For the Code42 two-factor connection, `npm run totp` prints the current code.\n',
  );

  let server;
  try {
    server = await startCodeServer({
      workspaceDir: ws,
      extensionsDir,
      log: (l) => log(`[code-server] ${l}`),
      userSettings: { 'workbench.startupEditor': 'none', ...userSettings },
    });
  } catch (e) {
    await Promise.all([real.close(), short.close()]);
    throw e;
  }
  const url = workbenchUrl({ url: server.url, folder: ws, payload: developmentPath ? { extensionDevelopmentPath: developmentPath } : undefined });
  let stopped = null;
  const stop = () =>
    (stopped ??= (async () => {
      await server.stop();
      await Promise.all([real.close(), short.close()]);
      if (!workspaceDir) fs.rmSync(ws, { recursive: true, force: true });
    })());
  return { server, workbenchUrl: url, workspaceDir: ws, connections, credentials: demoCredentials(ACCOUNTS), ACCOUNTS, mock: real, shortMock: short, stop };
}

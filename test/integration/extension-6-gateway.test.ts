// The extension in a real VS Code extension host (part 6, see setup.ts): the window's auth gateway. Off at
// activation; started by command or setting, it forwards a keyed request on 127.0.0.1 to a datarhei connection on
// 127.0.0.2 (the vendors run in a child process, net-servers.ts) with the window's session, answers without the
// token, gives integrated terminals its address and base URLs (never a secret of the vendor), shows the request
// under the connection's Traffic node, and frees its port when stopped.
import * as assert from 'assert';
import * as http from 'http';
import * as net from 'net';
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../../src/core/types';
import type { Node } from '../../src/ext/tree';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { CALL, type NetServers, startNetServers } from './network';
import { addConnections, api, cfg, connOf, EXTENSION_ID, nodeOf, notificationsMentioning, SECRETS, setup, until } from './setup';
import { uiBridgeAvailable, uiStep } from './ui';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request from this process to the gateway (127.0.0.1: VS Code's network patch leaves it alone). */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/** The error code of a TCP connection to 127.0.0.1:port, or 'connected'. */
function connectCode(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/** A port nobody listens on now (the system's pick, released at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/** Every variable of the window's terminal environment: name → value. */
function terminalEnv(): Map<string, string> {
  const out = new Map<string, string>();
  api.context.environmentVariableCollection.forEach((name, m) => out.set(name, m.value));
  return out;
}

const GATEWAY_ITEM = `.statusbar-item[id="${EXTENSION_ID}.authExplorer.gateway"]`;
const children = (n?: Node) => api.tree.getChildren(n);
const label = (n: Node) => String(api.tree.getTreeItem(n).label);

/** The entries under the gateway connection's Traffic node, newest first. */
async function trafficEntries(): Promise<Node[]> {
  const row = nodeOf('gw-dr');
  assert.ok(row);
  return children(await until('a Traffic node', () => children(row).find((n) => n.type === 'traffic')));
}

describe('API Auth Explorer in VS Code: the auth gateway', function () {
  this.timeout(60_000);
  let servers: NetServers;
  let conn: ConnectionConfig;

  before(async function () {
    this.timeout(30_000);
    await setup();
    servers = await startNetServers();
    const vendors = await servers.vendors({ host: '127.0.0.2' });
    await addConnections([
      { id: 'gw-dr', label: 'Core via gateway', vendor: 'datarhei', baseUrl: vendors.baseUrl('datarhei'), username: ACCOUNTS.datarhei.username },
      // No stored secret: a gateway request needs a person to log in.
      { id: 'gw.nosecret', label: 'Core without secret', vendor: 'datarhei', baseUrl: vendors.baseUrl('datarhei'), username: ACCOUNTS.datarhei.username },
    ]);
    conn = connOf('gw-dr');
    await api.vault.setSecret(conn, ACCOUNTS.datarhei.password);
    // Connections left by earlier suites stay configured: only these are exposed.
    await cfg().update('gateway.expose', ['gw-dr', 'gw.nosecret'], vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await vscode.commands.executeCommand('authExplorer.gatewayStop');
    for (const k of ['enabled', 'port', 'expose']) await cfg().update(`gateway.${k}`, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('authExplorer.logout', 'gw-dr');
    await servers?.close();
  });

  it('with authExplorer.gateway.enabled off, nothing runs at activation and terminals get no gateway variables', () => {
    assert.strictEqual(cfg().get('gateway.enabled'), false);
    assert.strictEqual(api.gateway.running, undefined);
    assert.strictEqual(terminalEnv().size, 0);
    assert.ok(!children().some((n) => n.type === 'gateway'));
  });

  it('Start Gateway: a keyed request to a datarhei connection gets the vendor’s answer without the token; no key: 403', async () => {
    await vscode.commands.executeCommand('authExplorer.gatewayStart');
    const gw = api.gateway.running;
    assert.ok(gw, 'the gateway runs');
    SECRETS.add(gw.key);
    const url = `${gw.baseUrl('gw-dr')}${CALL.path.slice(1)}`;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/gw-dr\/api\/v3\/process$/);

    const ok = await get(url, { 'X-Api-Auth-Key': gw.key });
    assert.strictEqual(ok.status, 200, ok.body);
    assert.ok(Array.isArray(JSON.parse(ok.body)), 'the vendor’s process list');
    const session = api.sessions.get('gw-dr');
    assert.ok(session, 'the gateway logged in with the stored password, in the window’s session');
    SECRETS.add(session.token);
    if (session.refreshToken) SECRETS.add(session.refreshToken);
    const answer = `${JSON.stringify(ok.headers)}${ok.body}`;
    for (const secret of [session.token, session.refreshToken ?? session.token, ACCOUNTS.datarhei.password]) assert.ok(!answer.includes(secret));

    const keyed = await get(`${gw.keyedBaseUrl('gw-dr')}${CALL.path.slice(1)}`);
    assert.strictEqual(keyed.status, 200, 'the key as the first path segment works too');
    const refused = await get(url);
    assert.strictEqual(refused.status, 403);
    assert.strictEqual(refused.headers['x-api-auth-error'], 'key');
  });

  it('terminals get the gateway, its key, a keyed URL per exposed connection and api-auth on PATH, never a vendor secret', () => {
    const gw = api.gateway.running;
    assert.ok(gw);
    const env = terminalEnv();
    assert.strictEqual(env.get('API_AUTH_GATEWAY'), `http://127.0.0.1:${gw.port}`);
    assert.strictEqual(env.get('API_AUTH_GATEWAY_KEY'), gw.key);
    assert.strictEqual(env.get('API_AUTH_URL_GW_DR'), gw.keyedBaseUrl('gw-dr').replace(/\/$/, ''), 'the keyed base URL, for "$VAR/path"');
    assert.deepStrictEqual(
      [...env.keys()].filter((k) => k.startsWith('API_AUTH_URL_')),
      ['API_AUTH_URL_GW_DR', 'API_AUTH_URL_GW_NOSECRET'],
      'only the exposed connection (authExplorer.gateway.expose)',
    );
    assert.strictEqual(env.get('API_AUTH_NODE'), process.execPath);
    assert.match(env.get('PATH') ?? '', /[\\/]bin[:;]$/);
    assert.strictEqual(api.context.environmentVariableCollection.persistent, false, 'never restored after a reload');
    const session = api.sessions.get('gw-dr');
    assert.ok(session);
    const all = [...env.values()].join('\n');
    for (const secret of [session.token, session.refreshToken ?? session.token, ACCOUNTS.datarhei.password]) assert.ok(!all.includes(secret));
  });

  it('the status bar shows the gateway’s port while it runs, and the Gateway… menu copies its key', async function () {
    const gw = api.gateway.running;
    assert.ok(gw);
    if (!uiBridgeAvailable()) this.skip();
    await uiStep({ action: 'waitFor', selector: GATEWAY_ITEM, state: 'visible' });
    assert.match(String((await uiStep({ action: 'text', selector: GATEWAY_ITEM })).value), new RegExp(`Gateway :${gw.port}$`));
    await vscode.env.clipboard.writeText('');
    const done = vscode.commands.executeCommand('authExplorer.gatewayMenu');
    await uiStep({ action: 'type', text: 'Copy Gateway Key' });
    await done;
    assert.strictEqual(await vscode.env.clipboard.readText(), gw.key);
    await vscode.env.clipboard.writeText('');
  });

  it('the tree shows the running Gateway first, and Send Request’s call under the connection’s Traffic node', async () => {
    const gw = api.gateway.running;
    assert.ok(gw);
    const top = children()[0];
    assert.strictEqual(top.type, 'gateway');
    assert.match(String(api.tree.getTreeItem(top).description), new RegExp(`^127\\.0\\.0\\.1:${gw.port} · 2 exposed · \\d+ requests$`));
    await api.explorer.execute(conn, CALL);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const newest = (await trafficEntries())[0];
    assert.strictEqual(label(newest), 'GET /api/v3/process → 200');
    assert.match(String(api.tree.getTreeItem(newest).description), /^\d+ ms · send$/);
  });

  // Recorded by the engine (GatewayOptions.traffic), counted by the extension.
  it('the gateway’s requests are listed under the connection’s Traffic node and counted on the Gateway row', async () => {
    const gw = api.gateway.running;
    assert.ok(gw);
    const entries = await trafficEntries();
    const through = entries.filter((n) => / · gateway$/.test(String(api.tree.getTreeItem(n).description))).map((n) => label(n));
    // The two keyed requests (header, then key in the path); whether a keyless one is recorded is the engine's choice.
    assert.deepStrictEqual(
      through.filter((l) => l.endsWith('→ 200')),
      ['GET /api/v3/process → 200', 'GET /api/v3/process → 200'],
      entries.map((n) => label(n)).join(' | '),
    );
    assert.match(String(api.tree.getTreeItem(children()[0]).description), / · [2-9] requests$/);
  });

  // Told by the engine (GatewayOptions.onLoginNeeded), offered by the extension.
  it('a gateway request on a connection without a stored secret answers 401 at once and offers Log In once', async function () {
    const gw = api.gateway.running;
    assert.ok(gw);
    const url = `${gw.baseUrl('gw.nosecret')}api/v3/process`;
    const t0 = Date.now();
    const first = await get(url, { 'X-Api-Auth-Key': gw.key });
    assert.ok(Date.now() - t0 < 5000, 'no prompt waited for');
    assert.strictEqual(first.status, 401, first.body);
    assert.strictEqual(first.headers['x-api-auth-error'], 'loginNeeded');
    assert.strictEqual((await get(url, { 'X-Api-Auth-Key': gw.key })).status, 401);
    assert.strictEqual(api.sessions.get('gw.nosecret'), undefined);
    if (!uiBridgeAvailable()) this.skip();
    assert.strictEqual(await notificationsMentioning('Gateway: connection Core without secret needs a login'), 1);
  });

  it('Stop Gateway closes the port, clears the terminals’ variables and the tree’s Gateway row', async () => {
    const gw = api.gateway.running;
    assert.ok(gw);
    assert.strictEqual(await connectCode(gw.port), 'connected');
    await vscode.commands.executeCommand('authExplorer.gatewayStop');
    assert.strictEqual(api.gateway.running, undefined);
    assert.strictEqual(await connectCode(gw.port), 'ECONNREFUSED');
    assert.strictEqual(terminalEnv().size, 0);
    assert.ok(!children().some((n) => n.type === 'gateway'));
    if (uiBridgeAvailable()) await uiStep({ action: 'waitFor', selector: GATEWAY_ITEM, state: 'detached' });
  });

  it('authExplorer.gateway.enabled starts it on the configured port and turning it off closes that port', async () => {
    const port = await freePort();
    await cfg().update('gateway.port', port, vscode.ConfigurationTarget.Workspace);
    assert.strictEqual(await connectCode(port), 'ECONNREFUSED', 'nothing listens while it is off');
    await cfg().update('gateway.enabled', true, vscode.ConfigurationTarget.Workspace);
    const gw = await until('the gateway started by the setting', () => api.gateway.running);
    assert.strictEqual(gw.port, port);
    assert.strictEqual(await connectCode(port), 'connected');
    await cfg().update('gateway.enabled', false, vscode.ConfigurationTarget.Workspace);
    await until('the gateway stopped by the setting', () => api.gateway.running === undefined);
    assert.strictEqual(await until('the port closed', async () => ((await connectCode(port)) === 'ECONNREFUSED' ? true : undefined)), true);
  });
});

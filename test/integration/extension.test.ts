// The extension inside a real VS Code extension host, against the loopback vendor servers (started in this
// process): activation, contributions, settings + SecretStorage, login per vendor, tree, status bar, clipboard,
// Token Details webview, Send Request, logout/removal, and a final sweep for leaked secrets.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../../src/core/types';
import type { TestApi } from '../../src/ext/extension';
import { SessionService } from '../../src/ext/sessions';
import type { Node } from '../../src/ext/tree';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { totpOf } from '../mock-vendors/code42';
import { mintAuth0Token } from '../mock-vendors/datarhei';
import { type MockVendors, startMockVendors } from '../mock-vendors/server';
import { QUICK_INPUT, uiBridgeAvailable, uiStep, uiText } from './ui';

const EXTENSION_ID = 'api-auth-explorer.api-auth-explorer';
const STATUS_SELECTOR = `.statusbar-item[id="${EXTENSION_ID}.authExplorer.status"]`;
const WEBVIEW = ['iframe.webview', '#active-frame'];

interface Pkg {
  activationEvents?: string[];
  contributes: { commands: { command: string }[]; menus: Record<string, { command: string; when?: string }[]> };
}

/** Every secret this suite ever handles: none may show up in settings, state or logs. */
const SECRETS = new Set<string>();

async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('API Auth Explorer in VS Code', function () {
  this.timeout(60_000);
  let api: TestApi;
  let mock: MockVendors;
  const conns: ConnectionConfig[] = [];
  const pkg = () => vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as Pkg;
  const cfg = () => vscode.workspace.getConfiguration('authExplorer');

  before(async () => {
    mock = await startMockVendors({ datarheiAuth0: true, lifetimes: { datarheiBadLoginDelayMs: 50 } });
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    api = (await ext.activate()) as TestApi;
    assert.ok(api, 'activate() returns the test API in ExtensionMode.Test');
    for (const a of [ACCOUNTS.cove, ACCOUNTS.commvault, ACCOUNTS.ipcortex, ACCOUNTS.code42, ACCOUNTS.datarhei]) SECRETS.add(a.password);
    SECRETS.add(ACCOUNTS.ipcortex.apiKey);
    SECRETS.add(ACCOUNTS.code42.mfa.password);
  });

  after(async () => {
    await cfg().update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await mock?.close();
  });

  /** The configured connection with this id (the vault keys values by connection, with its server and account). */
  const connOf = (id: string): ConnectionConfig => {
    const c = api.store.get(id);
    assert.ok(c, `connection "${id}" is configured`);
    return c;
  };
  /**
   * How many notifications mention `text`, read from the notification center (with the smoke-test driver the
   * workbench shows no toasts: every notification goes to the center).
   */
  async function notificationsMentioning(text: string): Promise<number> {
    await uiStep({ action: 'click', selector: '[id="status.notifications"]' });
    await uiStep({ action: 'waitFor', selector: '.notifications-center.visible', state: 'visible' });
    const n = Number((await uiStep({ action: 'count', selector: `.notifications-center .notification-list-item:has-text(${JSON.stringify(text)})` })).value);
    await uiStep({ action: 'press', key: 'Escape' });
    await uiStep({ action: 'waitFor', selector: '.notifications-center.visible', state: 'detached' });
    return n;
  }
  const rootNodes = () => api.tree.getChildren();
  const nodeOf = (id: string) => rootNodes().find((n): n is Extract<Node, { type: 'connection' }> => n.type === 'connection' && n.conn.id === id);
  const descriptionOf = (id: string) => {
    const n = nodeOf(id);
    return n ? String(api.tree.getTreeItem(n).description ?? '') : undefined;
  };

  async function addConnections(list: ConnectionConfig[]): Promise<void> {
    const current = (cfg().inspect<ConnectionConfig[]>('connections')?.workspaceValue ?? []).filter((c) => !list.some((n) => n.id === c.id));
    await cfg().update('connections', [...current, ...list], vscode.ConfigurationTarget.Workspace);
    await until('connections in the store', () => list.every((c) => api.store.get(c.id)));
    conns.push(...list);
  }

  describe('activation and contributions', () => {
    it('activates lazily: no "*" or onStartupFinished, and no timer before any login', () => {
      const events = pkg().activationEvents ?? [];
      assert.deepStrictEqual(
        events.filter((e) => e === '*' || e === 'onStartupFinished'),
        [],
      );
      assert.strictEqual(api.ticker.running, false);
    });

    it('records its activation time for npm run bench (measured, not asserted: budgets live in the bench)', () => {
      assert.ok(api.activationMs > 0);
      const root = vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? '.';
      fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
      fs.writeFileSync(
        path.join(root, 'test-results', 'metrics.json'),
        `${JSON.stringify({ activationMs: api.activationMs, vscodeVersion: vscode.version, at: new Date().toISOString() })}\n`,
      );
    });

    it('registers every command package.json declares, and declares every command it registers', async () => {
      const declared = pkg()
        .contributes.commands.map((c) => c.command)
        .sort();
      // VS Code adds its own commands for our view (authExplorer.connections.focus …): not ours to declare.
      const registered = (await vscode.commands.getCommands(true))
        .filter((c) => c.startsWith('authExplorer.') && !c.startsWith('authExplorer.connections.'))
        .sort();
      assert.deepStrictEqual(registered, declared);
      for (const [menu, items] of Object.entries(pkg().contributes.menus)) {
        for (const item of items) assert.ok(declared.includes(item.command), `${menu} names undeclared ${item.command}`);
      }
    });

    it('shows an invalid settings entry as an error node with its reason, without dropping the valid ones', async () => {
      await cfg().update(
        'connections',
        [
          { id: 'ok-one', vendor: 'datarhei', baseUrl: mock.baseUrl('datarhei'), username: 'admin' },
          { id: 'broken', vendor: 'nope', baseUrl: 'not a url' },
        ],
        vscode.ConfigurationTarget.Workspace,
      );
      const invalid = await until('an invalid node', () => rootNodes().find((n) => n.type === 'invalid'));
      const item = api.tree.getTreeItem(invalid);
      assert.strictEqual(item.label, 'broken');
      assert.match(String(item.description), /^error: "vendor" must be one of/, 'the reason is in view, not only on hover');
      assert.match(String((item.tooltip as vscode.MarkdownString).value), /vendor.*must be one of/);
      assert.ok(nodeOf('ok-one'));
      await cfg().update('connections', undefined, vscode.ConfigurationTarget.Workspace);
      await until('empty tree', () => rootNodes().length === 0);
    });
  });

  describe('Add Connection (guided, through the real quick input)', function () {
    before(function () {
      if (!uiBridgeAvailable()) this.skip();
    });

    it('writes the setting without the secret and stores the secret only in SecretStorage', async () => {
      const password = `dr-added-${Date.now()}`;
      SECRETS.add(password);
      const done = vscode.commands.executeCommand('authExplorer.addConnection');
      await uiStep({ action: 'type', text: 'datarhei' }); // vendor
      await uiStep({ action: 'type', text: 'Added Core' }); // name
      await uiStep({ action: 'press', key: 'Control+a', selector: QUICK_INPUT });
      await uiStep({ action: 'type', text: mock.baseUrl('datarhei') }); // URL
      await uiStep({ action: 'type', text: 'Username and password' }); // auth kind
      await uiStep({ action: 'type', text: 'admin' }); // username
      await uiStep({ action: 'type', text: 'Workspace settings' }); // scope
      await uiStep({ action: 'type', text: password }); // secret
      const entry = await until('the new settings entry', () =>
        (cfg().inspect<ConnectionConfig[]>('connections')?.workspaceValue ?? []).find((c) => c.label === 'Added Core'),
      );
      void done;
      assert.deepStrictEqual(Object.keys(entry).sort(), ['baseUrl', 'id', 'label', 'username', 'vendor']);
      assert.strictEqual(entry.id, 'added-core');
      await until('the secret in SecretStorage', async () => {
        const added = api.store.get('added-core');
        return added && (await api.vault.getSecret(added)) === password;
      });
      const settingsFile = path.join(vscode.workspace.workspaceFolders?.[0].uri.fsPath ?? '', '.vscode', 'settings.json');
      assert.ok(!fs.readFileSync(settingsFile, 'utf8').includes(password));
      await vscode.commands.executeCommand('notifications.clearAll');
    });
  });

  describe('login per vendor (stored secret → command → tree and status bar)', () => {
    before(async () => {
      await addConnections([
        { id: 'cove', label: 'Acme Cove', vendor: 'cove', baseUrl: mock.baseUrl('cove'), partner: ACCOUNTS.cove.partner, username: ACCOUNTS.cove.username },
        { id: 'cv', label: 'Commvault XML', vendor: 'commvault', baseUrl: mock.baseUrl('commvault'), username: ACCOUNTS.commvault.username, format: 'xml' },
        { id: 'ipc', label: 'PABX', vendor: 'ipcortex', baseUrl: mock.baseUrl('ipcortex'), username: ACCOUNTS.ipcortex.username },
        { id: 'ipc-key', label: 'PABX key', vendor: 'ipcortex', baseUrl: mock.baseUrl('ipcortex'), auth: 'apiKey' },
        { id: 'c42', label: 'Code42', vendor: 'code42', baseUrl: mock.baseUrl('code42'), username: ACCOUNTS.code42.username },
        { id: 'dr', label: 'Core', vendor: 'datarhei', baseUrl: mock.baseUrl('datarhei'), username: ACCOUNTS.datarhei.username },
      ]);
      const secrets: Record<string, string> = {
        cove: ACCOUNTS.cove.password,
        cv: ACCOUNTS.commvault.password,
        ipc: ACCOUNTS.ipcortex.password,
        'ipc-key': ACCOUNTS.ipcortex.apiKey,
        c42: ACCOUNTS.code42.password,
        dr: ACCOUNTS.datarhei.password,
      };
      for (const [id, s] of Object.entries(secrets)) await api.vault.setSecret(connOf(id), s);
    });

    const expectations: [string, RegExp][] = [
      ['cove', /N-able Cove · \d\d:\d\d left/],
      ['cv', /Commvault .* · \d\d:\d\d left/],
      ['ipc', /IPCortex · logged in \(session\)/],
      ['ipc-key', /IPCortex · credentials on each request/],
      ['c42', /Code42 · \d\d:\d\d left/],
      ['dr', /datarhei Core · \d\d:\d\d left/],
    ];
    for (const [id, description] of expectations) {
      it(`logs in to "${id}" through the command; the tree and the status bar show it`, async () => {
        assert.match(descriptionOf(id) ?? '', /not logged in/);
        await vscode.commands.executeCommand('authExplorer.login', id);
        const session = api.sessions.get(id);
        assert.ok(session, 'a session exists');
        SECRETS.add(session.token);
        if (session.refreshToken) SECRETS.add(session.refreshToken);
        assert.match(descriptionOf(id) ?? '', description);
        const children = api.tree.getChildren(nodeOf(id));
        assert.ok(children.some((c) => c.type === 'detail' && c.key === 'token'));
        assert.ok(children.some((c) => c.type === 'group' && c.key === 'history'));
        await vscode.commands.executeCommand('authExplorer.setActive', id);
        assert.strictEqual(api.statusBar.shownId, id);
        const label = api.store.get(id)?.label ?? id;
        assert.ok(api.statusBar.item.text.includes(label), api.statusBar.item.text);
        if (session.expiresAt !== null) assert.match(api.statusBar.item.text, /\d\d:\d\d$/);
      });
    }

    it('the status bar in the page shows a countdown that changes, and a timer runs while a token has an expiry', async function () {
      assert.strictEqual(api.ticker.running, true);
      await vscode.commands.executeCommand('authExplorer.setActive', 'dr');
      if (!uiBridgeAvailable()) this.skip();
      const first = await uiText(STATUS_SELECTOR);
      await new Promise((r) => setTimeout(r, 2100));
      const second = await uiText(STATUS_SELECTOR);
      assert.match(first, /Core: \d\d:\d\d/);
      assert.notStrictEqual(first, second);
      await uiStep({ action: 'screenshot', path: 'test-results/integration-status-bar.png' });
    });

    it('Claims of the datarhei JWT appear in the tree, with exi as a lifetime', () => {
      const groups = api.tree.getChildren(nodeOf('dr'));
      const claims = groups.find((g) => g.type === 'group' && g.key === 'claims');
      assert.ok(claims);
      const exi = api.tree.getChildren(claims).find((c) => c.type === 'claim' && c.name === 'exi');
      assert.ok(exi);
      assert.match(String(api.tree.getTreeItem(exi).description), /^600 — 10 min total lifetime$/);
    });

    it('a row tooltip shows the base URL as a code span, unescaped; every contextValue flag is read by a menu', () => {
      const row = nodeOf('dr');
      assert.ok(row);
      const tooltip = String((api.tree.getTreeItem(row).tooltip as vscode.MarkdownString).value);
      assert.ok(tooltip.includes(`\`${mock.baseUrl('datarhei')}\``), tooltip);
      const whens = Object.values(pkg().contributes.menus)
        .flat()
        .map((m) => m.when ?? '')
        .join('\n');
      for (const n of rootNodes()) {
        for (const flag of String(api.tree.getTreeItem(n).contextValue ?? '')
          .split(';')
          .filter(Boolean)) {
          assert.ok(new RegExp(`\\b${flag}\\b`).test(whens), `no menu reads the flag "${flag}"`);
        }
      }
    });

    it('a tick refreshes only the rows that count down, never the whole tree (a hover in the tree stays open)', async () => {
      await vscode.commands.executeCommand('authExplorer.connections.focus');
      await until('the Connections view to be visible', () => api.tree.view.visible);
      const fired: (Node | Node[] | undefined | void)[] = [];
      const sub = api.tree.onDidChangeTreeData((e) => fired.push(e));
      try {
        await new Promise((r) => setTimeout(r, 2300));
      } finally {
        sub.dispose();
      }
      assert.ok(fired.length >= 2, `${fired.length} refreshes in 2.3 s`);
      for (const e of fired) {
        assert.ok(Array.isArray(e), 'a tick names its rows: it does not refresh the whole tree');
        assert.ok(
          e.every((n) => n.type === 'connection'),
          'only connection rows (their children come with them)',
        );
        const ids = e.map((n) => (n as Extract<Node, { type: 'connection' }>).conn.id);
        assert.ok(ids.includes('dr') && ids.includes('c42'), `the counting-down rows: ${ids.join(', ')}`);
        assert.ok(!ids.includes('ipc-key'), 'a session without an expiry does not count down');
        // The very objects VS Code was given, or VS Code would not know them.
        assert.strictEqual(
          e.find((n) => n.type === 'connection' && n.conn.id === 'dr'),
          nodeOf('dr'),
        );
      }
    });

    it('Copy Token puts exactly the token on the clipboard; the header and curl lines carry it as the vendor wants', async () => {
      const s = api.sessions.get('dr');
      assert.ok(s);
      await vscode.commands.executeCommand('authExplorer.copyToken', 'dr');
      assert.strictEqual(await vscode.env.clipboard.readText(), s.token);
      await vscode.commands.executeCommand('authExplorer.copyAuthHeader', 'dr');
      assert.strictEqual(await vscode.env.clipboard.readText(), `Authorization: Bearer ${s.token}`);
      await vscode.commands.executeCommand('authExplorer.copyCurl', 'cv');
      const cv = api.sessions.get('cv');
      assert.ok(cv);
      assert.strictEqual(
        await vscode.env.clipboard.readText(),
        `curl -X POST -H 'Authtoken: ${cv.token}' -H 'Accept: application/xml' '${mock.baseUrl('commvault')}/WhoAmI'`,
      );
      await vscode.env.clipboard.writeText('');
    });

    it('Code42 two-factor: the login command asks for the code in an input box and logs in', async function () {
      if (!uiBridgeAvailable()) this.skip();
      await addConnections([{ id: 'c42-mfa', label: 'Code42 2FA', vendor: 'code42', baseUrl: mock.baseUrl('code42'), username: ACCOUNTS.code42.mfa.username }]);
      await api.vault.setSecret(connOf('c42-mfa'), ACCOUNTS.code42.mfa.password);
      const done = vscode.commands.executeCommand('authExplorer.login', 'c42-mfa');
      const code = totpOf(ACCOUNTS.code42.mfa.totpSecret).generate();
      await uiStep({ action: 'waitFor', selector: QUICK_INPUT, state: 'visible' });
      await uiStep({ action: 'type', text: code });
      await done;
      const s = api.sessions.get('c42-mfa');
      assert.ok(s);
      SECRETS.add(s.token);
    });

    it('asks for the password when none is stored, then logs in (datarhei Auth0 token)', async function () {
      if (!uiBridgeAvailable()) this.skip();
      await addConnections([{ id: 'dr-auth0', label: 'Core via Auth0', vendor: 'datarhei', baseUrl: mock.baseUrl('datarhei'), auth: 'auth0' }]);
      const token = mintAuth0Token(Date.now(), 600);
      SECRETS.add(token);
      const done = vscode.commands.executeCommand('authExplorer.login', 'dr-auth0');
      await uiStep({ action: 'waitFor', selector: QUICK_INPUT, state: 'visible' });
      await uiStep({ action: 'type', text: token });
      await done;
      assert.ok(api.sessions.get('dr-auth0'));
      SECRETS.add(api.sessions.get('dr-auth0')?.token ?? '');
      assert.strictEqual(await api.vault.getSecret(connOf('dr-auth0')), undefined, 'not stored unless the user says so');
      await vscode.commands.executeCommand('notifications.clearAll');
    });

    it('a wrong password shows as an error state naming the cause; nothing is stored', async () => {
      await addConnections([{ id: 'dr-bad', label: 'Core bad', vendor: 'datarhei', baseUrl: mock.baseUrl('datarhei'), username: 'admin' }]);
      await api.vault.setSecret(connOf('dr-bad'), 'wrong-password-here');
      SECRETS.add('wrong-password-here');
      await vscode.commands.executeCommand('authExplorer.login', 'dr-bad'); // guarded: reports, does not throw
      assert.strictEqual(api.sessions.get('dr-bad'), undefined);
      assert.match(descriptionOf('dr-bad') ?? '', /error: wrong username or password/);
      const ui = api.sessions.uiState('dr-bad');
      assert.ok(ui?.kind === 'error');
      assert.match(
        ui.message,
        /^Connection "Core bad": wrong username or password \(server said: "Invalid authorization credentials: invalid username or password"\); /,
      );
      await vscode.commands.executeCommand('notifications.clearAll');
    });
  });

  describe('Token Details webview', () => {
    it('opens for a connection and receives the decoded token (exi, exp) after it says ready', async () => {
      await vscode.commands.executeCommand('authExplorer.showDetails', 'dr');
      const posted = await until('the page to receive the session', () => api.panels.lastPosted('dr'));
      assert.ok(posted.view?.token?.jwt);
      const exi = posted.view.token.jwt.claims.find((c) => c.name === 'exi');
      assert.strictEqual(exi?.lifetimeMs, 600_000);
      assert.ok(!JSON.stringify(posted).includes(api.sessions.get('dr')?.token ?? '§'), 'no raw token in the page data');
    });

    it('renders the exi and exp rows inside the webview frame', async function () {
      if (!uiBridgeAvailable()) this.skip();
      const exi = await uiText('tr[data-claim="exi"]', WEBVIEW);
      assert.match(exi, /600/);
      assert.match(exi, /10 min/);
      const exp = await uiText('tr[data-claim="exp"]', WEBVIEW);
      assert.match(exp, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
      await uiStep({ action: 'screenshot', path: 'test-results/integration-token-details.png' });
    });
  });

  describe('Send Request', () => {
    it('datarhei: GET /api/v3/process with the Bearer token; the answer opens read-only', async () => {
      const conn = api.store.get('dr');
      assert.ok(conn);
      const sent = await api.explorer.execute(conn, { kind: 'rest', method: 'GET', path: '/api/v3/process' });
      assert.strictEqual(sent.response.status, 200);
      const doc = await vscode.workspace.openTextDocument(sent.uri);
      assert.match(doc.getText(), /HTTP 200 OK/);
      assert.match(doc.getText(), /^\[\]$/m);
      assert.deepStrictEqual(api.explorer.recent('dr')[0], { kind: 'rest', method: 'GET', path: '/api/v3/process' });
      // Copy as curl now shows the request just sent, with the current token.
      await vscode.commands.executeCommand('authExplorer.copyCurl', 'dr');
      const curl = await vscode.env.clipboard.readText();
      assert.strictEqual(
        curl,
        `curl -H 'Authorization: Bearer ${api.sessions.get('dr')?.token}' -H 'Accept: application/json' '${mock.baseUrl('datarhei')}/api/v3/process'`,
      );
      await vscode.env.clipboard.writeText('');
    });

    it('keeps the answer while its document is open (a language change is a close and an open), then serves it', async () => {
      const sent = await api.explorer.execute(connOf('dr'), { kind: 'rest', method: 'GET', path: '/api/v3/process' });
      assert.ok(api.explorer.keeps(sent.uri));
      const doc = await vscode.workspace.openTextDocument(sent.uri);
      let closes = 0;
      const sub = vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.toString() === sent.uri.toString()) closes++;
      });
      try {
        const relabelled = await vscode.languages.setTextDocumentLanguage(doc, 'plaintext');
        await until('the close VS Code reports for a language change', () => closes > 0);
        assert.ok(api.explorer.keeps(sent.uri), 'the document is still open: its answer is kept');
        assert.match(relabelled.getText(), /HTTP 200 OK/);
      } finally {
        sub.dispose();
      }
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('Cove: picking EnumeratePartners from the list sends it with the newest visa and grows the visa chain', async function () {
      if (!uiBridgeAvailable()) this.skip();
      const before = api.sessions.get('cove');
      assert.ok(before);
      const done = vscode.commands.executeCommand('authExplorer.sendRequest', 'cove');
      await uiStep({ action: 'type', text: 'EnumeratePartners' });
      await done;
      const after = api.sessions.get('cove');
      assert.ok(after);
      assert.strictEqual(after.history.length, before.history.length + 1);
      assert.strictEqual(after.history.at(-1)?.method, 'EnumeratePartners');
      assert.strictEqual(after.history.at(-1)?.replaced, before.token);
      SECRETS.add(after.token);
      assert.strictEqual(api.explorer.last?.response.status, 200);
    });
  });

  describe('cancel, scopes and edits', () => {
    it('Escape at the password prompt cancels silently: no error message, no error state', async function () {
      if (!uiBridgeAvailable()) this.skip();
      await addConnections([{ id: 'dr-cancel', label: 'Core cancel', vendor: 'datarhei', baseUrl: mock.baseUrl('datarhei'), username: 'admin' }]);
      await vscode.commands.executeCommand('notifications.clearAll');
      const done = vscode.commands.executeCommand('authExplorer.login', 'dr-cancel');
      await uiStep({ action: 'waitFor', selector: QUICK_INPUT, state: 'visible' });
      await uiStep({ action: 'press', key: 'Escape', selector: QUICK_INPUT });
      await done;
      assert.strictEqual(api.sessions.get('dr-cancel'), undefined);
      assert.strictEqual(api.sessions.uiState('dr-cancel'), undefined, 'no error state');
      assert.match(descriptionOf('dr-cancel') ?? '', /not logged in$/);
      await new Promise((r) => setTimeout(r, 500)); // an error toast would be up by now
      assert.strictEqual(await notificationsMentioning('Core cancel'), 0, 'no notification');
      // The check itself can see one: a real failure of the same connection is listed.
      await vscode.commands.executeCommand('authExplorer.clearSecret', 'dr-cancel');
      await api.vault.setSecret(connOf('dr-cancel'), 'not-the-password');
      SECRETS.add('not-the-password');
      await vscode.commands.executeCommand('authExplorer.login', 'dr-cancel');
      assert.strictEqual(await notificationsMentioning('Core cancel'), 1, 'the wrong password is reported');
      await vscode.commands.executeCommand('notifications.clearAll');
    });

    it('user and workspace connections show together (VS Code alone would let the workspace list hide the user list)', async () => {
      const userConn: ConnectionConfig = { id: 'user-core', label: 'User Core', vendor: 'datarhei', baseUrl: mock.baseUrl('datarhei'), username: 'admin' };
      await cfg().update('connections', [userConn], vscode.ConfigurationTarget.Global);
      try {
        await until('the user connection in the store', () => api.store.get('user-core'));
        assert.ok(api.store.get('cove') && api.store.get('dr'), 'the workspace connections are still there');
        assert.strictEqual(api.store.scopeOf('user-core'), 'user');
        assert.strictEqual(api.store.scopeOf('dr'), 'workspace');
        assert.ok(nodeOf('user-core'), 'in the tree');
      } finally {
        await cfg().update('connections', undefined, vscode.ConfigurationTarget.Global);
      }
      await until('the user connection gone', () => !api.store.get('user-core'));
    });

    it('an entry made invalid for a moment keeps its stored session; moved to another server it loses session and secret', async () => {
      const original: ConnectionConfig = { id: 'dr-edit', label: 'Core edited', vendor: 'datarhei', baseUrl: mock.baseUrl('datarhei'), username: 'admin' };
      await addConnections([original]);
      await api.vault.setSecret(connOf('dr-edit'), ACCOUNTS.datarhei.password);
      await vscode.commands.executeCommand('authExplorer.login', 'dr-edit');
      const token = api.sessions.get('dr-edit')?.token;
      assert.ok(token);
      SECRETS.add(token);

      // A typo while editing by hand: the entry becomes an error node, the session leaves memory but not storage.
      const others = (cfg().inspect<ConnectionConfig[]>('connections')?.workspaceValue ?? []).filter((c) => c.id !== 'dr-edit');
      await cfg().update('connections', [...others, { ...original, keepalive: true }], vscode.ConfigurationTarget.Workspace);
      await until('the entry to turn invalid', () => !api.store.get('dr-edit') && api.store.invalid().some((p) => p.id === 'dr-edit'));
      assert.match(
        api.store
          .invalid()
          .find((p) => p.id === 'dr-edit')
          ?.problems.join() ?? '',
        /"keepalive" is not a known field \(did you mean "keepAlive"\?\)/,
      );
      assert.strictEqual(api.sessions.get('dr-edit'), undefined);
      assert.strictEqual((await api.vault.getSession(original))?.token, token, 'still in secret storage');
      // Fixed: the session is back, same token, no new login.
      await addConnections([original]);
      await until('the session back', () => api.sessions.get('dr-edit')?.token === token);

      // Pointed at another server with the same id: the token and the password must not go there.
      const moved = { ...original, baseUrl: mock.baseUrl('code42') };
      await addConnections([moved]);
      await until('the session dropped', () => api.store.get('dr-edit')?.baseUrl === moved.baseUrl && !api.sessions.get('dr-edit'));
      assert.strictEqual(await api.vault.getSecret(moved), undefined, 'the password stored for the first server is not handed out');
      assert.strictEqual(await api.vault.getSession(moved), undefined);
      assert.strictEqual(await api.vault.getSecret(original), ACCOUNTS.datarhei.password, 'kept for its own server');
      await api.sessions.removeAll('dr-edit');
    });
  });

  describe('keep-alive', () => {
    let shortMock: MockVendors;
    before(async () => {
      shortMock = await startMockVendors({ lifetimes: { datarheiAccessSec: 3, datarheiBadLoginDelayMs: 50, code42TokenSec: 3 } });
    });
    after(async () => shortMock?.close());

    it('Copy Token renews an expired token first: what is pasted works', async () => {
      await addConnections([
        { id: 'dr-short', label: 'Core short', vendor: 'datarhei', baseUrl: shortMock.baseUrl('datarhei'), username: 'admin', refreshLeadSeconds: 0 },
      ]);
      await api.vault.setSecret(connOf('dr-short'), ACCOUNTS.datarhei.password);
      await vscode.commands.executeCommand('authExplorer.login', 'dr-short');
      const first = api.sessions.get('dr-short');
      assert.ok(first?.expiresAt);
      SECRETS.add(first.token);
      await until('the token to expire', () => (Date.now() > (first.expiresAt ?? 0) + 100 ? true : undefined), 6000);
      await vscode.commands.executeCommand('authExplorer.copyToken', 'dr-short');
      const copied = await vscode.env.clipboard.readText();
      const renewed = api.sessions.get('dr-short');
      assert.ok(renewed && renewed.token !== first.token, 'a new token');
      SECRETS.add(renewed.token);
      assert.strictEqual(copied, renewed.token, 'the renewed token is what was copied');
      assert.ok((renewed.expiresAt ?? 0) > Date.now());
      assert.strictEqual(renewed.history.at(-1)?.event, 'refresh', 'by the refresh token, not a new login');
      await vscode.env.clipboard.writeText('');
      await vscode.commands.executeCommand('authExplorer.logout', 'dr-short');
    });

    it('never pops a prompt from the background: a two-factor account stops with one warning', async function () {
      if (!uiBridgeAvailable()) this.skip();
      await addConnections([
        {
          id: 'c42-keep',
          label: 'Code42 kept alive',
          vendor: 'code42',
          baseUrl: shortMock.baseUrl('code42'),
          username: ACCOUNTS.code42.mfa.username,
          keepAlive: true,
          refreshLeadSeconds: 1,
        },
      ]);
      await vscode.commands.executeCommand('notifications.clearAll');
      const conn = connOf('c42-keep');
      const totp = totpOf(ACCOUNTS.code42.mfa.totpSecret).generate();
      await api.vault.setSecret(conn, ACCOUNTS.code42.mfa.password);
      const first = await api.sessions.manager.login(conn, { secret: ACCOUNTS.code42.mfa.password, totp });
      SECRETS.add(first.token);
      assert.ok(api.keepAlive.scheduled().has('c42-keep'));
      await until('the keep-alive to give up', () => (!api.keepAlive.scheduled().has('c42-keep') ? true : undefined), 8000);
      assert.strictEqual((await uiStep({ action: 'count', selector: '.quick-input-widget:visible' })).value, 0, 'no input box was opened');
      assert.strictEqual(await notificationsMentioning('Keep-alive stopped: Connection "Code42 kept alive"'), 1, 'said once');
      assert.strictEqual(api.keepAlive.scheduled().has('c42-keep'), false, 'no further background tries');
      assert.strictEqual(api.sessions.get('c42-keep')?.token, first.token, 'the still-valid session was kept');
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('authExplorer.logout', 'c42-keep');
    });

    it('renews a keepAlive connection in the background before expiry, with one timer, and none after logout', async () => {
      await addConnections([
        {
          id: 'dr-keep',
          label: 'Core kept alive',
          vendor: 'datarhei',
          baseUrl: shortMock.baseUrl('datarhei'),
          username: 'admin',
          keepAlive: true,
          refreshLeadSeconds: 1,
        },
      ]);
      await api.vault.setSecret(connOf('dr-keep'), ACCOUNTS.datarhei.password);
      const logins = shortMock.env.stats.get('datarhei.login');
      await vscode.commands.executeCommand('authExplorer.login', 'dr-keep');
      assert.strictEqual(api.keepAlive.scheduled().size >= 1 && api.keepAlive.scheduled().has('dr-keep'), true);
      const refreshes = shortMock.env.stats.get('datarhei.refresh');
      const seen = new Set<string>();
      const end = Date.now() + 5000;
      while (Date.now() < end) {
        const s = api.sessions.get('dr-keep');
        assert.ok(s && s.expiresAt !== null && s.expiresAt > Date.now(), 'the token never runs out');
        seen.add(s.token);
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(shortMock.env.stats.get('datarhei.refresh') >= refreshes + 2, 'refreshed at least twice in 5 s of 3-s tokens');
      assert.strictEqual(shortMock.env.stats.get('datarhei.login'), logins + 1, 'by refresh, not by logging in again');
      assert.ok(seen.size >= 3);
      const events = api.sessions.get('dr-keep')?.history.map((h) => h.event) ?? [];
      assert.ok(events.filter((e) => e === 'refresh').length >= 2, events.join(','));
      for (const t of seen) SECRETS.add(t);
      await vscode.commands.executeCommand('authExplorer.logout', 'dr-keep');
      assert.strictEqual(api.keepAlive.scheduled().has('dr-keep'), false);
    });
  });

  describe('sessions in SecretStorage', () => {
    it('keeps each session in SecretStorage, and picks up a session another window stored', async () => {
      const stored = await api.vault.getSession(connOf('dr'));
      assert.ok(stored);
      assert.strictEqual(stored.token, api.sessions.get('dr')?.token);
      // Another window refreshed the token: it writes SecretStorage; this window follows.
      const other = {
        ...stored,
        token: `${stored.token}`,
        lastUsedAt: Date.now(),
        history: [...stored.history, { ...stored.history[0], event: 'refresh' as const }],
      };
      await api.vault.setSession(connOf('dr'), other);
      await until('the synced session', () => api.sessions.get('dr')?.history.length === other.history.length);
    });

    it('after a reload (a new session service over the same secret storage) the sessions come back, re-checked, and work', async () => {
      // What activate() builds after a window reload: nothing in memory, only SecretStorage.
      const fresh = new SessionService(api.store, api.vault, api.log, api.context.workspaceState, {
        secret: async () => assert.fail('a restored session must not ask for the password'),
        offerToStore: async () => false,
        totp: async () => assert.fail('a restored session must not ask for a code'),
      });
      try {
        assert.strictEqual(fresh.get('dr'), undefined, 'nothing before restore');
        await fresh.restore();
        for (const id of ['dr', 'cove', 'cv']) {
          const restored = fresh.get(id);
          assert.ok(restored, `${id} restored`);
          assert.strictEqual(restored.token, api.sessions.get(id)?.token, `${id}: the same token`);
          assert.strictEqual(restored.history.at(-1)?.event, 'restore', `${id}: marked as restored in its history`);
        }
        const { response } = await fresh.manager.request(connOf('dr'), { kind: 'rest', method: 'GET', path: '/api/v3/process' });
        assert.strictEqual(response.status, 200, 'the restored token is accepted by the server');
      } finally {
        fresh.dispose();
      }
    });
  });

  describe('logout and removal', () => {
    it('Logout ends the session and removes its tokens from SecretStorage; the stored password stays', async () => {
      await vscode.commands.executeCommand('authExplorer.logout', 'ipc');
      assert.strictEqual(api.sessions.get('ipc'), undefined);
      assert.strictEqual(await api.vault.getSession(connOf('ipc')), undefined);
      assert.strictEqual(await api.vault.getSecret(connOf('ipc')), ACCOUNTS.ipcortex.password);
      assert.match(descriptionOf('ipc') ?? '', /not logged in/);
    });

    it('Clear Secret removes the stored password', async () => {
      await vscode.commands.executeCommand('authExplorer.clearSecret', 'ipc');
      assert.strictEqual(await api.vault.getSecret(connOf('ipc')), undefined);
    });

    it('Remove Connection asks for confirmation; declined it keeps everything, confirmed it deletes the entry and every key', async () => {
      const c42 = connOf('c42');
      const original = api.ui.confirm;
      const asked: string[] = [];
      try {
        api.ui.confirm = async (message) => (asked.push(message), false);
        await vscode.commands.executeCommand('authExplorer.removeConnection', 'c42');
        assert.ok(api.store.get('c42'));
        assert.strictEqual(await api.vault.getSecret(c42), ACCOUNTS.code42.password);
        api.ui.confirm = async (message) => (asked.push(message), true);
        await vscode.commands.executeCommand('authExplorer.removeConnection', 'c42');
      } finally {
        api.ui.confirm = original;
      }
      assert.match(asked[0], /^Remove the connection "Code42"\? Its settings entry, stored secret and session are deleted\.$/);
      assert.strictEqual(api.store.get('c42'), undefined);
      assert.ok(!(cfg().inspect<ConnectionConfig[]>('connections')?.workspaceValue ?? []).some((c) => c.id === 'c42'));
      assert.strictEqual(await api.vault.getSecret(c42), undefined);
      assert.strictEqual(await api.vault.getSession(c42), undefined);
    });

    it('after logging out of everything no timer runs', async () => {
      for (const s of api.sessions.manager.all()) await vscode.commands.executeCommand('authExplorer.logout', s.connectionId);
      await until('no sessions', () => api.sessions.manager.all().length === 0);
      await until('the ticker to stop', () => !api.ticker.running);
      assert.strictEqual(api.statusBar.item.text === '' || api.statusBar.shownId === undefined, true);
    });
  });

  describe('no secret leaks', () => {
    it('no password, key or token appears in settings, global/workspace state or the log files', async () => {
      const haystacks: [string, string][] = [];
      const folder = vscode.workspace.workspaceFolders?.[0].uri.fsPath;
      if (folder && fs.existsSync(path.join(folder, '.vscode', 'settings.json'))) {
        haystacks.push(['workspace settings', fs.readFileSync(path.join(folder, '.vscode', 'settings.json'), 'utf8')]);
      }
      haystacks.push(['settings (merged)', JSON.stringify(vscode.workspace.getConfiguration('authExplorer'))]);
      const state = (m: vscode.Memento) => JSON.stringify(m.keys().map((k) => [k, m.get(k)]));
      haystacks.push(['globalState', state(api.context.globalState)], ['workspaceState', state(api.context.workspaceState)]);
      // The log channel's files: <logs>/<session>/…; walk the whole session log folder.
      const logRoot = path.resolve(api.context.logUri.fsPath, '..', '..');
      const walk = (dir: string): string[] =>
        fs.existsSync(dir)
          ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
          : [];
      const logFiles = walk(logRoot).filter((f) => /\.log$/.test(f));
      assert.ok(
        logFiles.some((f) => /API Auth Explorer/.test(f)),
        `our log file exists under ${logRoot}`,
      );
      for (const f of logFiles) haystacks.push([f, fs.readFileSync(f, 'utf8')]);
      assert.ok(SECRETS.size > 10);
      for (const secret of SECRETS) {
        if (!secret) continue;
        for (const [where, text] of haystacks) assert.ok(!text.includes(secret), `a secret (${secret.slice(0, 4)}…) leaked into ${where}`);
      }
    });
  });
});

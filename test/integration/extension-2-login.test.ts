// The extension in a real VS Code extension host (part 2, see setup.ts): login per vendor against the
// loopback vendor servers, the tree, the status bar, the clipboard commands, two-factor and wrong passwords.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Node } from '../../src/ext/tree';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { totpOf } from '../mock-vendors/code42';
import { mintAuth0Token } from '../mock-vendors/datarhei';
import { addConnections, api, connOf, descriptionOf, mock, nodeOf, pkg, rootNodes, SECRETS, setup, STATUS_SELECTOR, until } from './setup';
import { QUICK_INPUT, uiBridgeAvailable, uiStep, uiText } from './ui';

describe('API Auth Explorer in VS Code', function () {
  this.timeout(60_000);
  before(setup);

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
      assert.equal(api.tree.getTreeItem(row).tooltip, undefined, 'made on hover (resolveTreeItem), not for every refresh');
      const tooltip = String((api.tree.resolveTreeItem(api.tree.getTreeItem(row), row).tooltip as vscode.MarkdownString).value);
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
});

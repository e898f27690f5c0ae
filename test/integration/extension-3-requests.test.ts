// The extension in a real VS Code extension host (part 3, see setup.ts): the Token Details webview,
// Send Request, cancelling a prompt, user and workspace scopes, and hand edits of a settings entry.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../../src/core/types';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { addConnections, api, cfg, connOf, descriptionOf, mock, nodeOf, notificationsMentioning, SECRETS, setup, until, WEBVIEW } from './setup';
import { QUICK_INPUT, uiBridgeAvailable, uiStep, uiText } from './ui';

describe('API Auth Explorer in VS Code', function () {
  this.timeout(60_000);
  before(setup);

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

    it('datarhei config: secret-named fields are masked in the document; Show Raw Answer opens them beside it', async () => {
      const sent = await api.explorer.execute(connOf('dr'), { kind: 'rest', method: 'GET', path: '/api/v3/config' });
      assert.strictEqual(sent.maskedFields, 5);
      const doc = await vscode.workspace.openTextDocument(sent.uri);
      assert.ok(!doc.getText().includes(ACCOUNTS.datarhei.jwtSecret), 'the JWT secret is masked');
      assert.ok(!doc.getText().includes(ACCOUNTS.datarhei.password), 'the API password is masked');
      assert.match(doc.getText(), /^\/\/ 5 secret-named fields were masked \(shown as ‹masked›\); "API Auth: Show Raw Answer"/m);
      assert.match(doc.getText(), /"password": "‹masked›"/);
      // The answer is the active editor (it opened beside): the command shows that one raw.
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), sent.uri.toString());
      const rawUri = await vscode.commands.executeCommand<vscode.Uri>('authExplorer.showRawAnswer');
      assert.ok(rawUri);
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), rawUri.toString());
      const raw = vscode.window.activeTextEditor.document.getText();
      assert.ok(raw.includes(ACCOUNTS.datarhei.jwtSecret), 'the raw answer shows the JWT secret');
      assert.match(raw, /^\/\/ Raw answer: secret-named fields/m);
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
});

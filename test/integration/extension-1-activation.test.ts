// The extension in a real VS Code extension host (part 1, see setup.ts): activation, contributions,
// invalid settings entries, and Add Connection through the real quick input.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../../src/core/types';
import { api, cfg, EXTENSION_ID, mock, nodeOf, pkg, rootNodes, SECRETS, setup, until } from './setup';
import { QUICK_INPUT, uiBridgeAvailable, uiStep } from './ui';

describe('API Auth Explorer in VS Code', function () {
  this.timeout(60_000);
  before(setup);

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
});

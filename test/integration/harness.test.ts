// Proves the integration harness itself: a real extension host with our extension in it, the VS Code API
// answering, and the UI bridge (ui.ts ⇄ run-integration.mjs) driving the real workbench. Feature tests live
// in their own *.test.ts files next to this one.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { QUICK_INPUT, uiBridgeAvailable, uiCount, uiStep, uiText, uiTypeInQuickInput } from './ui';

const EXTENSION_ID = 'api-auth-explorer.api-auth-explorer';

interface PackageJson {
  activationEvents?: string[];
}

describe('integration harness', () => {
  describe('extension host', () => {
    it('has the extension installed from the development path', () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    });

    it('activates the extension without error', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext);
      await ext.activate();
      assert.strictEqual(ext.isActive, true);
    });

    it('declares no eager activation events (* or onStartupFinished)', () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext);
      const events = (ext.packageJSON as PackageJson).activationEvents ?? [];
      const eager = events.filter((e) => e === '*' || e === 'onStartupFinished');
      assert.deepStrictEqual(eager, []);
    });

    it('round-trips text through env.clipboard', async () => {
      const text = `harness clipboard ${Date.now()} ✓`;
      await vscode.env.clipboard.writeText(text);
      assert.strictEqual(await vscode.env.clipboard.readText(), text);
    });
  });

  describe('UI bridge', function () {
    before(function () {
      if (!uiBridgeAvailable()) this.skip(); // e.g. under @vscode/test-electron: no Playwright runner
    });

    afterEach(async () => {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    });

    it('sees the workbench DOM', async () => {
      assert.strictEqual(await uiCount('.monaco-workbench'), 1);
    });

    it('types into the command palette opened by executeCommand', async () => {
      await vscode.commands.executeCommand('workbench.action.quickOpen');
      await uiStep({ action: 'waitFor', selector: QUICK_INPUT, state: 'visible' });
      await uiStep({ action: 'type', selector: QUICK_INPUT, text: '>Toggle Full Screen', enter: false });
      await uiStep({ action: 'waitFor', selector: '.quick-input-list .monaco-list-row', state: 'visible' });
      const firstRow = await uiText('.quick-input-list .monaco-list-row');
      assert.match(firstRow, /Full Screen/i);
      await uiStep({ action: 'screenshot', path: 'test-results/harness.png' });
      await uiStep({ action: 'press', key: 'Escape' });
      await uiStep({ action: 'waitFor', selector: QUICK_INPUT, state: 'hidden' });
    });

    it('answers showInputBox from the UI', async () => {
      const answer = vscode.window.showInputBox({ prompt: 'harness: type something', password: true });
      await uiTypeInQuickInput('typed by playwright');
      assert.strictEqual(await answer, 'typed by playwright');
    });

    it('picks a showQuickPick item from the UI', async () => {
      const picked = vscode.window.showQuickPick(['alpha', 'beta', 'gamma'], { placeHolder: 'harness: pick one' });
      await uiTypeInQuickInput('gamma');
      assert.strictEqual(await picked, 'gamma');
    });

    it('reports a failed step as an error', async () => {
      await assert.rejects(uiStep({ action: 'click', selector: '#no-such-element-in-the-workbench', timeoutMs: 500 }), /UI step click .* failed/);
    });
  });
});

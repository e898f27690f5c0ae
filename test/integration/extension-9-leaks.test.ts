// The extension in a real VS Code extension host (last part, see setup.ts): after every other suite has logged in,
// failed, stored passwords, passphrases and tokens, none of them (SECRETS) may show up in settings, state or logs.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, SECRETS, setup } from './setup';

describe('API Auth Explorer in VS Code', function () {
  this.timeout(60_000);
  before(setup);

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

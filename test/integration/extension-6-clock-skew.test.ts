// The extension in a real VS Code extension host (part 6, see setup.ts): a server whose clock is 7 min behind this
// computer's. The tree and the status bar count down from the server's clock, and the user is told once.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { type MockVendors, startMockVendors } from '../mock-vendors/server';
import { addConnections, api, connOf, descriptionOf, notificationsMentioning, SECRETS, setup } from './setup';
import { uiBridgeAvailable } from './ui';

describe('API Auth Explorer in VS Code: a server clock 7 min behind', function () {
  this.timeout(60_000);
  let behind: MockVendors;
  before(async () => {
    await setup();
    behind = await startMockVendors({ serverClockOffsetMs: -7 * 60_000 });
    await addConnections([
      { id: 'dr-skew', label: 'Core skewed', vendor: 'datarhei', baseUrl: behind.baseUrl('datarhei'), username: ACCOUNTS.datarhei.username },
    ]);
    await api.vault.setSecret(connOf('dr-skew'), ACCOUNTS.datarhei.password);
  });
  after(async () => {
    await vscode.commands.executeCommand('authExplorer.logout', 'dr-skew');
    await behind?.close();
  });

  it('a datarhei token from a server 7 min behind reads about 10:00 left in the tree, not 03:00, and the user is told once', async function () {
    await vscode.commands.executeCommand('authExplorer.login', 'dr-skew');
    const session = api.sessions.get('dr-skew');
    assert.ok(session);
    SECRETS.add(session.token);
    if (session.refreshToken) SECRETS.add(session.refreshToken);
    assert.ok(Math.abs((session.serverClockOffsetMs ?? 0) + 420_000) <= 2000, `offset ${session.serverClockOffsetMs}`);
    assert.match(descriptionOf('dr-skew') ?? '', /datarhei Core · (10:00|09:5\d) left/);
    // A renewal measures again but does not tell again.
    await vscode.commands.executeCommand('authExplorer.refreshToken', 'dr-skew');
    assert.match(descriptionOf('dr-skew') ?? '', /datarhei Core · (10:00|09:5\d) left/);
    if (!uiBridgeAvailable()) this.skip();
    assert.strictEqual(await notificationsMentioning('is 7 min'), 1);
  });
});

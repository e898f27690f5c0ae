// The extension in a real VS Code extension host (part 7, see setup.ts): the connections' sessions for other
// extensions through VS Code's authentication API (src/ext/authProvider.ts).
//
// How VS Code gives an extension a session, and what of it a test can drive: `getSession` hands a session only to an
// extension the user allowed for that account. With `createIfNone` VS Code asks in a modal dialog, and while
// extension tests run VS Code refuses every modal dialog (the call rejects), so these tests use the other way a user
// allows it: `getSession` without options, for a connection that is not logged in, puts "Sign in with API Auth
// Explorer to use …" into the Accounts menu; choosing it (here: running that menu entry's command) runs our
// createSession and records the permission. Sign Out in the Accounts menu is the `_signOutOfAccount` command, whose
// confirmation VS Code answers "yes" by itself during tests. The suite's own code counts as our extension: the
// provider's own extension gets no permission for free.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { accountLabel, AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL } from '../../src/ext/authProvider';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { type MockVendors, startMockVendors } from '../mock-vendors/server';
import { addConnections, api, connOf, descriptionOf, EXTENSION_ID, pkg, SECRETS, setup, until } from './setup';
import { uiBridgeAvailable, uiStep } from './ui';

const ID = 'dr-ext';
const ACCOUNT = { id: ID, label: `${ACCOUNTS.datarhei.username}@${ID}` };

/** The commands VS Code added to the Accounts menu for a sign-in request of our extension, newest last. */
async function signInRequests(): Promise<string[]> {
  return (await vscode.commands.getCommands(true)).filter((c) => c.startsWith(`${AUTH_PROVIDER_ID}:${EXTENSION_ID}:signIn`));
}

/** Asks like an extension that does not force a prompt; returns the Accounts-menu command VS Code added for it. */
async function requestSignIn(scopes: string[]): Promise<string> {
  const before = new Set(await signInRequests());
  assert.strictEqual(await vscode.authentication.getSession(AUTH_PROVIDER_ID, scopes), undefined, 'no session yet');
  const added = await until('the sign-in request in the Accounts menu', async () => (await signInRequests()).find((c) => !before.has(c)));
  return added;
}

describe('API Auth Explorer in VS Code', function () {
  this.timeout(60_000);
  before(setup);

  describe('sessions for other extensions (authentication provider)', () => {
    let shortMock: MockVendors;
    /** VS Code's change events for our provider, as any extension sees them. */
    let events = 0;
    let listener: vscode.Disposable | undefined;
    before(async () => {
      shortMock = await startMockVendors({ lifetimes: { datarheiAccessSec: 4, datarheiRefreshSec: 7, datarheiBadLoginDelayMs: 50 } });
      await addConnections([
        {
          id: ID,
          label: 'Core for extensions',
          vendor: 'datarhei',
          baseUrl: shortMock.baseUrl('datarhei'),
          username: ACCOUNTS.datarhei.username,
          refreshLeadSeconds: 0,
        },
      ]);
      await api.vault.setSecret(connOf(ID), ACCOUNTS.datarhei.password);
      listener = vscode.authentication.onDidChangeSessions((e) => {
        if (e.provider.id === AUTH_PROVIDER_ID) events++;
      });
    });
    after(async () => {
      listener?.dispose();
      if (api?.sessions.get(ID)) await vscode.commands.executeCommand('authExplorer.logout', ID);
      await shortMock?.close();
    });

    it('contributes the provider "api-auth-explorer" without an activation event of its own (VS Code derives it)', () => {
      const contributed = (pkg().contributes as { authentication?: { id: string; label: string }[] }).authentication;
      assert.deepStrictEqual(contributed, [{ id: AUTH_PROVIDER_ID, label: AUTH_PROVIDER_LABEL }]);
      assert.deepStrictEqual(
        (pkg().activationEvents ?? []).filter((e) => e.startsWith('onAuthenticationRequest')),
        [],
        'implied by contributes.authentication since VS Code 1.74',
      );
      assert.strictEqual(accountLabel(connOf(ID)), ACCOUNT.label);
    });

    it('lists a logged-in connection as an account, but hands its session to no extension the user has not allowed', async () => {
      await vscode.commands.executeCommand('authExplorer.login', ID);
      const token = api.sessions.get(ID)?.token;
      assert.ok(token);
      SECRETS.add(token);
      await until('the account', async () => (await vscode.authentication.getAccounts(AUTH_PROVIDER_ID)).some((a) => a.id === ID && a.label === ACCOUNT.label));
      assert.strictEqual(await vscode.authentication.getSession(AUTH_PROVIDER_ID, [ID], { silent: true }), undefined, 'not without permission');
      // createIfNone makes VS Code ask the user in a modal dialog: refused while tests run, so the call fails.
      await assert.rejects(Promise.resolve(vscode.authentication.getSession(AUTH_PROVIDER_ID, [ID], { createIfNone: true })));
      assert.strictEqual(api.sessions.get(ID)?.token, token, 'asking did not log in again');
      await vscode.commands.executeCommand('authExplorer.logout', ID);
      await until('the account to go', async () => !(await vscode.authentication.getAccounts(AUTH_PROVIDER_ID)).some((a) => a.id === ID));
    });

    it('a sign-in request from the Accounts menu runs Log In; the extension then gets the token the tree shows', async () => {
      const logins = shortMock.env.stats.get('datarhei.login');
      const seen = events;
      const command = await requestSignIn([ID]);
      await vscode.commands.executeCommand(command);
      const held = api.sessions.get(ID);
      assert.ok(held, 'logged in');
      SECRETS.add(held.token);
      assert.strictEqual(shortMock.env.stats.get('datarhei.login'), logins + 1, 'one login');
      assert.match(descriptionOf(ID) ?? '', /datarhei Core · \d\d:\d\d left/);
      const got = await vscode.authentication.getSession(AUTH_PROVIDER_ID, [ID], { silent: true });
      assert.ok(got, 'the user allowed it by signing in for it');
      assert.strictEqual(got.accessToken, held.token);
      assert.strictEqual(got.id, ID);
      assert.deepStrictEqual({ id: got.account.id, label: got.account.label }, ACCOUNT);
      assert.deepStrictEqual(got.scopes, [ID]);
      await until('the "added" change event', () => events > seen);
    });

    it('a call that keeps the token announces nothing; an expired token is renewed before it is handed out, and announced', async () => {
      const conn = connOf(ID);
      const first = api.sessions.get(ID);
      assert.ok(first?.expiresAt);
      let seen = events;
      const { response } = await api.sessions.manager.request(conn, { kind: 'rest', method: 'GET', path: '/api/v3/process' });
      assert.strictEqual(response.status, 200);
      await new Promise((r) => setTimeout(r, 500));
      assert.strictEqual(events, seen, 'the same token: no change event');
      assert.strictEqual(api.sessions.get(ID)?.token, first.token);

      const refreshes = shortMock.env.stats.get('datarhei.refresh');
      await until('the token to expire', () => (Date.now() > (first.expiresAt ?? 0) + 100 ? true : undefined), 8000);
      seen = events;
      const got = await vscode.authentication.getSession(AUTH_PROVIDER_ID, [ID], { silent: true });
      const renewed = api.sessions.get(ID);
      assert.ok(got && renewed);
      SECRETS.add(renewed.token);
      assert.notStrictEqual(got.accessToken, first.token, 'not the expired token');
      assert.strictEqual(got.accessToken, renewed.token, 'the renewed token the tree shows');
      assert.ok((renewed.expiresAt ?? 0) > Date.now());
      assert.strictEqual(renewed.history.at(-1)?.event, 'refresh', "by datarhei's refresh token");
      assert.strictEqual(shortMock.env.stats.get('datarhei.refresh'), refreshes + 1, 'one renewal');
      await until('the "changed" event', () => events > seen);
      const again = await vscode.authentication.getSession(AUTH_PROVIDER_ID, [ID], { silent: true });
      assert.strictEqual(again?.accessToken, renewed.token, 'a fresh token is handed out as it is');
      assert.strictEqual(shortMock.env.stats.get('datarhei.refresh'), refreshes + 1, 'no second renewal');
    });

    it('shows the session in the Accounts menu', async function () {
      if (!uiBridgeAvailable()) this.skip();
      const entry = `.monaco-menu .action-label:has-text(${JSON.stringify(`${ACCOUNT.label} (${AUTH_PROVIDER_LABEL})`)})`;
      await uiStep({ action: 'click', selector: '.activitybar a[aria-label^="Accounts"]' });
      try {
        await uiStep({ action: 'waitFor', selector: entry, state: 'visible' });
        await uiStep({ action: 'screenshot', path: 'test-results/accounts-menu.png' });
      } finally {
        await uiStep({ action: 'press', key: 'Escape' });
      }
    });

    it('hands out no session when renewing it would need a person, and asks nobody; the account stays listed', async () => {
      const conn = connOf(ID);
      const held = api.sessions.get(ID);
      assert.ok(held?.expiresAt && held.refreshExpiresAt);
      await vscode.commands.executeCommand('authExplorer.clearSecret', ID);
      try {
        const end = Math.max(held.expiresAt, held.refreshExpiresAt) + 100;
        await until('the token and the refresh token to expire', () => (Date.now() > end ? true : undefined), 10_000);
        const logins = shortMock.env.stats.get('datarhei.login');
        assert.strictEqual(await vscode.authentication.getSession(AUTH_PROVIDER_ID, [ID], { silent: true }), undefined, 'no expired token');
        assert.strictEqual(shortMock.env.stats.get('datarhei.login'), logins, 'no login without a stored password');
        assert.strictEqual(api.sessions.get(ID)?.token, held.token, 'the session stays for Log In and Sign Out');
        if (uiBridgeAvailable()) assert.strictEqual((await uiStep({ action: 'count', selector: '.quick-input-widget:visible' })).value, 0, 'no input box');
        const accounts = await vscode.authentication.getAccounts(AUTH_PROVIDER_ID);
        assert.ok(
          accounts.some((a) => a.id === ID),
          'VS Code still lists it (its Sign Out needs it)',
        );
      } finally {
        await api.vault.setSecret(conn, ACCOUNTS.datarhei.password);
      }
    });

    it('refuses scopes that name more than one connection', async () => {
      await assert.rejects(Promise.resolve(vscode.authentication.getSession(AUTH_PROVIDER_ID, [ID, 'other'], { silent: true })), /name one connection/);
    });

    it('Sign Out in the Accounts menu logs the connection out here', async () => {
      const seen = events;
      await vscode.commands.executeCommand('_signOutOfAccount', { providerId: AUTH_PROVIDER_ID, accountLabel: ACCOUNT.label });
      await until('the logout', () => (api.sessions.get(ID) === undefined ? true : undefined));
      assert.match(descriptionOf(ID) ?? '', /not logged in/);
      assert.strictEqual(await api.vault.getSession(connOf(ID)), undefined, 'its tokens left SecretStorage');
      assert.strictEqual(await api.vault.getSecret(connOf(ID)), ACCOUNTS.datarhei.password, 'the stored password stays');
      await until('the "removed" change event', () => events > seen);
      assert.ok(!(await vscode.authentication.getAccounts(AUTH_PROVIDER_ID)).some((a) => a.id === ID));
      assert.strictEqual(await vscode.authentication.getSession(AUTH_PROVIDER_ID, [ID], { silent: true }), undefined);
    });

    it('signing in for a connection that does not exist fails with an error naming it', async () => {
      const command = await requestSignIn(['no-such-connection']);
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand(command)),
        /Connection "no-such-connection": no connection has this id; pass one scope/,
      );
    });
  });
});

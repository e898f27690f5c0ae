// The extension in a real VS Code extension host (part 4, see setup.ts): keep-alive, sessions in SecretStorage
// across a reload, logout and removal.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { createSession } from '../../src/core/session';
import type { ConnectionConfig } from '../../src/core/types';
import { SessionService } from '../../src/ext/sessions';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { totpOf } from '../mock-vendors/code42';
import { type MockVendors, startMockVendors } from '../mock-vendors/server';
import { addConnections, api, cfg, connOf, descriptionOf, notificationsMentioning, SECRETS, setup, until } from './setup';
import { uiBridgeAvailable, uiStep } from './ui';

describe('API Auth Explorer in VS Code', function () {
  this.timeout(60_000);
  before(setup);

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
        passphrase: async () => assert.fail('no connection here has an encrypted client key'),
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

  describe('the status bar with many sessions', () => {
    it('its hover lists the first 12 live sessions and says how many more there are', async () => {
      const many: ConnectionConfig[] = Array.from({ length: 14 }, (_, i) => ({
        id: `many-${i}`,
        label: `Many ${String(i).padStart(2, '0')}`,
        vendor: 'datarhei',
        baseUrl: 'http://127.0.0.1:9/core',
        username: 'admin',
      }));
      await addConnections(many);
      for (const conn of many) {
        const token = `many-token-${conn.id}`;
        SECRETS.add(token);
        const attach = { kind: 'header' as const, name: 'Authorization', value: `Bearer ${token}` };
        api.sessions.manager.set(
          createSession({
            connectionId: conn.id,
            vendor: 'datarhei',
            authKind: 'password',
            token,
            attach,
            now: Date.now(),
            method: 'login',
            fixedLifetimeMs: 600_000,
          }),
          conn,
        );
      }
      const hover = () => String((api.statusBar.item.tooltip as vscode.MarkdownString | undefined)?.value ?? '');
      await until('the hover to name the sessions', () => hover().includes('Many 00'));
      const listed = many.filter((c) => hover().includes(c.label ?? ''));
      const others = api.sessions.manager.all().length - 12;
      assert.strictEqual(listed.length + (api.sessions.manager.all().length - 14), 12, hover());
      assert.ok(hover().includes(`…and ${others} more: the Connections view lists them all.`), hover());
      for (const conn of many) await vscode.commands.executeCommand('authExplorer.logout', conn.id);
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
});

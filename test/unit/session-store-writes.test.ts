// How often a window writes secret storage while its sessions are used: requests against the loopback Commvault
// server (30-minute idle window: every call moves the expiry) write nothing at once, the latest session is written
// once within the delay, a new token is written at once, and disposing the store writes what was still waiting.
import * as assert from 'node:assert/strict';
import type { ConnectionConfig, ExploreRequest } from '../../src/core/types';
import { SessionManager } from '../../src/engine/manager';
import { SecretVault } from '../../src/engine/secretVault';
import { type ConnectionSource, SessionStore } from '../../src/engine/sessionStore';
import { ADAPTERS } from '../../src/vendors';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { FakeSecretStorage } from './fakes/secretStorage';
import { useMockVendors } from './helpers';

const DELAY_MS = 150;
const WHO_AM_I: ExploreRequest = { kind: 'rest', method: 'POST', path: '/WhoAmI' };

describe('session store: writes while a session is used (loopback Commvault)', () => {
  const mock = useMockVendors();
  const conn = (): ConnectionConfig => ({ id: 'cv', vendor: 'commvault', baseUrl: mock().baseUrl('commvault'), username: 'admin' });
  let storage: FakeSecretStorage;
  let manager: SessionManager;
  let store: SessionStore;
  let vault: SecretVault;
  const sessionWrites = () => storage.calls.filter((c) => c.op === 'store' && /session/.test(c.key)).length;
  const stored = async () => vault.getSession(conn());
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeEach(async () => {
    storage = new FakeSecretStorage();
    vault = new SecretVault(storage, () => undefined);
    const settings: ConnectionSource = { all: () => [conn()], get: (id) => (id === 'cv' ? conn() : undefined) };
    manager = new SessionManager({ adapters: ADAPTERS, getSecret: async () => ACCOUNTS.commvault.password });
    store = new SessionStore(manager, vault, settings, { info: () => undefined }, { touchWriteDelayMs: DELAY_MS });
    await manager.login(conn(), { secret: ACCOUNTS.commvault.password });
    await pause(20);
  });
  afterEach(() => {
    store.dispose();
    vault.dispose();
    manager.dispose();
  });

  it('20 requests write nothing at once; the session after the last one is written once, within the delay', async () => {
    const afterLogin = sessionWrites();
    assert.equal(afterLogin, 1, 'the login itself is written at once');
    for (let i = 0; i < 20; i++) assert.equal((await manager.request(conn(), WHO_AM_I)).response.status, 200);
    assert.equal(sessionWrites(), afterLogin, 'no write per request');
    const used = manager.get('cv');
    await pause(DELAY_MS + 100);
    assert.equal(sessionWrites(), afterLogin + 1, 'one write for all 20');
    const s = await stored();
    assert.equal(s?.token, used?.token);
    assert.equal(s?.lastUsedAt, used?.lastUsedAt, 'the stored session is the one after the last request');
    assert.equal(s?.expiresAt, used?.expiresAt, 'with its moved idle expiry');
  });

  it('a new token (Commvault renew) is written at once, and no session from before it is written over it later', async () => {
    await manager.request(conn(), WHO_AM_I);
    const before = sessionWrites();
    const renewed = await manager.renew(conn());
    await pause(20);
    assert.equal(sessionWrites(), before + 1, 'written at once');
    assert.equal((await stored())?.token, renewed.token);
    await pause(DELAY_MS + 100);
    assert.equal((await stored())?.token, renewed.token, 'no session from before the renewal is written over it');
    assert.equal(manager.get('cv')?.token, renewed.token);
  });

  it('disposing the store writes the session still waiting, and leaves no timer behind', async () => {
    await manager.request(conn(), WHO_AM_I);
    const used = manager.get('cv');
    const before = sessionWrites();
    store.dispose();
    await pause(20);
    assert.equal(sessionWrites(), before + 1);
    assert.equal((await stored())?.lastUsedAt, used?.lastUsedAt);
  });
});

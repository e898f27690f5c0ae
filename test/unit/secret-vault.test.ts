// The engine's secret vault over a Map-backed fake SecretStorage: keys and bindings, guarded storage calls (a refused
// read, write or delete is logged without the value and never thrown), unreadable stored data, change events.
import * as assert from 'node:assert/strict';
import { createSession } from '../../src/core/session';
import type { ConnectionConfig, Session } from '../../src/core/types';
import { SecretVault, secretKey, type VaultChange } from '../../src/engine/secretVault';
import { FakeSecretStorage } from './fakes/secretStorage';

const PASSWORD = 'hunter2-correct-horse';
const conn = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
  id: 'cove',
  vendor: 'cove',
  baseUrl: 'https://api.example.test/jsonapi',
  username: 'alice',
  ...over,
});
const sessionOf = (c: ConnectionConfig, token = `visa-${c.id}-0123456789abcdef`): Session =>
  createSession({
    connectionId: c.id,
    vendor: c.vendor,
    authKind: 'password',
    token,
    attach: { kind: 'jsonrpc', name: 'visa', value: token },
    now: Date.now(),
    method: 'Login',
    slidingWindowMs: 900_000,
  });

describe('secret vault (engine, fake SecretStorage)', () => {
  let storage: FakeSecretStorage;
  let lines: string[];
  let vault: SecretVault;

  beforeEach(() => {
    storage = new FakeSecretStorage();
    lines = [];
    vault = new SecretVault(storage, (m) => lines.push(m));
  });
  afterEach(() => vault.dispose());

  it('stores each value under authExplorer.<id>.<kind> with the binding of its connection, and hands it only to that server and account', async () => {
    assert.equal(await vault.setSecret(conn(), PASSWORD), true);
    assert.deepEqual(storage.keys(), [secretKey('cove', 'secret')]);
    assert.equal(secretKey('cove', 'secret'), 'authExplorer.cove.secret');
    assert.equal(await vault.getSecret(conn()), PASSWORD);
    assert.equal(await vault.getSecret(conn({ baseUrl: 'https://elsewhere.example.test/jsonapi' })), undefined, 'another server');
    assert.equal(await vault.getSecret(conn({ username: 'mallory' })), undefined, 'another account');
    assert.equal(await vault.getSecret(conn()), PASSWORD, 'left in place for its own server');
    assert.equal(lines.filter((l) => /saved for another server or account/.test(l)).length, 2, 'each mismatch reported once');
  });

  it('a refused write is logged without the value, reported as false and not thrown', async () => {
    const s = sessionOf(conn());
    // A storage whose error message echoes what it was given must not carry the value into the log.
    storage.failing.set('store', new Error(`keychain locked; could not write ${PASSWORD}`));
    assert.equal(await vault.setSecret(conn(), PASSWORD), false);
    storage.failing.set('store', new Error(`keychain locked; could not write ${s.token}`));
    assert.equal(await vault.setSession(conn(), s), false);
    assert.equal(lines.length, 2);
    assert.match(lines[0], /could not store the secret of "cove": keychain locked/);
    assert.match(lines[1], /could not store the session of "cove": keychain locked/);
    for (const l of lines) assert.ok(!l.includes(PASSWORD) && !l.includes(s.token), l);
    assert.deepEqual(storage.keys(), []);
  });

  it('a refused read or delete is logged and taken as nothing stored, never thrown', async () => {
    await vault.setSecret(conn(), PASSWORD);
    storage.failing.set('get', new Error('keychain unavailable'));
    assert.equal(await vault.getSecret(conn()), undefined);
    assert.equal(await vault.getSession(conn()), undefined);
    storage.failing.set('delete', new Error('keychain unavailable'));
    assert.equal(await vault.delete('cove', 'secret'), false);
    await vault.deleteAll('cove');
    assert.ok(lines.some((l) => /secret storage could not be read \(keychain unavailable\)/.test(l)));
    assert.ok(lines.some((l) => /could not delete the secret of "cove"/.test(l)));
    assert.ok(lines.some((l) => /could not delete the session of "cove"/.test(l)));
    storage.failing.clear();
    assert.equal(await vault.getSecret(conn()), PASSWORD, 'nothing was lost by the failures');
  });

  it('a stored session that cannot be read as a session is deleted (one log line), and a good one round-trips', async () => {
    const good = sessionOf(conn());
    await vault.setSession(conn(), good);
    assert.deepEqual(await vault.getSession(conn()), good);
    const key = secretKey('cove', 'session');
    const bound = JSON.parse(storage.raw(key) ?? '{}') as { for: string };
    storage.plant(key, JSON.stringify({ for: bound.for, value: { ...good, token: 42 } }));
    assert.equal(await vault.getSession(conn()), undefined);
    assert.equal(storage.raw(key), undefined, 'deleted, so that the next login stores a good one');
    assert.deepEqual(lines, ['stored session of "cove" was unreadable and has been removed']);
    // A session stored under another connection's id is not trusted either.
    storage.plant(key, JSON.stringify({ for: bound.for, value: sessionOf(conn({ id: 'other' })) }));
    assert.equal(await vault.getSession(conn()), undefined);
    assert.equal(storage.raw(key), undefined);
  });

  it('a value in an unknown format (not JSON, no binding) is not used, left in place and reported once', async () => {
    const key = secretKey('cove', 'secret');
    storage.plant(key, PASSWORD); // as an older version stored it, without a binding
    assert.equal(await vault.getSecret(conn()), undefined);
    assert.equal(await vault.getSecret(conn()), undefined);
    assert.equal(storage.raw(key), PASSWORD);
    assert.deepEqual(lines, ['the stored secret of "cove" is in an unknown format and is not used; set it again']);
  });

  it('announces changes of its own keys (from this or another window) with connection id and kind, nothing else', async () => {
    const seen: VaultChange[] = [];
    const sub = vault.onDidChange((c) => seen.push(c));
    const other = new SecretVault(storage, () => undefined); // another window over the same storage
    await other.setSession(conn({ id: 'a.b-c' }), sessionOf(conn({ id: 'a.b-c' })));
    await other.delete('a.b-c', 'secret');
    storage.plant('someone.else', 'x', { fire: true });
    sub.dispose();
    await other.setSecret(conn(), PASSWORD);
    assert.deepEqual(seen, [
      { connectionId: 'a.b-c', kind: 'session' },
      { connectionId: 'a.b-c', kind: 'secret' },
    ]);
    other.dispose();
  });

  it('keeps the passphrase of a client key as its own kind, bound like the secret, deleted with the connection', async () => {
    const PASSPHRASE = 'client-key-passphrase-42';
    const seen: VaultChange[] = [];
    vault.onDidChange((c) => seen.push(c));
    assert.equal(await vault.setPassphrase(conn(), PASSPHRASE), true);
    assert.equal(secretKey('cove', 'passphrase'), 'authExplorer.cove.passphrase');
    assert.equal(await vault.getPassphrase(conn()), PASSPHRASE);
    assert.equal(await vault.getSecret(conn()), undefined, 'not the login secret');
    assert.equal(await vault.getPassphrase(conn({ baseUrl: 'https://elsewhere.example.test/jsonapi' })), undefined, 'another server');
    assert.deepEqual(seen, [{ connectionId: 'cove', kind: 'passphrase' }]);
    await vault.setSecret(conn(), PASSWORD);
    await vault.deleteAll('cove');
    assert.deepEqual(storage.keys(), []);
    assert.equal(await vault.getPassphrase(conn()), undefined);
    storage.failing.set('store', new Error(`keychain locked; could not write ${PASSPHRASE}`));
    assert.equal(await vault.setPassphrase(conn(), PASSPHRASE), false);
    assert.ok(lines.some((l) => /could not store the passphrase of "cove"/.test(l)));
    for (const l of lines) assert.ok(!l.includes(PASSPHRASE), l);
  });

  it('a listener that throws does not stop the others; dispose unsubscribes from the storage', async () => {
    const seen: string[] = [];
    vault.onDidChange(() => {
      throw new Error('listener bug');
    });
    vault.onDidChange((c) => seen.push(c.connectionId));
    await vault.setSecret(conn(), PASSWORD);
    assert.deepEqual(seen, ['cove']);
    assert.equal(storage.subscribers, 1);
    vault.dispose();
    assert.equal(storage.subscribers, 0);
  });
});

// The engine's SessionStore over a Map-backed fake SecretStorage — each "window" is a SessionManager, a vault and a
// store; two windows share one storage: sessions written when they change, restored after a reload, followed across
// windows (own writes not echoed back), bound to the settings they were made with, memory-only secrets, and a refused
// write that neither breaks a login against the loopback datarhei server nor puts a secret in a log line.
import * as assert from 'node:assert/strict';
import { createSession } from '../../src/core/session';
import type { ConnectionConfig, ExploreRequest, Session } from '../../src/core/types';
import { SessionManager } from '../../src/engine/manager';
import { SecretVault, secretKey } from '../../src/engine/secretVault';
import { type ConnectionSource, SessionStore } from '../../src/engine/sessionStore';
import { ADAPTERS } from '../../src/vendors';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { FakeSecretStorage } from './fakes/secretStorage';
import { useMockVendors } from './helpers';

/** The settings: a list of connections the test edits. */
class Settings implements ConnectionSource {
  private readonly list = new Map<string, ConnectionConfig>();
  constructor(...conns: ConnectionConfig[]) {
    for (const c of conns) this.set(c);
  }
  set(c: ConnectionConfig): void {
    this.list.set(c.id, c);
  }
  remove(id: string): void {
    this.list.delete(id);
  }
  all(): ConnectionConfig[] {
    return [...this.list.values()];
  }
  get(id: string): ConnectionConfig | undefined {
    return this.list.get(id);
  }
}

/** Every line any window logged in this file: checked for secrets at the end. */
const ALL_LINES: string[] = [];
/** Every secret and token this file handles. */
const SECRETS = new Set<string>();

interface Window {
  manager: SessionManager;
  vault: SecretVault;
  store: SessionStore;
  lines: string[];
  /** Session changes the manager announced (set or forget), per connection. */
  changes: (string | undefined)[];
  dispose(): void;
}

function openWindow(storage: FakeSecretStorage, settings: Settings, clock: () => number = Date.now): Window {
  const lines: string[] = [];
  const log = (line: string) => (lines.push(line), ALL_LINES.push(line));
  const vault = new SecretVault(storage, (m) => log(`warn [vault] ${m}`));
  const manager: SessionManager = new SessionManager({ adapters: ADAPTERS, clock, getSecret: (c) => store.secret(c) });
  const store: SessionStore = new SessionStore(manager, vault, settings, { info: (c, m) => log(`info [${c}] ${m}`) });
  const changes: (string | undefined)[] = [];
  const sub = manager.onDidChange((_id, s) => changes.push(s?.token));
  return { manager, vault, store, lines, changes, dispose: () => (sub.dispose(), store.dispose(), vault.dispose()) };
}

const cove = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
  id: 'cove',
  vendor: 'cove',
  baseUrl: 'https://api.example.test/jsonapi',
  username: 'alice',
  ...over,
});
let serial = 0;
function sessionOf(c: ConnectionConfig, opts: { now?: number; lifetimeMs?: number } = {}): Session {
  const token = `visa-${c.id}-${(++serial).toString().padStart(4, '0')}-secret-token`;
  SECRETS.add(token);
  return createSession({
    connectionId: c.id,
    vendor: c.vendor,
    authKind: 'password',
    token,
    attach: { kind: 'jsonrpc', name: 'visa', value: token },
    now: opts.now ?? Date.now(),
    method: 'Login',
    fixedLifetimeMs: opts.lifetimeMs ?? 3_600_000,
  });
}

/** Waits for the store's asynchronous storage round trips. */
async function until(what: string, fn: () => boolean | Promise<boolean>): Promise<void> {
  const end = Date.now() + 2000;
  while (!(await fn())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('session store (engine, fake SecretStorage)', () => {
  let storage: FakeSecretStorage;
  let settings: Settings;
  const windows: Window[] = [];
  const open = (clock?: () => number) => {
    const w = openWindow(storage, settings, clock);
    windows.push(w);
    return w;
  };
  const storedToken = async (w: Window, c: ConnectionConfig) => (await w.vault.getSession(c))?.token;

  beforeEach(() => {
    storage = new FakeSecretStorage();
    settings = new Settings(cove(), cove({ id: 'cv', vendor: 'commvault', baseUrl: 'https://cv.example.test/webconsole/api' }));
  });
  afterEach(() => {
    for (const w of windows.splice(0)) w.dispose();
  });

  it('writes a session to secret storage when the manager gets one, and deletes it when the manager forgets it', async () => {
    const w = open();
    const s = sessionOf(cove());
    w.manager.set(s);
    await until('stored', async () => (await storedToken(w, cove())) === s.token);
    w.manager.forget('cove');
    await until('deleted', () => storage.raw(secretKey('cove', 'session')) === undefined);
  });

  it('after a reload a new store over the same storage brings the sessions back, marked restored in their history', async () => {
    const before = open();
    const a = sessionOf(cove());
    const b = sessionOf(settings.get('cv') as ConnectionConfig);
    before.manager.set(a);
    before.manager.set(b);
    await until('both stored', () => storage.keys().length === 2);
    before.dispose();
    const after = open();
    assert.equal(after.manager.get('cove'), undefined, 'nothing before restore');
    await after.store.restore();
    for (const s of [a, b]) {
      const restored = after.manager.get(s.connectionId);
      assert.equal(restored?.token, s.token);
      assert.equal(restored?.history.at(-1)?.event, 'restore');
      assert.equal(restored?.history.at(-1)?.method, 'window reload');
    }
    assert.deepEqual(after.lines.sort(), [
      'info [session] restored the session of "cove" from secret storage',
      'info [session] restored the session of "cv" from secret storage',
    ]);
    await settle();
    assert.equal(storage.calls.filter((c) => c.op === 'store').length, 2, 'restoring writes nothing back');
  });

  it('on restore, a stored session past its expiry with no usable refresh is dropped and deleted', async () => {
    const w = open();
    w.manager.set(sessionOf(cove(), { now: Date.now() - 10_000, lifetimeMs: 5_000 }));
    await until('stored', () => storage.keys().length === 1);
    const later = open();
    await later.store.restore();
    assert.equal(later.manager.get('cove'), undefined);
    assert.deepEqual(storage.keys(), []);
  });

  it('a session whose connection now points at another server or account is dropped, with its stored copy', async () => {
    const w = open();
    const s = sessionOf(cove());
    w.manager.set(s);
    await until('stored', () => storage.keys().length === 1);
    settings.set(cove({ baseUrl: 'https://elsewhere.example.test/jsonapi' }));
    w.store.connectionsChanged();
    assert.equal(w.manager.get('cove'), undefined);
    assert.deepEqual(w.lines, ['info [session] "cove" now points at another server or account: its session is dropped']);
    await until('deleted', () => storage.keys().length === 0);
  });

  it('a session made for settings that changed while it was being made is dropped at once', async () => {
    const w = open();
    const original = cove();
    settings.set(cove({ username: 'bob' })); // edited while the login ran
    w.manager.set(sessionOf(original), original);
    await until('dropped', () => w.manager.get('cove') === undefined);
    const stored = await w.vault.getSession(settings.get('cove') as ConnectionConfig);
    assert.equal(stored, undefined, 'never handed to the edited connection');
  });

  it('a connection that leaves the settings keeps its stored session and picks it up when it comes back', async () => {
    const w = open();
    await w.store.restore();
    const s = sessionOf(cove());
    w.manager.set(s);
    await until('stored', () => storage.keys().length === 1);
    settings.remove('cove');
    w.store.connectionsChanged();
    assert.equal(w.manager.get('cove'), undefined);
    await settle();
    assert.equal(storage.keys().length, 1, 'still in storage');
    settings.set(cove());
    w.store.connectionsChanged();
    await until('back', () => w.manager.get('cove')?.token === s.token);
  });

  it('does not take its own writes back from the change events they cause', async () => {
    const w = open();
    const s1 = sessionOf(cove());
    w.manager.set(s1);
    await until('stored', async () => (await storedToken(w, cove())) === s1.token);
    await settle();
    assert.deepEqual(w.changes, [s1.token], 'one change: the set itself');
  });

  it('is not rolled back by the late echo of an earlier write of its own (a Cove visa changes on every call)', async () => {
    const w = open();
    const visas = [sessionOf(cove()), sessionOf(cove()), sessionOf(cove())];
    for (const s of visas) w.manager.set(s);
    await until('the last one stored', async () => (await storedToken(w, cove())) === visas[2].token);
    await settle();
    assert.equal(w.manager.get('cove')?.token, visas[2].token, 'memory keeps the newest');
    assert.deepEqual(
      w.changes,
      visas.map((s) => s.token),
      'no change but the three sets',
    );
  });

  it('a write of another window that lands while its own write is in flight is taken once that write is done', async () => {
    const a = open();
    const b = open();
    const mine = sessionOf(cove());
    const theirs = sessionOf(cove());
    const release = storage.holdNextStore();
    a.manager.set(mine); // stored, but window a is still waiting for the write to finish
    await until('window b has it', () => b.manager.get('cove')?.token === mine.token);
    b.manager.set(theirs); // lands after mine
    await settle();
    assert.equal(a.manager.get('cove')?.token, mine.token, 'nothing taken while its own write is in flight');
    release();
    await until('window a takes the newer write', () => a.manager.get('cove')?.token === theirs.token);
    assert.equal(await storedToken(a, cove()), theirs.token);
  });

  it("follows another window's write and delete", async () => {
    const a = open();
    const b = open();
    const s = sessionOf(cove());
    a.manager.set(s);
    await until('window b has it', () => b.manager.get('cove')?.token === s.token);
    assert.notEqual(b.manager.get('cove')?.history.at(-1)?.event, 'restore', 'a sync is not a reload');
    const renewed = { ...s, lastUsedAt: s.lastUsedAt + 1000, history: [...s.history, { ...s.history[0], event: 'call' as const }] };
    b.manager.set(renewed);
    await until('window a follows', () => a.manager.get('cove')?.history.length === renewed.history.length);
    await a.store.dropSession('cove'); // Logout in window a
    await until('window b forgets it', () => b.manager.get('cove') === undefined);
    assert.deepEqual(storage.keys(), []);
  });

  it('keeps a typed secret in memory only, for its server and account, until it is cleared', async () => {
    const w = open();
    w.store.keepInMemory(cove(), 'typed-password-123');
    SECRETS.add('typed-password-123');
    assert.equal(await w.store.secret(cove()), 'typed-password-123');
    assert.equal(await w.store.secret(cove({ baseUrl: 'https://elsewhere.example.test/jsonapi' })), undefined);
    assert.deepEqual(storage.keys(), [], 'never written');
    await w.vault.setSecret(cove(), 'stored-password-456');
    SECRETS.add('stored-password-456');
    assert.equal(await w.store.secret(cove()), 'stored-password-456', 'a stored secret comes first');
    await w.store.clearSecret('cove');
    assert.equal(await w.store.secret(cove()), undefined, 'both forgotten');
  });

  it('removeAll forgets the session and the secret and deletes every key of the connection', async () => {
    const w = open();
    w.manager.set(sessionOf(cove()));
    w.store.keepInMemory(cove(), 'typed-password-123');
    await w.vault.setSecret(cove(), 'stored-password-456');
    await until('stored', () => storage.keys().length === 2);
    await w.store.removeAll('cove');
    assert.equal(w.manager.get('cove'), undefined);
    assert.equal(await w.store.secret(cove()), undefined);
    await until('no keys', () => storage.keys().length === 0);
  });

  it('disposed, it stops listening to the storage', () => {
    const w = open();
    assert.equal(storage.subscribers, 1);
    w.dispose();
    assert.equal(storage.subscribers, 0);
  });

  describe('with the loopback datarhei server', () => {
    const mock = useMockVendors();
    const datarhei = (): ConnectionConfig => ({ id: 'dr', vendor: 'datarhei', baseUrl: mock().baseUrl('datarhei'), username: ACCOUNTS.datarhei.username });
    const PROCESS: ExploreRequest = { kind: 'rest', method: 'GET', path: '/api/v3/process' };
    beforeEach(() => {
      settings.set(datarhei());
      SECRETS.add(ACCOUNTS.datarhei.password);
    });
    const remember = (s: Session) => [s.token, s.refreshToken ?? ''].forEach((t) => SECRETS.add(t));

    it('a login whose session cannot be stored still succeeds; the refusal is logged without password or token', async () => {
      const w = open();
      storage.failing.set('store', new Error('the keychain is locked'));
      const s = await w.manager.login(datarhei(), { secret: ACCOUNTS.datarhei.password });
      remember(s);
      assert.equal(w.manager.get('dr')?.token, s.token, 'the session is in place');
      await until('the warning', () => w.lines.length > 0);
      assert.deepEqual(w.lines, ['warn [vault] could not store the session of "dr": the keychain is locked']);
      const { response } = await w.manager.request(datarhei(), PROCESS);
      assert.equal(response.status, 200, 'and it works');
    });

    it('a session restored after a reload is accepted by the server without a new login', async () => {
      const before = open();
      const s = await before.manager.login(datarhei(), { secret: ACCOUNTS.datarhei.password });
      remember(s);
      await until('stored', async () => (await storedToken(before, datarhei())) === s.token);
      before.dispose();
      const logins = mock().env.stats.get('datarhei.login');
      const after = open();
      await after.store.restore();
      assert.equal(after.manager.get('dr')?.token, s.token);
      const { response } = await after.manager.request(datarhei(), PROCESS);
      assert.equal(response.status, 200);
      assert.equal(mock().env.stats.get('datarhei.login'), logins, 'no new login');
    });
  });
});

// After every suite above (a suite's own tests run before its nested suites, so this is a suite of its own).
describe('session store: log lines', () => {
  it('no line any window logged holds a password, secret or token', () => {
    assert.ok(ALL_LINES.length >= 5 && SECRETS.size >= 10, `${ALL_LINES.length} lines, ${SECRETS.size} secrets`);
    for (const line of ALL_LINES) for (const secret of SECRETS) if (secret) assert.ok(!line.includes(secret), `a secret leaked into: ${line}`);
  });
});

// Where a window's sessions live beyond memory: each session the SessionManager holds is written to the secret
// vault when it changes, put back after a window reload, and followed when another window writes or deletes it.
// A session stays bound to the settings it was made with (vendor, server, account): when a connection starts to
// point elsewhere its session is dropped, so that its token never reaches the new server. Secrets typed for one
// login but not stored are kept here too, in memory only. No `vscode`: the extension passes in its settings and log.
import { Disposable } from '../core/lifecycle';
import { LaterOnce } from '../core/laterOnce';
import { isExpired, isRefreshUsable, pushHistory } from '../core/session';
import type { ConnectionConfig, Session } from '../core/types';
import { connectionBinding } from './config';
import type { SessionManager } from './manager';
import type { SecretVault } from './secretVault';

/** The configured connections (in the extension: the settings). */
export interface ConnectionSource {
  all(): readonly ConnectionConfig[];
  get(id: string): ConnectionConfig | undefined;
}

/** Where lifecycle lines go. No secret or token is ever part of a line. */
export interface StoreLog {
  info(component: string, msg: string): void;
}

/** How long a session that was only used (not renewed) may wait before it is written: its stored expiry lags so much. */
export const TOUCH_WRITE_DELAY_MS = 10_000;

export class SessionStore extends Disposable {
  private restoring: Promise<void> | undefined;
  /** Connections whose session is being put in place from storage: that change is not written back. */
  private readonly syncing = new Set<string>();
  /** The binding (vendor, server, account) each in-memory session was made for: a changed entry drops it. */
  private readonly bindings = new Map<string, string>();
  /** What this window last wrote per connection: its own writes echo back through onDidChange and are ignored. */
  private readonly written = new Map<string, string | undefined>();
  /** This window's writes per connection: how many were started, and those still in flight. */
  private readonly writes = new Map<string, { started: number; inFlight: Set<Promise<unknown>> }>();
  /** The session object this window last wrote per connection: what {@link onlyTouched} compares with. */
  private readonly lastWritten = new Map<string, Session | undefined>();
  /** Writes of sessions that were only used, pending per connection; flushed when the store is disposed. */
  private readonly deferred: LaterOnce;
  /** Secrets typed for one login but not stored: kept in memory for this window's re-logins only. */
  private readonly memorySecrets = new Map<string, string>();

  constructor(
    private readonly manager: SessionManager,
    private readonly vault: SecretVault,
    private readonly connections: ConnectionSource,
    private readonly log: StoreLog,
    opts: { touchWriteDelayMs?: number } = {},
  ) {
    super();
    this.deferred = this.register(new LaterOnce(opts.touchWriteDelayMs ?? TOUCH_WRITE_DELAY_MS));
    this.register(
      manager.onDidChange((id, session, madeFor) => this.onSessionChanged(id, session, madeFor)),
      vault.onDidChange(({ connectionId, kind }) => {
        if (kind === 'session') void this.syncFromStorage(connectionId);
      }),
    );
  }

  /** Restores stored sessions once (first use after activation); expired ones without a usable refresh are dropped. */
  restore(): Promise<void> {
    this.restoring ??= (async () => {
      await Promise.all(this.connections.all().map((c) => this.syncFromStorage(c.id, { reload: true })));
    })();
    return this.restoring;
  }

  /**
   * The settings changed. A session whose connection left (or became invalid) is forgotten in memory only, so that
   * an edit that brings it back finds it in storage; a session whose server or account changed is dropped for good
   * (its token must not go to the new server).
   */
  connectionsChanged(): void {
    for (const s of this.manager.all()) {
      const conn = this.connections.get(s.connectionId);
      if (!conn) {
        this.manager.forget(s.connectionId); // not persisted: the connection is gone from the settings
        this.written.delete(s.connectionId); // so that its stored session is picked up again if it comes back
      } else if (this.bindings.has(conn.id) && this.bindings.get(conn.id) !== connectionBinding(conn)) {
        this.log.info('session', `"${conn.id}" now points at another server or account: its session is dropped`);
        this.manager.forget(conn.id);
      }
    }
    // Connections that (re)appeared pick up their stored session, once the first restore has run.
    if (this.restoring) {
      for (const c of this.connections.all()) if (!this.manager.get(c.id)) void this.syncFromStorage(c.id);
    }
  }

  /** The secret for a login: the stored one, else one typed earlier in this window for the same server and account. */
  async secret(conn: ConnectionConfig): Promise<string | undefined> {
    return (await this.vault.getSecret(conn)) ?? this.memorySecrets.get(memoryKey(conn));
  }

  /** Keeps a typed secret for this window's re-logins (the user did not, or not yet, choose to store it). */
  keepInMemory(conn: ConnectionConfig, secret: string): void {
    this.memorySecrets.set(memoryKey(conn), secret);
  }

  /** Forgets the secret, stored and in memory. */
  async clearSecret(id: string): Promise<void> {
    this.forgetMemorySecrets(id);
    await this.vault.delete(id, 'secret');
  }

  /** Logout: the session leaves memory and storage. */
  async dropSession(id: string): Promise<void> {
    this.manager.forget(id);
    await this.vault.delete(id, 'session');
  }

  /** Removing a connection removes every key it had. */
  async removeAll(id: string): Promise<void> {
    this.forgetMemorySecrets(id);
    this.manager.forget(id);
    this.manager.forgetPassphrase(id);
    await this.vault.deleteAll(id);
  }

  private onSessionChanged(id: string, session: Session | undefined, madeFor: ConnectionConfig | undefined): void {
    const current = this.connections.get(id);
    if (session) {
      if (madeFor) this.bindings.set(id, connectionBinding(madeFor));
      else if (current && !this.bindings.has(id)) this.bindings.set(id, connectionBinding(current));
    } else {
      this.bindings.delete(id);
    }
    // A connection that left the settings keeps its stored session (an edit may bring it back); only
    // Remove Connection and Logout delete it. Unchanged sessions are not written again.
    // The session is stored for the settings it was made with (a login may finish after the baseUrl was edited).
    if (current && !this.syncing.has(id)) {
      if (session && this.onlyTouched(id, session)) {
        this.writeLater(id);
      } else {
        this.deferred.cancel(id);
        const json = session ? JSON.stringify(session) : undefined;
        if (!this.written.has(id) || this.written.get(id) !== json) void this.persist(madeFor ?? current, session, json);
      }
    }
    // Made for settings that have changed since: dropped at once (its token must not reach the new server).
    if (session && current && this.bindings.get(id) !== connectionBinding(current)) queueMicrotask(() => this.connectionsChanged());
  }

  /**
   * Puts the stored session of a connection in place (after a reload, or when another window wrote it). A session
   * past its expiry with no usable refresh token is dropped; one stored for another server is never used.
   */
  private async syncFromStorage(id: string, opts: { reload?: boolean } = {}): Promise<void> {
    const conn = this.connections.get(id);
    if (!conn) return;
    const writes = this.writesOf(id);
    const started = writes.started;
    const stored = await this.vault.getSession(conn);
    if (writes.started !== started || writes.inFlight.size > 0) {
      // A write of this window started meanwhile or is in flight: what was read may predate it, and putting it in
      // place would roll memory back to an older session. Read again once this window's writes are done.
      while (writes.inFlight.size > 0) await Promise.all(writes.inFlight);
      return this.syncFromStorage(id, opts);
    }
    const json = stored ? JSON.stringify(stored) : undefined;
    if (this.written.has(id) && this.written.get(id) === json) return; // our own write
    const now = this.manager.clock();
    this.syncing.add(id);
    try {
      if (!stored) {
        this.manager.forget(id);
      } else if (isExpired(stored, now) && !isRefreshUsable(stored, now)) {
        this.manager.forget(id);
        await this.vault.delete(id, 'session');
      } else if (JSON.stringify(this.manager.get(id)) !== json) {
        const restored = opts.reload
          ? pushHistory(stored, { at: now, event: 'restore', method: 'window reload', token: stored.token, replaced: null, expiresAt: stored.expiresAt })
          : stored;
        this.manager.set(restored);
        if (opts.reload) this.log.info('session', `restored the session of "${id}" from secret storage`);
      }
    } finally {
      this.syncing.delete(id);
    }
  }

  /**
   * Whether `session` differs from what this window last wrote only by use (lastUsedAt, a sliding expiresAt): every
   * request through the gateway or Send Request moves those, and writing secret storage (and waking every other
   * window) for each request cost far more than the request. Such a change is written within
   * {@link TOUCH_WRITE_DELAY_MS}; a new token, refresh token or history entry is written at once.
   */
  private onlyTouched(id: string, session: Session): boolean {
    const last = this.lastWritten.get(id);
    if (!last) return false;
    if (last === session) return true;
    const keys = Object.keys(session) as (keyof Session)[];
    if (keys.length !== Object.keys(last).length) return false;
    return keys.every((k) => k === 'lastUsedAt' || k === 'expiresAt' || last[k] === session[k]);
  }

  /** Writes the connection's session as it will be then, once, within {@link TOUCH_WRITE_DELAY_MS}. */
  private writeLater(id: string): void {
    this.deferred.once(id, () => {
      const conn = this.connections.get(id);
      const session = this.manager.get(id);
      if (!conn || !session || this.syncing.has(id) || this.bindings.get(id) !== connectionBinding(conn)) return;
      void this.persist(conn, session, JSON.stringify(session));
    });
  }

  /** Writes (or deletes) the stored session; the vault logs a refused write, which never breaks a login. */
  private async persist(conn: ConnectionConfig, session: Session | undefined, json: string | undefined): Promise<void> {
    this.written.set(conn.id, json);
    this.lastWritten.set(conn.id, session);
    const writes = this.writesOf(conn.id);
    writes.started++;
    const p = session ? this.vault.setSession(conn, session) : this.vault.delete(conn.id, 'session');
    writes.inFlight.add(p);
    try {
      await p;
    } finally {
      writes.inFlight.delete(p);
    }
  }

  private writesOf(id: string): { started: number; inFlight: Set<Promise<unknown>> } {
    let w = this.writes.get(id);
    if (!w) this.writes.set(id, (w = { started: 0, inFlight: new Set() }));
    return w;
  }

  private forgetMemorySecrets(id: string): void {
    for (const key of [...this.memorySecrets.keys()]) if (key.startsWith(`${id}\n`)) this.memorySecrets.delete(key);
  }
}

/** A typed secret is kept in memory for the connection's server and account only (as the vault binds stored ones). */
function memoryKey(conn: ConnectionConfig): string {
  return `${conn.id}\n${connectionBinding(conn)}`;
}

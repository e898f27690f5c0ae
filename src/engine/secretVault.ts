// The one owner of secret storage: keys are built by one function, every value is stored with the binding of the
// connection it belongs to (vendor, server, account), and every storage call is guarded — a failed read, write or
// delete is logged (never with the value) and never thrown. Secret storage is shared by all workspaces, and a
// connection id reused elsewhere (another workspace, an edited baseUrl) must never receive a password or token that
// was stored for a different server. No `vscode` here: the extension hands in `context.secrets`, tests a fake.
import { Disposable, type IDisposable, toDisposable } from '../core/lifecycle';
import { scrubSecrets } from '../core/redact';
import { sessionSecrets } from '../core/session';
import { isDateMs } from '../core/time';
import type { ConnectionConfig, Session } from '../core/types';
import { isFiniteNumber, isRecord } from '../core/util';
import { connectionBinding } from './config';
import { errorMessage } from '../core/errors';

/** The part of VS Code's SecretStorage the vault uses; `context.secrets` satisfies it as it is. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  /** Fires for a key written or deleted in this window or in another one. */
  readonly onDidChange: (listener: (e: { readonly key: string }) => unknown) => IDisposable;
}

/** The login secret, the session, and the passphrase of the connection's client key. */
export type SecretKind = 'secret' | 'session' | 'passphrase';

export interface VaultChange {
  connectionId: string;
  kind: SecretKind;
}

/** `authExplorer.<connectionId>.<kind>` */
export function secretKey(connectionId: string, kind: SecretKind): string {
  return `authExplorer.${connectionId}.${kind}`;
}

const KEY_PATTERN = /^authExplorer\.(.+)\.(secret|session|passphrase)$/;

/** What is stored under a key: the value and the binding of the connection it belongs to. */
interface Stored<T> {
  for: string;
  value: T;
}

export class SecretVault extends Disposable {
  private readonly listeners = new Set<(change: VaultChange) => void>();
  /** Mismatches already reported (one log line each, not one per read). */
  private readonly reported = new Set<string>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly warn: (msg: string) => void,
  ) {
    super();
    this.register(
      secrets.onDidChange((e) => {
        const m = KEY_PATTERN.exec(e.key);
        if (m) this.emit({ connectionId: m[1], kind: m[2] as SecretKind });
      }),
    );
  }

  /** Fires when a key of ours changes in this or another window. */
  onDidChange(listener: (change: VaultChange) => void): IDisposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  /** The stored password / API key / Auth0 token of this connection — only if it was stored for this server and account. */
  async getSecret(conn: ConnectionConfig): Promise<string | undefined> {
    const stored = await this.readBound(conn, 'secret');
    return typeof stored === 'string' && stored.length > 0 ? stored : undefined;
  }

  /** Stores the secret; false (and a log line) when secret storage refused it. */
  setSecret(conn: ConnectionConfig, value: string): Promise<boolean> {
    return this.write(conn, 'secret', value, [value, JSON.stringify(value).slice(1, -1)]);
  }

  /** The stored passphrase of the connection's client key, bound like the secret. */
  async getPassphrase(conn: ConnectionConfig): Promise<string | undefined> {
    const stored = await this.readBound(conn, 'passphrase');
    return typeof stored === 'string' && stored.length > 0 ? stored : undefined;
  }

  /** Stores the passphrase of the client key; false (and a log line) when secret storage refused it. */
  setPassphrase(conn: ConnectionConfig, value: string): Promise<boolean> {
    return this.write(conn, 'passphrase', value, [value, JSON.stringify(value).slice(1, -1)]);
  }

  /** The stored session; one that cannot be read as a session is deleted (a new login stores a good one). */
  async getSession(conn: ConnectionConfig): Promise<Session | undefined> {
    const s = await this.readBound(conn, 'session');
    if (s === undefined) return undefined;
    if (isSession(s, conn.id)) return s;
    this.warn(`stored session of "${conn.id}" was unreadable and has been removed`);
    await this.delete(conn.id, 'session');
    return undefined;
  }

  /** Stores the session; false (and a log line) when secret storage refused it. */
  setSession(conn: ConnectionConfig, session: Session): Promise<boolean> {
    return this.write(conn, 'session', session, sessionSecrets(session));
  }

  /** Deletes one key; false (and a log line) when secret storage refused. */
  async delete(connectionId: string, kind: SecretKind): Promise<boolean> {
    try {
      await this.secrets.delete(secretKey(connectionId, kind));
      return true;
    } catch (e) {
      this.warn(`could not delete the ${kind} of "${connectionId}": ${errorMessage(e)}`);
      return false;
    }
  }

  /** Removes every key a connection had. */
  async deleteAll(connectionId: string): Promise<void> {
    await Promise.all([this.delete(connectionId, 'secret'), this.delete(connectionId, 'session'), this.delete(connectionId, 'passphrase')]);
  }

  private async write(conn: ConnectionConfig, kind: SecretKind, value: unknown, secrets: string[]): Promise<boolean> {
    let raw: string | undefined;
    try {
      raw = JSON.stringify({ for: connectionBinding(conn), value } satisfies Stored<unknown>);
      await this.secrets.store(secretKey(conn.id, kind), raw);
      return true;
    } catch (e) {
      // The storage's own message could echo what it was given: the value is scrubbed from it.
      this.warn(`could not store the ${kind} of "${conn.id}": ${scrubSecrets(errorMessage(e), raw ? [raw, ...secrets] : secrets)}`);
      return false;
    }
  }

  /** The stored value when it belongs to this connection's server and account; undefined otherwise (left in place). */
  private async readBound(conn: ConnectionConfig, kind: SecretKind): Promise<unknown> {
    const key = secretKey(conn.id, kind);
    let raw: string | undefined;
    try {
      raw = await this.secrets.get(key);
    } catch (e) {
      this.warn(`secret storage could not be read (${errorMessage(e)})`);
      return undefined;
    }
    if (raw === undefined) return undefined;
    let stored: Partial<Stored<unknown>> | undefined;
    try {
      stored = JSON.parse(raw) as Partial<Stored<unknown>>;
    } catch {
      stored = undefined;
    }
    if (typeof stored !== 'object' || stored === null || typeof stored.for !== 'string') {
      this.report(key, `the stored ${kind} of "${conn.id}" is in an unknown format and is not used; set it again`);
      return undefined;
    }
    if (stored.for !== connectionBinding(conn)) {
      this.report(
        `${key}|${stored.for}|${connectionBinding(conn)}`,
        `the stored ${kind} of "${conn.id}" was saved for another server or account and is not sent to ${conn.baseUrl}; log in or set the secret again`,
      );
      return undefined;
    }
    return stored.value;
  }

  private report(key: string, message: string): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.warn(message);
  }

  private emit(change: VaultChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (e) {
        // A listener's failure must not stop the others, nor go unseen.
        this.warn(`a secret-storage listener failed: ${errorMessage(e)}`);
      }
    }
  }

  override dispose(): void {
    this.listeners.clear();
    super.dispose();
  }
}

/** Every field the extension reads from a session, checked: data from an older version or another tool is not trusted. */
function isSession(s: unknown, connectionId: string): s is Session {
  if (!isRecord(s)) return false;
  const attach = s.attach;
  const num = isFiniteNumber;
  const numOrNull = (x: unknown) => x === null || num(x);
  return (
    s.connectionId === connectionId &&
    typeof s.vendor === 'string' &&
    typeof s.authKind === 'string' &&
    typeof s.token === 'string' &&
    isRecord(attach) &&
    typeof attach.kind === 'string' &&
    typeof attach.name === 'string' &&
    typeof attach.value === 'string' &&
    num(s.issuedAt) &&
    numOrNull(s.expiresAt) &&
    typeof s.expiresBecause === 'string' &&
    numOrNull(s.slidingWindowMs) &&
    num(s.lastUsedAt) &&
    (s.refreshToken === null || typeof s.refreshToken === 'string') &&
    numOrNull(s.refreshExpiresAt) &&
    Array.isArray(s.history) &&
    s.history.every((h: unknown) => isRecord(h) && typeof h.token === 'string' && num(h.at)) &&
    isRecord(s.vendorState) &&
    // Absent in sessions stored before clock skew was measured (and when the clocks agree).
    (s.serverClockOffsetMs === undefined || isDateMs(s.serverClockOffsetMs))
  );
}

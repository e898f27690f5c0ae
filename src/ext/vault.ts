// The only module that touches context.secrets. Keys are built by one function; values are never logged.
// Every value is stored with the binding of the connection it belongs to (vendor, server, account): SecretStorage
// is shared by all workspaces, and a connection id reused elsewhere (another workspace, an edited baseUrl) must
// never receive a password or token that was stored for a different server.
import * as vscode from 'vscode';
import { connectionBinding } from '../engine/config';
import type { ConnectionConfig, Session } from '../core/types';

export type SecretKind = 'secret' | 'session';

/** `authExplorer.<connectionId>.<kind>` */
export function secretKey(connectionId: string, kind: SecretKind): string {
  return `authExplorer.${connectionId}.${kind}`;
}

const KEY_PATTERN = /^authExplorer\.(.+)\.(secret|session)$/;

/** What is stored under a key: the value and what it belongs to. */
interface Stored<T> {
  for: string;
  value: T;
}

export class Vault implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<{ connectionId: string; kind: SecretKind }>();
  /** Fires when a key of ours changes in this or another window. */
  readonly onDidChange = this.changed.event;
  private readonly sub: vscode.Disposable;
  /** Mismatches already reported (one log line each, not one per read). */
  private readonly reported = new Set<string>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly warn: (msg: string) => void,
  ) {
    this.sub = secrets.onDidChange((e) => {
      const m = KEY_PATTERN.exec(e.key);
      if (m) this.changed.fire({ connectionId: m[1], kind: m[2] as SecretKind });
    });
  }

  /** The stored password / API key / Auth0 token of this connection — only if it was stored for this server and account. */
  async getSecret(conn: ConnectionConfig): Promise<string | undefined> {
    const stored = await this.readBound(conn, 'secret');
    return typeof stored === 'string' && stored.length > 0 ? stored : undefined;
  }

  async setSecret(conn: ConnectionConfig, value: string): Promise<void> {
    await this.write(conn, 'secret', value);
  }

  async getSession(conn: ConnectionConfig): Promise<Session | undefined> {
    const s = await this.readBound(conn, 'session');
    if (s === undefined) return undefined;
    if (isSession(s, conn.id)) return s;
    this.warn(`stored session of "${conn.id}" was unreadable and has been removed`);
    await this.delete(conn.id, 'session');
    return undefined;
  }

  async setSession(conn: ConnectionConfig, session: Session): Promise<void> {
    await this.write(conn, 'session', session);
  }

  async delete(connectionId: string, kind: SecretKind): Promise<void> {
    try {
      await this.secrets.delete(secretKey(connectionId, kind));
    } catch (e) {
      this.warn(`could not delete the ${kind} of "${connectionId}": ${(e as Error).message}`);
    }
  }

  /** Removes every key a connection had. */
  async deleteAll(connectionId: string): Promise<void> {
    await Promise.all([this.delete(connectionId, 'secret'), this.delete(connectionId, 'session')]);
  }

  private async write(conn: ConnectionConfig, kind: SecretKind, value: unknown): Promise<void> {
    const stored: Stored<unknown> = { for: connectionBinding(conn), value };
    await this.secrets.store(secretKey(conn.id, kind), JSON.stringify(stored));
  }

  /** The stored value when it belongs to this connection's server and account; undefined otherwise (left in place). */
  private async readBound(conn: ConnectionConfig, kind: SecretKind): Promise<unknown> {
    const key = secretKey(conn.id, kind);
    let raw: string | undefined;
    try {
      raw = await this.secrets.get(key);
    } catch (e) {
      this.warn(`secret storage could not be read (${(e as Error).message})`);
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

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}

/** Every field the extension reads from a session, checked: data from an older version or another tool is not trusted. */
function isSession(v: unknown, connectionId: string): v is Session {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  const attach = s.attach as Record<string, unknown> | null | undefined;
  const num = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  const numOrNull = (x: unknown) => x === null || num(x);
  return (
    s.connectionId === connectionId &&
    typeof s.vendor === 'string' &&
    typeof s.authKind === 'string' &&
    typeof s.token === 'string' &&
    typeof attach === 'object' &&
    attach !== null &&
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
    s.history.every((h: unknown) => typeof h === 'object' && h !== null && typeof (h as { token?: unknown }).token === 'string' && num((h as { at?: unknown }).at)) &&
    typeof s.vendorState === 'object' &&
    s.vendorState !== null
  );
}

// The only module that touches context.secrets. Keys are built by one function; values are never logged.
import * as vscode from 'vscode';
import type { Session } from '../core/types';

export type SecretKind = 'secret' | 'session';

/** `authExplorer.<connectionId>.<kind>` */
export function secretKey(connectionId: string, kind: SecretKind): string {
  return `authExplorer.${connectionId}.${kind}`;
}

const KEY_PATTERN = /^authExplorer\.(.+)\.(secret|session)$/;

export class Vault implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<{ connectionId: string; kind: SecretKind }>();
  /** Fires when a key of ours changes in this or another window. */
  readonly onDidChange = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly warn: (msg: string) => void,
  ) {
    this.sub = secrets.onDidChange((e) => {
      const m = KEY_PATTERN.exec(e.key);
      if (m) this.changed.fire({ connectionId: m[1], kind: m[2] as SecretKind });
    });
  }

  async getSecret(connectionId: string): Promise<string | undefined> {
    return this.read(secretKey(connectionId, 'secret'));
  }

  async hasSecret(connectionId: string): Promise<boolean> {
    return (await this.getSecret(connectionId)) !== undefined;
  }

  async setSecret(connectionId: string, value: string): Promise<void> {
    await this.secrets.store(secretKey(connectionId, 'secret'), value);
  }

  async getSession(connectionId: string): Promise<Session | undefined> {
    const raw = await this.read(secretKey(connectionId, 'session'));
    if (raw === undefined) return undefined;
    try {
      const s = JSON.parse(raw) as Session;
      if (typeof s?.token === 'string' && s.connectionId === connectionId && Array.isArray(s.history)) return s;
    } catch {
      // fall through: unreadable data is deleted, never trusted
    }
    this.warn(`stored session of "${connectionId}" was unreadable and has been removed`);
    await this.delete(connectionId, 'session');
    return undefined;
  }

  async setSession(session: Session): Promise<void> {
    await this.secrets.store(secretKey(session.connectionId, 'session'), JSON.stringify(session));
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

  private async read(key: string): Promise<string | undefined> {
    try {
      return await this.secrets.get(key);
    } catch (e) {
      this.warn(`secret storage could not be read (${(e as Error).message})`);
      return undefined;
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}

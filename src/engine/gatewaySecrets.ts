// The forms of each connection's stored secret that the gateway replaces in answers (raw, base64, user:password
// base64), kept for a few seconds: in VS Code each read is a round trip to the secret store, which every request
// would otherwise pay. A new login (first or again) may have used another secret, so the forms are read again after
// one; a call (Cove's next visa, a sliding window) changes nothing here.
import type { ConnectionConfig, HistoryEntry, Session } from '../core/types';
import { storedSecretForms } from './gatewayAnswer';
import type { SessionManager } from './manager';

/** How long the forms of a connection's stored secret are kept between reads of the secret store. */
export const SECRET_FORMS_TTL_MS = 5_000;

/** The session's newest login entry (undefined: no session; null: no login left in its bounded history). */
function lastLogin(s: Session | undefined): HistoryEntry | null | undefined {
  if (!s) return undefined;
  for (let i = s.history.length - 1; i >= 0; i--) {
    const e = s.history[i];
    if (e.event === 'login' || e.event === 'relogin') return e;
  }
  return null;
}

export class StoredSecretForms {
  private readonly cache = new Map<string, { forms: string[]; until: number; username: string | undefined; login: HistoryEntry | null | undefined }>();

  constructor(
    private readonly manager: SessionManager,
    private readonly read: (conn: ConnectionConfig) => Promise<string | undefined>,
  ) {}

  /** Every form of the connection's stored secret; none when it cannot be read (an answer is not held back for it). */
  async of(conn: ConnectionConfig): Promise<string[]> {
    const now = performance.now();
    const login = lastLogin(this.manager.get(conn.id));
    const cached = this.cache.get(conn.id);
    if (cached && cached.until > now && cached.username === conn.username && cached.login === login) return cached.forms;
    try {
      const forms = storedSecretForms(await this.read(conn), conn.username);
      this.cache.set(conn.id, { forms, until: now + SECRET_FORMS_TTL_MS, username: conn.username, login });
      return forms;
    } catch {
      return [];
    }
  }

  dispose(): void {
    this.cache.clear();
  }
}

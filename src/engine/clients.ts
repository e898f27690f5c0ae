// The HTTP clients of the session manager: one axios instance per connection, rebuilt when its transport settings
// change, and the passphrase of a connection's client key (asked through the manager's deps, kept in memory only).
import type { AxiosInstance } from 'axios';
import type { CancelSignal } from '../core/deadline';
import { AuthError, isAuthError } from '../core/errors';
import { type AdapterContext, createHttpClient, destroyHttpClient, type HttpClientOptions, retireHttpClient } from '../core/http';
import { PASSPHRASE_NEEDED, PASSPHRASE_WRONG } from '../core/tlsMaterial';
import type { Clock, ConnectionConfig } from '../core/types';
import type { Wording } from '../core/wording';

/** Passphrase prompts at most per client creation. */
const MAX_PASSPHRASE_ATTEMPTS = 3;

/** What the session manager's deps say about HTTP clients and client-key passphrases. */
export interface ClientDeps {
  /**
   * Asks for the passphrase of a connection's client key: 'needed' when none was given yet, 'wrong' when the last one
   * did not unlock it. Undefined means the user cancelled. Absent: an encrypted key is an error.
   */
  getPassphrase?(conn: ConnectionConfig, reason: 'needed' | 'wrong'): Promise<string | undefined>;
  /** The passphrase last handed out by getPassphrase unlocked the key (the extension stores it then). */
  passphraseAccepted?(conn: ConnectionConfig, passphrase: string): void;
  /**
   * How the HTTP client of a connection is made beyond its settings: the extension passes `ownAgents: false` (VS Code's
   * network patch and proxy support apply), the CLI its resolved proxy. Default: own agents, no proxy.
   */
  httpClientOptions?(conn: ConnectionConfig): Omit<HttpClientOptions, 'passphrase'>;
  trace?(line: Wording): void;
}

export class HttpClients {
  private readonly clients = new Map<string, { key: string; http: AxiosInstance }>();
  /** Client-key passphrases, in memory only, and a count of the changes (part of the client cache key). */
  private readonly passphrases = new Map<string, { value: string; generation: number }>();
  private passphraseGeneration = 0;
  /** One passphrase dialogue per connection at a time: concurrent callers wait for it. */
  private readonly preparing = new Map<string, Promise<AdapterContext>>();

  constructor(
    private readonly deps: ClientDeps,
    private readonly clock: Clock,
  ) {}

  /**
   * The adapter context for a connection; the axios instance is reused while timeout, size limit, TLS settings (and
   * passphrase) stay the same. A client replaced after a settings change is retired: its keep-alive sockets close (one
   * still in use when its exchange ends). Throws when the TLS files are missing or unusable, or the client key needs
   * a passphrase not known yet ({@link prepare} asks for it).
   */
  context(conn: ConnectionConfig, signal?: CancelSignal): AdapterContext {
    const options = this.deps.httpClientOptions?.(conn) ?? {};
    const passphrase = this.passphrases.get(conn.id);
    // The passphrase itself stays out of the key: its generation says when it changed.
    const key = JSON.stringify([conn.timeoutMs, conn.maxResponseBytes, conn.tls, options, passphrase?.generation]);
    let entry = this.clients.get(conn.id);
    if (!entry || entry.key !== key) {
      const replaced = entry;
      entry = { key, http: createHttpClient(conn, { ...options, ...(passphrase ? { passphrase: passphrase.value } : {}) }) };
      this.clients.set(conn.id, entry);
      if (replaced) retireHttpClient(replaced.http);
    }
    return { http: entry.http, clock: this.clock, signal, trace: this.deps.trace };
  }

  /**
   * The adapter context, asking for the client key's passphrase when it needs one (at most three tries; cancelling
   * is a `cancelled` error). Reads the connection's TLS files: a login calls this before it reads any secret, so a
   * missing certificate file is reported first.
   */
  async prepare(conn: ConnectionConfig, signal?: CancelSignal): Promise<AdapterContext> {
    const running = this.preparing.get(conn.id);
    if (running) return { ...(await running), signal };
    try {
      return this.context(conn, signal);
    } catch (e) {
      if (!needsPassphrase(e) || !this.deps.getPassphrase) throw e;
      const p = this.askPassphrase(conn, e).finally(() => this.preparing.delete(conn.id));
      this.preparing.set(conn.id, p);
      return { ...(await p), signal };
    }
  }

  private async askPassphrase(conn: ConnectionConfig, first: AuthError): Promise<AdapterContext> {
    let failure = first;
    for (let attempt = 1; attempt <= MAX_PASSPHRASE_ATTEMPTS; attempt++) {
      const wrong = failure.details.code === PASSPHRASE_WRONG;
      if (wrong) this.passphrases.delete(conn.id);
      const value = await this.deps.getPassphrase?.(conn, wrong ? 'wrong' : 'needed');
      if (value === undefined) throw new AuthError('cancelled', 'no passphrase was entered for the client certificate');
      this.passphrases.set(conn.id, { value, generation: ++this.passphraseGeneration });
      try {
        const ctx = this.context(conn);
        this.deps.passphraseAccepted?.(conn, value);
        return ctx;
      } catch (e) {
        if (!needsPassphrase(e)) throw e;
        failure = e;
      }
    }
    this.passphrases.delete(conn.id);
    throw failure;
  }

  /** Forgets a connection's passphrase (its connection was removed, or the user cleared it). */
  forgetPassphrase(connectionId: string): void {
    this.passphrases.delete(connectionId);
  }

  /** Closes every connection's sockets (idle or in use). A later call makes a new client. */
  dispose(): void {
    for (const { http } of this.clients.values()) destroyHttpClient(http);
    this.clients.clear();
  }
}

function needsPassphrase(e: unknown): e is AuthError {
  return isAuthError(e) && (e.details.code === PASSPHRASE_NEEDED || e.details.code === PASSPHRASE_WRONG);
}

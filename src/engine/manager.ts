// The session manager: holds one session per connection and applies each vendor's renewal policy.
// Adapters do single exchanges; here they are combined into "log in (answering 2FA)", "renew" (refresh when the
// vendor has it, else re-login with the stored secret) and "send a request, renewing and retrying as needed".
// One in-flight renewal per connection is shared by every waiter. Used by the CLI and the extension alike.
import type { Adapters, VendorAdapter } from '../core/adapter';
import { AuthError, isAuthError } from '../core/errors';
import type { CancelSignal } from '../core/deadline';
import type { AdapterContext } from '../core/http';
import { MAX_HISTORY, isExpired, isRefreshUsable } from '../core/session';
import { outside, type Wording, wording } from '../core/wording';
import { type ClientDeps, HttpClients } from './clients';
import { checkRequestTarget, checkWireTarget } from './requests';
import { mergeResult, refreshLeadMs, renewalNote } from './renewalPolicy';
import { clockProbe, type ServerClockDeps, ServerClocks } from './serverClock';
import {
  authOf,
  type CallResult,
  type Clock,
  type ConnectionConfig,
  type Credentials,
  type ExploreRequest,
  type HistoryEvent,
  type RenewalNote,
  type Session,
} from '../core/types';

export { DEFAULT_REFRESH_LEAD_SECONDS, refreshLeadMs } from './renewalPolicy';

/**
 * `ClientDeps`: the client key's passphrase and how HTTP clients are made (src/engine/clients.ts); `ServerClockDeps`:
 * the clock-skew warning (src/engine/serverClock.ts).
 */
export interface ManagerDeps extends ClientDeps, ServerClockDeps {
  /** The vendor adapters (`src/vendors`' ADAPTERS; the engine does not import them). */
  adapters: Adapters;
  clock?: Clock;
  /** The stored secret (password, API key, Auth0 token) of a connection, or undefined when none is stored. */
  getSecret(conn: ConnectionConfig): Promise<string | undefined>;
  /** Asks for a two-factor code; undefined means the user cancelled. Absent: a 2FA demand is an error. */
  askTotp?(conn: ConnectionConfig, attempt: number): Promise<string | undefined>;
  /** One trace line: its outside parts (URLs, bodies, a server's words) are marked; the sink scrubs those. */
  trace?(line: Wording): void;
  /**
   * A session listener threw. The engine goes on (the other listeners still run); without this the failure goes
   * to `trace`.
   */
  onListenerError?(e: unknown): void;
}

/**
 * `madeFor`: the connection settings a new session was made with (login, renewal, call), when the change comes from
 * the engine; a listener that binds sessions to their server must use it, not the settings of the moment.
 */
export type SessionListener = (connectionId: string, session: Session | undefined, madeFor?: ConnectionConfig) => void;

const MAX_TOTP_ATTEMPTS = 3;
/** What to do when the server refuses even a token it has just issued: logging in again cannot help. */
const AFTER_FRESH_LOGIN = "check that this account may use this API and that the server's clock is right (its tokens may be expired on arrival)";
/** Sends of one request at most: the first, one after a renewal, one after a full login. */
const MAX_REQUEST_ATTEMPTS = 3;

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly renewals = new Map<string, { p: Promise<Session>; interactive: boolean }>();
  private readonly clients: HttpClients;
  private readonly listeners = new Set<SessionListener>();
  private readonly serverClocks: ServerClocks;
  readonly clock: Clock;

  constructor(private readonly deps: ManagerDeps) {
    this.clock = deps.clock ?? Date.now;
    this.clients = new HttpClients(deps, this.clock);
    this.serverClocks = new ServerClocks(deps);
  }

  onDidChange(listener: SessionListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The adapter of a connection's vendor. */
  adapter(conn: Pick<ConnectionConfig, 'vendor'>): VendorAdapter {
    return this.deps.adapters[conn.vendor];
  }

  get(connectionId: string): Session | undefined {
    return this.sessions.get(connectionId);
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  /** Puts a session in place (restored from storage, or produced elsewhere; `madeFor`: see SessionListener). */
  set(session: Session, madeFor?: ConnectionConfig): void {
    this.sessions.set(session.connectionId, session);
    this.emit(session.connectionId, session, madeFor);
  }

  /** Forgets a session locally (no server call). */
  forget(connectionId: string): void {
    if (this.sessions.delete(connectionId)) this.emit(connectionId, undefined);
  }

  /** The connection's stored secret ({@link ManagerDeps.getSecret}); the gateway scrubs it from what vendors echo. */
  storedSecret(conn: ConnectionConfig): Promise<string | undefined> {
    return this.deps.getSecret(conn);
  }

  isRenewing(connectionId: string): boolean {
    return this.renewals.has(connectionId);
  }

  /** The adapter context for a connection (see {@link HttpClients.context}). */
  context(conn: ConnectionConfig, signal?: CancelSignal): AdapterContext {
    return this.clients.context(conn, signal);
  }

  /** The adapter context, asking for the client key's passphrase when needed (see {@link HttpClients.prepare}). */
  prepare(conn: ConnectionConfig, signal?: CancelSignal): Promise<AdapterContext> {
    return this.clients.prepare(conn, signal);
  }

  /** Forgets a connection's client-key passphrase (kept in memory only). */
  forgetPassphrase(connectionId: string): void {
    this.clients.forgetPassphrase(connectionId);
  }

  /**
   * Logs in with the given secret (or the stored one) and answers a two-factor demand by asking for a code.
   * `opts.event` other than 'login' (a re-login) continues the connection's history instead of starting a new one;
   * `opts.interactive: false` turns a two-factor demand into an error instead of a prompt.
   */
  async login(
    conn: ConnectionConfig,
    creds?: Credentials,
    opts: { signal?: CancelSignal; event?: HistoryEvent; interactive?: boolean } = {},
  ): Promise<Session> {
    const adapter = this.adapter(conn);
    // The TLS files first: a missing certificate file is reported before any secret is read or asked.
    const ctx = await this.prepare(conn, opts.signal);
    let secret = creds?.secret;
    if (secret === undefined) {
      secret = await this.deps.getSecret(conn);
      if (secret === undefined) {
        throw new AuthError('config', `no ${adapter.secretLabel(authOf(conn))} is stored for this connection`);
      }
    }
    let totp = creds?.totp;
    const probe = clockProbe(ctx);
    for (let attempt = 1; ; attempt++) {
      try {
        const fresh = await adapter.login(conn, { secret, ...(totp ? { totp } : {}) }, probe.ctx);
        const session = this.serverClocks.apply(conn, this.continueHistory(fresh, opts.event ?? 'login'), probe.offset(), this.sessions.get(conn.id));
        this.set(session, conn);
        return session;
      } catch (e) {
        if (!(isAuthError(e) && e.kind === 'twoFactorRequired') || !this.deps.askTotp || opts.interactive === false || attempt > MAX_TOTP_ATTEMPTS) throw e;
        totp = await this.deps.askTotp(conn, attempt);
        if (totp === undefined) throw new AuthError('cancelled', 'login cancelled at the two-factor prompt');
      }
    }
  }

  /** A re-login keeps the chain: the old history, then the new token marked as replacing the old one. */
  private continueHistory(fresh: Session, event: HistoryEvent): Session {
    const old = this.sessions.get(fresh.connectionId);
    const first = fresh.history[fresh.history.length - 1];
    if (!first) return fresh;
    const entry = { ...first, event, replaced: event === 'login' ? null : (old?.token ?? null) };
    const history = event === 'login' ? [entry] : [...(old?.history ?? []), entry];
    return { ...fresh, history: history.slice(-MAX_HISTORY) };
  }

  /** Logs out on the server where the vendor has a logout, then forgets the session. Local forget always happens. */
  async logout(conn: ConnectionConfig): Promise<void> {
    const session = this.sessions.get(conn.id);
    if (!session) return;
    const adapter = this.adapter(conn);
    try {
      if (adapter.logout && !isExpired(session, this.clock())) await adapter.logout(conn, session, await this.prepare(conn));
    } finally {
      this.forget(conn.id);
    }
  }

  /**
   * Renews the session: the vendor's refresh when it has one and it can still work, else a full login with the
   * stored secret. Concurrent callers share one renewal. A failed renewal leaves a still-valid session in place.
   */
  renew(conn: ConnectionConfig, opts: { forceLogin?: boolean; interactive?: boolean } = {}): Promise<Session> {
    const interactive = opts.interactive ?? true;
    const running = this.renewals.get(conn.id);
    if (running) {
      // A caller who may be asked for a two-factor code does not inherit a background renewal's "could not ask".
      if (running.interactive || !interactive) return running.p;
      return running.p.catch((e: unknown) => {
        if (isAuthError(e) && e.kind === 'twoFactorRequired') return this.renew(conn, opts);
        throw e;
      });
    }
    const p = this.doRenew(conn, opts.forceLogin ?? false, interactive).finally(() => {
      this.renewals.delete(conn.id);
      // Listeners showing "renewing…" learn that it ended, failed or not (a success has announced its session).
      this.emit(conn.id, this.sessions.get(conn.id));
    });
    this.renewals.set(conn.id, { p, interactive });
    this.emit(conn.id, this.sessions.get(conn.id));
    return p;
  }

  /** Whether renew() would refresh (datarhei refresh token, Commvault renew) rather than log in again. */
  canRefresh(conn: ConnectionConfig, now = this.clock()): boolean {
    const current = this.sessions.get(conn.id);
    return !!current && !!this.adapter(conn).refresh && this.refreshCanWork(current, now);
  }

  private async doRenew(conn: ConnectionConfig, forceLogin: boolean, interactive: boolean): Promise<Session> {
    const adapter = this.adapter(conn);
    const current = this.sessions.get(conn.id);
    if (!forceLogin && current && adapter.refresh && this.refreshCanWork(current, this.clock())) {
      try {
        const probe = clockProbe(await this.prepare(conn));
        const renewed = this.serverClocks.apply(conn, await adapter.refresh(conn, current, probe.ctx), probe.offset(), current);
        this.set(renewed, conn);
        return renewed;
      } catch (e) {
        // A rejected refresh falls back to a full login; anything else (network…) is reported as is.
        if (!(isAuthError(e) && (e.kind === 'expired' || e.kind === 'credentials'))) throw e;
        this.deps.trace?.(wording`${conn.id}: refresh rejected (${e.wording}); logging in again`);
      }
    }
    return this.login(conn, undefined, { event: current ? 'relogin' : 'login', interactive });
  }

  private refreshCanWork(session: Session, now: number): boolean {
    if (session.refreshToken) return isRefreshUsable(session, now);
    // Token-renewal vendors (Commvault): only while the token itself is still alive.
    return !isExpired(session, now);
  }

  /**
   * Whether a session should be renewed before it is used (expired, or a refreshable token about to expire).
   * The lead is the configured one but never more than half the token's lifetime, so a token that lives less
   * than twice the lead is not refreshed on every request (as keep-alive schedules it).
   */
  needsRenewal(conn: ConnectionConfig, session: Session, now = this.clock()): boolean {
    if (isExpired(session, now)) return true;
    if (!session.refreshToken || session.expiresAt === null) return false;
    return session.expiresAt - now <= refreshLeadMs(conn, session);
  }

  /**
   * Sends one request with the connection's auth. Logs in first when there is no session, renews ahead of
   * expiry, and on a rejected token renews (refresh, then full login) and retries — at most three attempts.
   * A rejection of the last attempt is final: no renewal follows it (for Code42 two-factor that would be one
   * more code prompt for nothing). A request whose URL would leave the connection's server or base path is refused
   * first (AuthError `config`), and what the adapter puts on the wire is checked again before each send.
   * `opts.interactive: false` (the gateway) makes a renewal that needs a two-factor code an error, never a prompt.
   * The result's `renewal` says which renewal this request caused or waited for (the last one, when there were two).
   */
  async request(conn: ConnectionConfig, req: ExploreRequest, opts: { signal?: CancelSignal; interactive?: boolean } = {}): Promise<CallResult> {
    const adapter = this.adapter(conn);
    // One origin for credentials: a path that leaves the server is refused before any login, for every vendor.
    checkRequestTarget(conn, req);
    let session = this.sessions.get(conn.id);
    const interactive = opts.interactive;
    let renewal: RenewalNote | undefined;
    if (!session || this.needsRenewal(conn, session)) {
      const why = !session ? 'no-session' : isExpired(session, this.clock()) ? 'expired' : 'expiring';
      ({ session, renewal } = await this.renewFor(conn, why, { interactive }));
    }
    let loggedInAgain = false;
    for (let attempt = 1; ; attempt++) {
      try {
        checkWireTarget(conn, adapter.wire(conn, session, req));
        const result = await adapter.request(conn, session, req, await this.prepare(conn, opts.signal));
        const merged = this.applyResult(conn, session, result.session);
        return { ...result, session: merged, ...(renewal ? { renewal } : {}) };
      } catch (e) {
        if (!(isAuthError(e) && e.kind === 'expired')) throw e;
        if (attempt >= MAX_REQUEST_ATTEMPTS) {
          const message = loggedInAgain
            ? 'the server rejected the new token too, right after a fresh login'
            : `the server kept rejecting the token after it was renewed (${attempt} attempts)`;
          throw new AuthError('expired', message, { ...e.details, nextStep: AFTER_FRESH_LOGIN });
        }
        const current = this.sessions.get(conn.id);
        // Another caller may already have renewed: use its token rather than renewing again.
        if (current && current.token !== session.token && !isExpired(current, this.clock())) {
          session = current;
          // Its renewal, when it was one (a newer Cove visa is just the next link of the chain).
          renewal = renewalNote(current, 'rejected', true) ?? renewal;
          continue;
        }
        // First rejection: the vendor's refresh may do; after that only a full login.
        const forceLogin = attempt >= 2;
        ({ session, renewal } = await this.renewFor(conn, 'rejected', { forceLogin, interactive }));
        loggedInAgain ||= forceLogin;
      }
    }
  }

  /** {@link renew}, and the note for the request that needed it: whether it joined a renewal already running. */
  private async renewFor(
    conn: ConnectionConfig,
    why: RenewalNote['why'],
    opts: { forceLogin?: boolean; interactive?: boolean },
  ): Promise<{ session: Session; renewal: RenewalNote | undefined }> {
    const joined = this.renewals.has(conn.id);
    const session = await this.renew(conn, opts);
    return { session, renewal: renewalNote(session, why, joined) };
  }

  /** Folds what one call did into the newest stored session ({@link mergeResult}) and stores the result. */
  private applyResult(conn: ConnectionConfig, sent: Session, result: Session): Session {
    const merged = mergeResult(this.sessions.get(sent.connectionId), sent, result);
    this.set(merged, conn);
    return merged;
  }

  /** Closes every connection's sockets (idle or in use). A later call makes a new client. */
  dispose(): void {
    this.clients.dispose();
  }

  private emit(id: string, s: Session | undefined, madeFor?: ConnectionConfig): void {
    for (const l of this.listeners) {
      try {
        l(id, s, madeFor);
      } catch (e) {
        // A listener's failure must not break the engine, nor go unseen.
        this.reportListenerError(e);
      }
    }
  }

  private reportListenerError(e: unknown): void {
    try {
      if (this.deps.onListenerError) this.deps.onListenerError(e);
      else this.deps.trace?.(wording`a session listener failed: ${outside(e instanceof Error ? (e.stack ?? e.message) : String(e))}`);
    } catch {
      // the reporter itself failed: nothing is left to tell
    }
  }
}

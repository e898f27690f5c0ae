// The one interface every vendor adapter implements (`src/vendors/`). Adapters do one exchange each; the renewal
// policy (refresh ahead of expiry, re-login on rejection, single-flight) lives above them in the engine's session
// manager, which is handed the registry of adapters (it does not import the vendors).
import type { AdapterContext, WireRequest } from './http';
import type { AuthKind, CallResult, ConnectionConfig, Credentials, ExploreRequest, Session, VendorId } from './types';

export interface VendorAdapter {
  readonly vendor: VendorId;
  readonly displayName: string;
  /** Credential kinds this vendor supports; the first is the default. */
  readonly authKinds: readonly AuthKind[];
  /** What the secret is called for a given auth kind ("password", "API key", "Auth0 access token"). */
  secretLabel(auth: AuthKind): string;
  /**
   * The vendor's own rules for a connection (Cove: partner and username; Commvault: `commserver` written host*name),
   * as short phrases. It sees only entries that passed the common validation (src/engine/config.ts: known fields,
   * field types, URL, enums, ranges, `auth` one of `authKinds`) and does not repeat those checks.
   */
  validate(conn: ConnectionConfig): string[];

  /**
   * Logs in. Throws AuthError: `credentials`, `twoFactorRequired` (Code42: call again with `creds.totp`),
   * `locked`, `network`, `tls`, `timeout`, `protocol`, `server`.
   */
  login(conn: ConnectionConfig, creds: Credentials, ctx: AdapterContext): Promise<Session>;

  /** Renews without the secret (datarhei refresh token, Commvault RenewLoginToken). Absent: re-login is the way. */
  refresh?(conn: ConnectionConfig, session: Session, ctx: AdapterContext): Promise<Session>;

  /** Ends the session on the server where the vendor has a logout; absent: forgetting locally is the logout. */
  logout?(conn: ConnectionConfig, session: Session, ctx: AdapterContext): Promise<void>;

  /**
   * One authenticated call with the session's auth attached. Returns the response and the session after it
   * (Cove: the new visa in the chain; sliding windows restarted). A rejected token throws AuthError `expired`.
   * Any other HTTP status is returned, not thrown.
   */
  request(conn: ConnectionConfig, session: Session, req: ExploreRequest, ctx: AdapterContext): Promise<CallResult>;

  /**
   * What `request` sends for `req` with `session`, without sending it (Copy as curl shows the same). Throws AuthError
   * `config` for a request the vendor refuses (wrong kind, bad method, path or body).
   */
  wire(conn: ConnectionConfig, session: Session, req: ExploreRequest): WireRequest;

  /**
   * The vendor's own login, logout and renewal calls, which a client of the auth gateway may not make: they would end
   * the session the gateway shares, or fork it. REST vendors: paths as the adapter joins them to `baseUrl` (any
   * method); a JSON-RPC vendor (Cove): method names. Absent: none.
   */
  authPaths?(conn: ConnectionConfig): string[];

  /** A few useful read-only calls for exploration. */
  readonly sampleRequests: readonly ExploreRequest[];
}

/** The adapters by vendor: `src/vendors/index.ts` builds it; the engine, CLI and extension are handed it. */
export type Adapters = Readonly<Record<VendorId, VendorAdapter>>;

// The auth engine's shared types. Nothing here imports `vscode`: the CLI, the tests and the extension share it.

export const VENDORS = ['cove', 'commvault', 'ipcortex', 'code42', 'datarhei'] as const;
export type VendorId = (typeof VENDORS)[number];

export const AUTH_KINDS = ['password', 'apiKey', 'basic', 'token', 'auth0'] as const;
/**
 * How a connection proves who it is.
 * - `password`: username + password (Cove, Commvault, IPCortex session, datarhei)
 * - `apiKey`: IPCortex Auth Key (stateless)
 * - `basic`: Code42 HTTP Basic on every request
 * - `token`: Code42 v3 JWT obtained with Basic (+ optional TOTP)
 * - `auth0`: datarhei login with an Auth0 access token
 */
export type AuthKind = (typeof AUTH_KINDS)[number];

/**
 * How an auth kind is named to users: the Add Connection choice and the Token Details page. package.json's
 * `auth` enumDescriptions say the same, with the vendors that offer each kind.
 */
export const AUTH_KIND_TEXT: Readonly<Record<AuthKind, string>> = {
  password: 'Username and password',
  apiKey: 'API key',
  basic: 'HTTP Basic on every request',
  token: 'v3 token (two-factor supported)',
  auth0: 'Auth0 access token',
};

/** Each vendor's default login (its adapter's first auth kind; a unit test holds the two together). */
export const DEFAULT_AUTH: Readonly<Record<VendorId, AuthKind>> = {
  cove: 'password',
  commvault: 'password',
  ipcortex: 'password',
  code42: 'token',
  datarhei: 'password',
};

/** The connection's auth kind: as configured, else its vendor's default. */
export function authOf(conn: Pick<ConnectionConfig, 'vendor' | 'auth'>): AuthKind {
  return conn.auth ?? DEFAULT_AUTH[conn.vendor];
}

/** One configured connection: the `authExplorer.connections` setting and the CLI's `api-auth.json` share it. */
export interface ConnectionConfig {
  id: string;
  label?: string;
  vendor: VendorId;
  /** Root of the vendor API. Cove: the JSON-RPC endpoint itself. Commvault: the web-service root. */
  baseUrl: string;
  username?: string;
  auth?: AuthKind;
  /** Cove: customer (partner) name exactly as the console shows it. */
  partner?: string;
  /** Commvault: AD domain for domain users. */
  domain?: string;
  /** Commvault: remote CommServe as `host*name`. */
  commserver?: string;
  /** Commvault: wire format (JSON or XML) of Login, Logout and explored calls; RenewLoginToken is always JSON. */
  format?: 'json' | 'xml';
  /**
   * Commvault: device id. Sent at Login only when set; RenewLoginToken always sends one (this, else one derived from
   * the connection id).
   */
  deviceId?: string;
  /** IPCortex API key placement. */
  apiKeyIn?: 'body' | 'header';
  /**
   * Override of the lifetime the client assumes, in seconds: Cove visa window (900), Commvault idle window (1800),
   * Code42 token lifetime when it has no `exp` (1800), IPCortex idle timeout (none: the protocol does not say).
   */
  lifetimeSeconds?: number;
  /** Code42: path of the v3 token resource (default `/api/v3/auth/jwt`; `/c42api/v3/auth/jwt` for older servers). */
  tokenPath?: string;
  /** One deadline per request, covering connect, headers and the whole body; default 15 000 ms. */
  timeoutMs?: number;
  /** Largest answer accepted, counted after decompression; default {@link DEFAULT_MAX_RESPONSE_BYTES}. */
  maxResponseBytes?: number;
  /**
   * CLI only (the extension follows VS Code's proxy settings): the proxy URL (`http://[user:pass@]host:port`), or
   * `false` for a direct connection whatever HTTPS_PROXY / HTTP_PROXY say.
   */
  proxy?: string | false;
  tls?: TlsOptions;
  /** Renew in the background before expiry (extension only). */
  keepAlive?: boolean;
  /**
   * Seconds before expiry to renew (default 30, at most half the token's lifetime): a datarhei access token is
   * refreshed this early before a request; keep-alive renews any session that expires this early.
   */
  refreshLeadSeconds?: number;
}

/** Largest answer accepted by default (16 MiB), counted after decompression. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface TlsOptions {
  /** false accepts self-signed / untrusted certificates for this connection only. */
  rejectUnauthorized?: boolean;
  /** Path to a PEM file with CA certificates trusted in addition to the default roots. */
  caFile?: string;
  /** Client certificate (PEM) for mutual TLS, with {@link keyFile}. */
  certFile?: string;
  /** Private key (PEM) of {@link certFile}; if encrypted, its passphrase is a secret (never in settings). */
  keyFile?: string;
  /** Client certificate and key as PKCS#12 (.pfx/.p12), instead of certFile + keyFile; passphrase as for keyFile. */
  pfxFile?: string;
  /** Host name sent in SNI and checked against the certificate, when it differs from the baseUrl's host. */
  servername?: string;
}

/** Where the credential goes on a request. */
export type Attach =
  | { kind: 'header'; name: string; value: string }
  | { kind: 'cookie'; name: string; value: string }
  | { kind: 'jsonrpc'; name: 'visa'; value: string }
  | { kind: 'body'; name: 'auth.key'; value: string };

export type ExpiryReason = 'exp-claim' | 'sliding-idle' | 'fixed-lifetime' | 'per-request' | 'unknown';

export type HistoryEvent = 'login' | 'call' | 'refresh' | 'renew' | 'relogin' | 'restore';

export interface HistoryEntry {
  /** ms since epoch */
  at: number;
  event: HistoryEvent;
  /** The call that produced this token (Cove: JSON-RPC method; others: `POST /api/login` …). */
  method: string;
  token: string;
  /** The token this one replaced, when it replaced one. */
  replaced: string | null;
  expiresAt: number | null;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

export interface Session {
  connectionId: string;
  vendor: VendorId;
  authKind: AuthKind;
  /** The current token / visa / cookie value / API key placeholder. */
  token: string;
  attach: Attach;
  /** ms since epoch */
  issuedAt: number;
  expiresAt: number | null;
  expiresBecause: ExpiryReason;
  /** Sliding window length (Cove visa, Commvault idle, IPCortex idle) — expiry moves to lastUsedAt + this. */
  slidingWindowMs: number | null;
  lastUsedAt: number;
  refreshToken: string | null;
  refreshExpiresAt: number | null;
  jwt: DecodedJwt | null;
  refreshJwt: DecodedJwt | null;
  /** Newest last; bounded (see MAX_HISTORY). */
  history: HistoryEntry[];
  /** Who the server says we are (display only; never secret). */
  user: { name?: string; id?: string | number; detail?: Record<string, unknown> } | null;
  /** Vendor-specific non-secret state (e.g. Commvault deviceId). */
  vendorState: Record<string, string>;
  /**
   * The server's clock minus this computer's, measured from its `Date` header at the last login or renewal (0 or
   * absent: in step within a minute). Server-issued times above (`expiresAt` from exp, `issuedAt` from iat,
   * `refreshExpiresAt`) are already converted to this computer's clock with it; the JWT claims keep the server's.
   */
  serverClockOffsetMs?: number;
}

export type Clock = () => number;

/** A request made while exploring the API. Cove uses `rpc`, the others `rest`. */
export type ExploreRequest =
  | { kind: 'rest'; method: string; path: string; body?: unknown; headers?: Record<string, string> }
  | { kind: 'rpc'; method: string; params?: unknown };

export interface ApiResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  /** Parsed JSON (or the XML text / plain text when not JSON). */
  body: unknown;
  rawBody: string;
  /** The body's bytes as they came (after decompression), when the transport read them: the gateway's binary answers (a Buffer; typed so for the webview, which has no Node types). */
  bytes?: Uint8Array;
  contentType: string;
  durationMs: number;
}

/** Why a request renewed the session before or while it was sent. */
export type RenewalWhy = 'no-session' | 'expiring' | 'expired' | 'rejected';

/**
 * The renewal one request caused or waited for (src/engine/traffic.ts re-exports it for the Traffic view; it is
 * defined here because a CallResult carries it and core imports nothing from the engine).
 */
export interface RenewalNote {
  /** What renewed: the vendor's refresh (datarhei refresh token, Commvault renew) or a login (first or again). */
  how: 'refresh' | 'renew' | 'login' | 'relogin';
  /**
   * `no-session`: there was none; `expiring`: renewed ahead of expiry; `expired`: past its expiry; `rejected`: the
   * server refused the token (HTTP 401 or the vendor's "expired").
   */
  why: RenewalWhy;
  /** True when the request joined a renewal another caller had started (N requests, one renewal). */
  joined: boolean;
}

export interface CallResult {
  response: ApiResponse;
  session: Session;
  /** Set by the session manager when this request renewed the session (or waited for a renewal); adapters leave it out. */
  renewal?: RenewalNote;
}

export interface Credentials {
  /** Password, API key or Auth0 token, depending on the auth kind. */
  secret: string;
  /** Two-factor code (Code42). */
  totp?: string;
}

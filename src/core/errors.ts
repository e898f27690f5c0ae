// One typed error for every way a login or call can fail, and the one-sentence message users see.
import type { ConnectionConfig } from './types';

export type AuthErrorKind =
  | 'credentials' // wrong user / password / partner / API key
  | 'twoFactorRequired' // Code42 asks for a TOTP code
  | 'locked' // account locked (Commvault)
  | 'expired' // token / visa / session no longer accepted
  | 'forbidden' // authenticated but not allowed (Cove 13501)
  | 'network' // refused, reset, DNS, dropped connection
  | 'tls' // certificate rejected
  | 'timeout'
  | 'protocol' // not JSON, HTML page, missing fields, unexpected status
  | 'server' // 5xx
  | 'config' // bad connection settings
  | 'cancelled';

export interface AuthErrorDetails {
  /** The server's own words (already free of secrets). */
  serverMessage?: string;
  status?: number;
  /** Vendor error code (Cove `data`, Commvault `errorCode`). */
  code?: string | number;
  /** Seconds until a locked account unlocks. */
  remainingLockSeconds?: number;
}

export class AuthError extends Error {
  readonly kind: AuthErrorKind;
  readonly details: AuthErrorDetails;

  constructor(kind: AuthErrorKind, message: string, details: AuthErrorDetails = {}) {
    super(message);
    this.name = 'AuthError';
    this.kind = kind;
    this.details = details;
  }
}

export function isAuthError(e: unknown): e is AuthError {
  return e instanceof AuthError;
}

/** What the user can do next, by kind. */
const NEXT_STEP: Record<AuthErrorKind, string> = {
  credentials: 'check the username and set the secret again',
  twoFactorRequired: 'enter the current code from your authenticator app',
  locked: 'wait for the lock to expire or ask an administrator to unlock the account',
  expired: 'log in again',
  forbidden: 'use an account whose role allows this call',
  network: 'check the base URL and that the server is running',
  tls: 'trust the server certificate (tls.caFile) or, for a self-signed test server, set tls.rejectUnauthorized to false',
  timeout: 'check the server or raise timeoutMs for this connection',
  protocol: 'check that the base URL points at the API root',
  server: 'try again later or check the server logs',
  config: 'fix the connection settings',
  cancelled: 'start again when ready',
};

/** "Connection "Prod Cove": wrong partner, username or password (server: "…"); check … ." — one sentence. */
export function describeError(e: unknown, conn: Pick<ConnectionConfig, 'id' | 'label'>): string {
  const name = conn.label || conn.id;
  if (!isAuthError(e)) {
    const msg = e instanceof Error ? e.message : String(e);
    return `Connection "${name}": unexpected error: ${stripPeriod(msg)}.`;
  }
  const server = e.details.serverMessage ? ` (server said: "${truncate(e.details.serverMessage, 200)}")` : '';
  return `Connection "${name}": ${stripPeriod(e.message)}${server}; ${NEXT_STEP[e.kind]}.`;
}

function stripPeriod(s: string): string {
  return s.replace(/[.\s]+$/, '');
}

export function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

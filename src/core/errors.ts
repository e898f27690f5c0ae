// One typed error for every way a login or call can fail, and the one-sentence message users see.
import { redactText } from './redact';
import { type AuthKind, type ConnectionConfig, DEFAULT_AUTH, VENDORS } from './types';
import { oneLineText } from './untrusted';
import { isWording, outside, scrubbed, Wording, wording } from './wording';

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
  /** The server's own words: outside text, scrubbed of secrets where shown ({@link scrubError}). */
  serverMessage?: string;
  status?: number;
  /** Vendor error code (Cove `data`, Commvault `errorCode`). */
  code?: string | number;
  /** Seconds until a locked account unlocks. */
  remainingLockSeconds?: number;
  /**
   * The way forward, where the kind's usual one does not fit (e.g. "log in again" right after a fresh login); a
   * Wording when it quotes outside text (the origin a server redirected to).
   */
  nextStep?: string | Wording;
}

/**
 * The message is the program's own sentence: a plain string is own words only. A message that quotes outside text
 * (a body snippet, a Location, a path the user typed, a status text) is built with the `wording` template and
 * `outside(…)`, so that {@link scrubError} scrubs those parts and never the sentence around them.
 */
/**
 * Marks an AuthError whichever bundle made it: the lazily loaded gateway chunk (dist/gateway.js) has its own copy of
 * this module, so `instanceof` fails for an error the extension's engine threw. `Symbol.for` is one symbol per process.
 */
const AUTH_ERROR: unique symbol = Symbol.for('api-auth-explorer.AuthError');

export class AuthError extends Error {
  readonly [AUTH_ERROR] = true;
  readonly kind: AuthErrorKind;
  readonly details: AuthErrorDetails;
  /** The message with its outside parts marked. */
  readonly wording: Wording;

  constructor(kind: AuthErrorKind, message: string | Wording, details: AuthErrorDetails = {}) {
    super(String(message));
    this.name = 'AuthError';
    this.kind = kind;
    this.details = details;
    this.wording = typeof message === 'string' ? new Wording([message]) : message;
  }
}

/** The message of anything thrown: an Error's message, else the value as text. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** True for an AuthError of this bundle or of another chunk (see AUTH_ERROR). */
export function isAuthError(e: unknown): e is AuthError {
  return e instanceof AuthError || (e instanceof Error && (e as Partial<AuthError>)[AUTH_ERROR] === true);
}

/** What the user can do next, by kind. `credentials` is refined by the credential kind (see {@link credentialAdvice}). */
const NEXT_STEP: Record<AuthErrorKind, string> = {
  credentials: 'check the username and set the secret again',
  // Fits both "this account needs a code" and "the code was rejected".
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

/** The advice for rejected credentials, by what the secret is. */
const CREDENTIAL_ADVICE: Record<AuthKind, string> = {
  password: 'check the username and password',
  // Code42: both use the username and password (the token is fetched with them).
  basic: 'check the username and password',
  token: 'check the username and password',
  apiKey: 'check the API key',
  auth0: 'get a fresh Auth0 token',
};

/** What a caller knows about the connection: `{id, label}` at least; vendor and auth refine the advice. */
export type DescribedConnection = Pick<ConnectionConfig, 'id' | 'label'> & Partial<Pick<ConnectionConfig, 'vendor' | 'auth'>>;

/** "check the API key" / "check the partner name, username and password" …; the generic advice without a vendor. */
export function credentialAdvice(conn: DescribedConnection): string {
  if (!conn.vendor) return NEXT_STEP.credentials;
  // Without `auth`, the vendor's default login. An unknown vendor (a bad entry) gets no better advice.
  const auth = conn.auth ?? (VENDORS.includes(conn.vendor) ? DEFAULT_AUTH[conn.vendor] : undefined);
  if (!auth) return NEXT_STEP.credentials;
  if (conn.vendor === 'cove' && auth === 'password') return 'check the partner name, username and password';
  return CREDENTIAL_ADVICE[auth] ?? NEXT_STEP.credentials;
}

/**
 * "Connection "Prod Cove": wrong partner, username or password (server: "…"); check … ." — one sentence.
 * `conn` may be just `{id, label}` or a whole ConnectionConfig; with `vendor` (and `auth`) the advice for rejected
 * credentials names what to check (password, API key, Auth0 token, Cove partner). The `secrets` are scrubbed from
 * the outside parts only (the server's words, quoted values, the message of an error the program did not make); the
 * program's own words stay whole, so no marker stands where a secret that is also a word of ours would be.
 */
export function describeError(e: unknown, conn: DescribedConnection, secrets: readonly string[] = []): string {
  return oneLineText(scrubbed(describeErrorWording(e, conn), secrets));
}

/** {@link describeError} before scrubbing: the sentence with its outside parts marked. */
export function describeErrorWording(e: unknown, conn: DescribedConnection): Wording {
  const name = conn.label || conn.id;
  // One line whatever the server (or a thrown value) put in it: the sentence reaches terminals and notifications.
  if (!isAuthError(e)) return wording`Connection "${name}": unexpected error: ${outside(stripPeriod(errorMessage(e)))}.`;
  const next = e.details.nextStep ?? (e.kind === 'credentials' ? credentialAdvice(conn) : NEXT_STEP[e.kind]);
  return wording`Connection "${name}": ${stripWordingPeriod(e.wording)}${serverSaidWording(e.details.serverMessage)}; ${next}.`;
}

/**
 * ` (server said: "…")` with the server's words cut to 200 characters and made one line (marked as outside text);
 * empty without words.
 */
export function serverSaidWording(serverMessage: string | undefined): Wording {
  return serverMessage ? wording` (server said: "${outside(oneLineText(truncate(serverMessage, 200)))}")` : new Wording([]);
}

/**
 * Every form a login secret travels in, to scrub from what a server says back: as given, trimmed, JSON-escaped,
 * base64 (Commvault sends the password so) and base64 of `username:secret` (HTTP Basic, Code42).
 */
export function secretForms(secret: string, username?: string): string[] {
  if (!secret) return [];
  const forms = new Set<string>();
  for (const s of new Set([secret, secret.trim()])) {
    if (!s) continue;
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
    forms.add(Buffer.from(s, 'utf8').toString('base64'));
    if (username) forms.add(Buffer.from(`${username}:${s}`, 'utf8').toString('base64'));
  }
  // Longest first, so that no form is left half-replaced by a shorter one inside it.
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * The error with the secrets scrubbed from the outside parts of its message and from the server's words; the
 * program's own words in it stay whole. Another Error's message is outside text as a whole. Other values pass.
 */
export function scrubError(e: unknown, secrets: readonly string[]): unknown {
  if (!secrets.length) return e;
  if (isAuthError(e)) {
    const message = e.wording.mapOutside((t) => redactText(t, secrets));
    const serverMessage = e.details.serverMessage === undefined ? undefined : redactText(e.details.serverMessage, secrets);
    const step = e.details.nextStep;
    const nextStep = isWording(step) ? step.mapOutside((t) => redactText(t, secrets)) : step;
    if (String(message) === e.message && serverMessage === e.details.serverMessage && String(nextStep) === String(step)) return e;
    // A new error: the old one's stack repeats the unscrubbed message.
    return new AuthError(e.kind, message, {
      ...e.details,
      ...(serverMessage !== undefined ? { serverMessage } : {}),
      ...(nextStep !== undefined ? { nextStep } : {}),
    });
  }
  if (e instanceof Error) {
    const message = redactText(e.message, secrets);
    if (message !== e.message) {
      e.message = message;
      e.stack = e.stack === undefined ? undefined : redactText(e.stack, secrets);
    }
  }
  return e;
}

/**
 * Runs a login so that no error it throws carries the secret: a server that echoes the password
 * (`bad password Hunter2`) must not put it into the sentence users see or the log. Every adapter's login uses this.
 */
export async function withSecretsScrubbed<T>(secret: string, username: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw scrubError(e, secretForms(secret, username));
  }
}

function stripPeriod(s: string): string {
  return s.replace(/[.\s]+$/, '');
}

/** The wording without a closing period or space (in its last part, whether own or outside). */
function stripWordingPeriod(w: Wording): Wording {
  const parts = [...w.parts];
  while (parts.length) {
    const last = parts[parts.length - 1];
    const text = typeof last === 'string' ? last : last.outside;
    const cut = stripPeriod(text);
    if (cut) {
      parts[parts.length - 1] = typeof last === 'string' ? cut : { outside: cut };
      break;
    }
    parts.pop();
  }
  return new Wording(parts);
}

export function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

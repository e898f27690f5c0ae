// Exit codes, the errors whose line and code the CLI chooses itself, and the one line printed for any other failure.
import { type AuthErrorKind, type DescribedConnection, describeError, isAuthError, scrubError, serverSaidWording } from '../core/errors';
import { oneLineText } from '../core/untrusted';
import { wording } from '../core/wording';

export const EXIT = { ok: 0, usage: 2, credentials: 3, twoFactor: 4, network: 5, protocol: 6, interrupted: 130 } as const;

export const EXIT_BY_KIND: Record<AuthErrorKind, number> = {
  credentials: EXIT.credentials,
  locked: EXIT.credentials,
  expired: EXIT.credentials,
  // Authenticated but not allowed: the credentials were accepted, so this is not "credentials rejected".
  forbidden: EXIT.protocol,
  twoFactorRequired: EXIT.twoFactor,
  network: EXIT.network,
  tls: EXIT.network,
  timeout: EXIT.network,
  protocol: EXIT.protocol,
  server: EXIT.protocol,
  config: EXIT.usage,
  cancelled: EXIT.usage,
};

/** A wrong command line or config file: its message is printed after "api-auth: " and the CLI exits 2. */
export class UsageError extends Error {}

/** An error whose one line (printed after "api-auth: ") and exit code the CLI chose itself. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The line for a login that needs a two-factor code the CLI cannot ask for, or that was not entered. */
export function twoFactorLine(conn: DescribedConnection, why: string): string {
  return `Connection "${conn.label || conn.id}": ${why}; retry with --totp CODE (the current code from your authenticator app).`;
}

/**
 * The one line for a failure, with the `secrets` scrubbed from what came from outside only (the server's words,
 * quoted values), never from the CLI's own sentence. A two-factor demand that reaches here could not be answered at
 * a prompt (no terminal, or --secret-stdin) or the code given was rejected: the way forward from a command line is
 * --totp.
 */
export function describeFailure(e: unknown, conn: DescribedConnection, secrets: readonly string[] = []): string {
  if (isAuthError(e) && e.kind === 'twoFactorRequired') {
    const clean = scrubError(e, secrets) as typeof e;
    const why = wording`${clean.wording}${serverSaidWording(clean.details.serverMessage)}`;
    return oneLineText(twoFactorLine(conn, String(why).replace(/[.\s]+$/, '')));
  }
  return describeError(e, conn, secrets);
}

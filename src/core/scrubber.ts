// The secrets known in one window (passwords and API keys typed or stored, tokens held) and the one way they are
// scrubbed from what the extension logs and shows: from outside text only (a server's words, a trace of an exchange,
// a path the user typed), never from the program's own sentences. Pure: the extension's log wraps it.
import { type DescribedConnection, describeError, errorMessage, isAuthError, scrubError } from './errors';
import { MIN_SECRET_LENGTH } from './redact';
import { scrubbed, type Wording } from './wording';

/** Tokens kept, newest last (a Cove session adds one visa per call). */
const MAX_TOKENS = 200;

export class SecretScrubber {
  private readonly known = new Set<string>();
  private readonly tokens = new Set<string>();

  /** A secret (password, API key, passphrase) to scrub from here on; one shorter than MIN_SECRET_LENGTH is not. */
  remember(secret: string | undefined): void {
    if (secret && secret.length >= MIN_SECRET_LENGTH) this.known.add(secret);
  }

  rememberToken(token: string | undefined): void {
    if (!token || token.length < MIN_SECRET_LENGTH) return;
    this.tokens.delete(token);
    this.tokens.add(token);
    if (this.tokens.size > MAX_TOKENS) this.tokens.delete(this.tokens.values().next().value as string);
  }

  get secrets(): string[] {
    return [...this.known, ...this.tokens];
  }

  /**
   * The text with every known secret removed from its outside parts. A plain string is outside text as a whole (what
   * is not marked as the program's own is taken as possibly carrying a secret); a Wording keeps its own words whole.
   */
  scrub(text: string | Wording): string {
    return scrubbed(text, this.secrets);
  }

  /** The one sentence for a failure on a connection, scrubbed in its outside parts only. */
  describeError(e: unknown, conn: DescribedConnection): string {
    return describeError(e, conn, this.secrets);
  }

  /** The message of any error, for a failure with no connection: an AuthError's own words stay whole. */
  errorText(e: unknown): string {
    if (isAuthError(e)) return String((scrubError(e, this.secrets) as typeof e).wording);
    return this.scrub(errorMessage(e));
  }
}

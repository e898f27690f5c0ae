// What the CLI prints: lines scrubbed of every known secret where they quote outside text (the CLI's own words stay
// whole: src/core/wording.ts) and neutralised (a server's ESC, CR or LF cannot act on the terminal or forge a line),
// and a session as JSON with its credential masked.
import { scrubSecrets } from '../core/redact';
import { scrubbed, type Wording } from '../core/wording';
import { formatInstant } from '../core/time';
import type { Attach, ConnectionConfig, Session } from '../core/types';
import { blockText, oneLineText } from '../core/untrusted';

/**
 * Writes one line to standard output with every known secret scrubbed from its outside parts (a plain string is
 * outside text as a whole; a Wording keeps the CLI's own words whole); controls and line breaks in it are shown as
 * symbols (JSON from {@link stringifyForTerminal} has none left, so it passes unchanged).
 */
export function print(secrets: readonly string[], line: string | Wording): void {
  process.stdout.write(`${oneLineText(scrubbed(line, secrets))}\n`);
}

/**
 * Writes a block of outside text (a response body) to standard output, every known secret scrubbed from it: its own
 * LF and TAB stay, other controls are shown.
 */
export function printBlock(secrets: readonly string[], text: string): void {
  process.stdout.write(`${blockText(scrubSecrets(text, secrets))}\n`);
}

/**
 * Writes one "api-auth: …" line to standard error, as one line, with every known secret scrubbed from its outside
 * parts: a sentence of the CLI's own (a usage error, a failure line already scrubbed where it quotes a server) is
 * passed as a Wording (`ours(…)`) and stays whole.
 */
export function printError(secrets: readonly string[], message: string | Wording): void {
  process.stderr.write(`api-auth: ${oneLineText(scrubbed(message, secrets))}\n`);
}

/**
 * Writes one "api-auth: warning: …" line of the CLI's own wording to standard error (the run goes on). Not scrubbed:
 * nothing in it came from a server, and scrubbing a secret that is an everyday word would damage the sentence.
 */
export function printWarning(message: string): void {
  process.stderr.write(`api-auth: warning: ${oneLineText(message)}\n`);
}

/**
 * The sink for trace lines (SessionManager `trace`, e.g. a --verbose option): one "api-auth: trace …" line on standard
 * error each, secrets scrubbed, and the server's bodies and headers in it made one line (a trace line quotes them).
 */
export function printTrace(secrets: readonly string[], line: string | Wording): void {
  process.stderr.write(`api-auth: trace ${oneLineText(scrubbed(line, secrets))}\n`);
}

/**
 * Writes one "api-auth: …" log line to standard error (the gateway's line per request), every known secret scrubbed
 * from its outside parts, as one line.
 */
export function printLog(secrets: readonly string[], line: string | Wording): void {
  process.stderr.write(`api-auth: ${oneLineText(scrubbed(line, secrets))}\n`);
}

/** ISO time, or "not a date (…)" for a number no Date can hold; null stays null. */
export function iso(ms: number | null): string | null {
  return ms === null ? null : formatInstant(ms);
}

/**
 * The parts of a session that are the user's own secret rather than a token the server issued: for Basic
 * (Code42) the base64 `user:password`, for an API key (IPCortex) the key. Empty for real session tokens.
 */
export function credentialSecrets(s: Pick<Session, 'authKind' | 'attach' | 'token'>): string[] {
  if (s.authKind !== 'basic' && s.authKind !== 'apiKey') return [];
  const bare = s.attach.value.replace(/^(?:Basic\s+|token\s+auth=)/i, '').trim();
  const list = [bare, ...(s.authKind === 'apiKey' ? [s.token.trim()] : [])];
  return [...new Set(list.filter((x) => x.length > 0))].sort((a, b) => b.length - a.length);
}

/**
 * A JSON value from outside (a body, headers, claims) with the secrets scrubbed from every string in it, names and
 * values: scrubbed before it is written out, so that the names the CLI puts around it ("status", "body", …) stay.
 */
export function scrubJson(value: unknown, secrets: readonly string[]): unknown {
  if (!secrets.length) return value;
  if (typeof value === 'string') return scrubSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, secrets));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrubSecrets(k, secrets), scrubJson(v, secrets)]));
  }
  return value;
}

/**
 * The session as JSON. Session tokens the server issued (JWT, visa, QSDK, cookie) are printed — that is what
 * `login --json` is for; a credential that is the secret itself (Basic, API key) is printed masked. The known
 * `scrub` secrets are removed from what the server sent (tokens, claims, user name), never from the CLI's own
 * names and values (connection id, vendor, event names).
 */
export function sessionJson(conn: ConnectionConfig, s: Session, scrub: readonly string[] = []): Record<string, unknown> {
  const secrets = [...credentialSecrets(s), ...scrub];
  const hide = <T extends string | null>(v: T): T => (v === null || secrets.length === 0 ? v : (scrubSecrets(v, secrets) as T));
  const attach: Attach = { ...s.attach, value: hide(s.attach.value) };
  return {
    connection: conn.id,
    vendor: s.vendor,
    token: hide(s.token),
    attach,
    issuedAt: iso(s.issuedAt),
    expiresAt: iso(s.expiresAt),
    expiresBecause: s.expiresBecause,
    claims: scrubJson(s.jwt?.claims ?? null, scrub),
    header: scrubJson(s.jwt?.header ?? null, scrub),
    refreshToken: hide(s.refreshToken),
    refreshExpiresAt: iso(s.refreshExpiresAt),
    // The times above are on this computer's clock; the claims keep the server's (they differ by this much).
    serverClockOffsetMs: s.serverClockOffsetMs ?? 0,
    user: hide(s.user?.name ?? null),
    history: s.history.map((h) => ({
      at: iso(h.at),
      event: h.event,
      method: h.method,
      token: hide(h.token),
      replaced: hide(h.replaced),
      expiresAt: iso(h.expiresAt),
    })),
  };
}

// Redaction applied to everything that is logged: headers, bodies, free text.

const SECRET_HEADERS = new Set(['authorization', 'authtoken', 'cookie', 'set-cookie', 'totp-auth', 'x-api-key']);
const SECRET_KEYS = ['password', 'token', 'visa', 'key', 'access_token', 'refresh_token', 'v3_user_token', 'session', 'sessionId', 'secret'];

export const REDACTED = '‹redacted›';

export function redactHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (!SECRET_HEADERS.has(k.toLowerCase())) {
      out[k] = v;
      continue;
    }
    // Keep the scheme word so logs still say which kind of auth went out.
    const scheme = /^(Basic|Bearer|QSDK|token)\b/i.exec(v)?.[1];
    out[k] = scheme ? `${scheme} ${REDACTED}` : REDACTED;
  }
  return out;
}

const KEY_PATTERN = new RegExp(`("(?:${SECRET_KEYS.join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const XML_ATTR_PATTERN = /\b(password|token|sessionId)="[^"]*"/gi;
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const QSDK_PATTERN = /QSDK [0-9A-Za-z+/=\s]{8,}/g;
const RED60_PATTERN = /(Red60urne=)[^;\s]+/g;

/** Removes secret-looking values (JSON/XML secret fields, JWTs, Commvault tokens, IPCortex cookies) and the given secrets. */
export function redactText(s: string, extraSecrets: readonly string[] = []): string {
  const out = s
    .replace(KEY_PATTERN, `$1"${REDACTED}"`)
    .replace(XML_ATTR_PATTERN, `$1="${REDACTED}"`)
    .replace(JWT_PATTERN, REDACTED)
    .replace(QSDK_PATTERN, `QSDK ${REDACTED}`)
    .replace(RED60_PATTERN, `$1${REDACTED}`);
  return scrubSecrets(out, extraSecrets);
}

/**
 * Secrets shorter than this are not scrubbed: replacing every "abc" in a text would hit ordinary words and show where
 * the secret stands.
 */
export const MIN_SECRET_LENGTH = 4;
/** The shortest piece of a secret worth hiding where a text was cut ("…") right inside it. */
const MIN_CUT_PREFIX = 3;

/**
 * The one secret scrubber: every known secret in `text` (exact strings, longest first, so that no secret is left
 * half-replaced by a shorter one inside it) replaced by ‹redacted›. Where the text was already cut ("…") in the
 * middle of a secret, the cut-off start of it is removed too. {@link redactText} adds the secret-looking patterns.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const forms = [...new Set(secrets)].filter((x) => x.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  if (!forms.length) return text;
  let out = text;
  for (const f of forms) if (out.includes(f)) out = out.split(f).join(REDACTED);
  if (!out.includes('…')) return out;
  return out.replace(/([^…]*)…/g, (whole, head: string) => {
    for (const f of forms) {
      for (let n = Math.min(f.length - 1, head.length); n >= MIN_CUT_PREFIX; n--) {
        if (head.endsWith(f.slice(0, n))) return `${head.slice(0, head.length - n)}${REDACTED}…`;
      }
    }
    return whole;
  });
}

/** First and last few characters, for display in trees and status lines. */
export function maskToken(token: string, keep = 6): string {
  if (token.length <= keep * 2 + 3) return '•'.repeat(Math.min(token.length, 8));
  return `${token.slice(0, keep)}…${token.slice(-keep)}`;
}

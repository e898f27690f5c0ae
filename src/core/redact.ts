// Redaction applied to everything that is logged: headers, bodies, free text.

const SECRET_HEADERS = new Set(['authorization', 'authtoken', 'cookie', 'set-cookie', 'totp-auth', 'x-api-key']);
const SECRET_KEYS = [
  'password',
  'token',
  'visa',
  'key',
  'access_token',
  'refresh_token',
  'v3_user_token',
  'session',
  'sessionId',
  'secret',
];

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

/** Removes secret-looking values from JSON/XML text, JWTs and Commvault tokens. */
export function redactText(s: string, extraSecrets: readonly string[] = []): string {
  let out = s
    .replace(KEY_PATTERN, `$1"${REDACTED}"`)
    .replace(XML_ATTR_PATTERN, `$1="${REDACTED}"`)
    .replace(JWT_PATTERN, REDACTED)
    .replace(QSDK_PATTERN, `QSDK ${REDACTED}`)
    .replace(RED60_PATTERN, `$1${REDACTED}`);
  for (const secret of extraSecrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** First and last few characters, for display in trees and status lines. */
export function maskToken(token: string, keep = 6): string {
  if (token.length <= keep * 2 + 3) return '•'.repeat(Math.min(token.length, 8));
  return `${token.slice(0, keep)}…${token.slice(-keep)}`;
}

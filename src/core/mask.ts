// Secret-named fields in answers (JSON and XML) masked for display: a server's own config may hold passwords and
// signing secrets in clear (datarhei Core's GET /api/v3/config returns api.auth.password and api.auth.jwt.secret).
// Pure; the shape of the answer stays (names, nesting, array lengths), only the secret values are replaced.
import { jsonDeeperThan } from './jsonDepth';

/** What a masked value shows. No length: the length of a password narrows a guess. */
export const MASKED = '‹masked›';

/**
 * Words that make a field secret when they END its name (`jwtSecret`, `refresh_token`, `api-key`, `Password`). Session
 * handles the extension itself manages (Cove's `visa`, a `sessionId`) are not here: the views mask the session's own
 * tokens wherever an answer repeats them, and the trace redacts them by pattern.
 */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'key',
  'keys',
  'apikey',
  'credential',
  'credentials',
  'authorization',
]);

/** Whole names, lower-cased without separators, that are secrets although their last word is not one of the above. */
const SECRET_NAMES = new Set(['accesstoken', 'refreshtoken', 'clientsecret', 'privatekey', 'secretkey', 'authtoken', 'apitoken', 'apikey']);

/** The words of a name: `jwtSecret` → jwt, secret; `APIKey` → api, key; `client_secret` / `x-api-key` / `ns:Password`. */
function wordsOf(name: string): string[] {
  const local = name.slice(name.lastIndexOf(':') + 1);
  return local
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/**
 * Whether a field of this name holds a secret: its last word is a secret word (password, secret, token, key,
 * passphrase, credential(s), …) or the whole name is a known compound (`sessionId`, `accesstoken`). So `jwtSecret`,
 * `refreshToken`, `api_key`, `private_key`, `srt.passphrase` are secret; `tokenType`, `token_expires`, `keyframes`,
 * `key_file`, `passwordPolicy` are not (they name something about a secret, not the secret).
 */
export function isSecretName(name: string): boolean {
  const words = wordsOf(name);
  if (!words.length) return false;
  return SECRET_WORDS.has(words[words.length - 1]) || SECRET_NAMES.has(words.join(''));
}

export interface Masked<T> {
  value: T;
  /** How many values were masked. */
  count: number;
}

/**
 * A JSON value with every non-empty string or number under a secret name (at any depth; through arrays under that
 * name too) replaced by {@link MASKED}. Objects under a secret name are walked, not masked: their own names decide
 * (`"auth": {"username": …, "password": …}` keeps the username). Booleans, null and empty strings stay.
 */
export function maskJson<T>(value: T): Masked<T> {
  let count = 0;
  const leaf = (v: unknown): unknown => {
    if ((typeof v === 'string' && v !== '') || typeof v === 'number') {
      count++;
      return MASKED;
    }
    return walk(v, true);
  };
  const walk = (v: unknown, secret: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x) => (secret ? leaf(x) : walk(x, false)));
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isSecretName(k) ? leaf(x) : walk(x, false)]));
    }
    return v;
  };
  const out = walk(value, false) as T;
  return { value: count ? out : value, count };
}

const XML_ATTR = /(\s)([A-Za-z_][\w.:-]*)(\s*=\s*)("[^"]*"|'[^']*')/g;
const XML_LEAF = /<([A-Za-z_][\w.:-]*)(\s[^<>]*)?>([^<]+|<!\[CDATA\[[\s\S]*?\]\]>)<\/\1\s*>/g;

/**
 * XML text with the values of secret-named attributes (`password="…"`) and the text of secret-named elements holding
 * only text (`<Password>…</Password>`, CDATA too) replaced by {@link MASKED}. The rest of the text stays byte for byte.
 */
export function maskXml(text: string): Masked<string> {
  let count = 0;
  const attrs = (tag: string): string =>
    tag.replace(XML_ATTR, (whole, sp: string, name: string, eq: string, quoted: string) => {
      if (!isSecretName(name) || quoted.length <= 2) return whole;
      count++;
      return `${sp}${name}${eq}${quoted[0]}${MASKED}${quoted[0]}`;
    });
  // Attributes first, inside every start tag; then the text of secret-named leaf elements.
  let out = text.replace(/<[A-Za-z_][^<>]*>/g, attrs);
  out = out.replace(XML_LEAF, (whole, name: string, rest: string | undefined, inner: string) => {
    if (!isSecretName(name) || !inner.trim() || inner === '<![CDATA[]]>') return whole;
    count++;
    return `<${name}${rest ?? ''}>${MASKED}</${name}>`;
  });
  return { value: count ? out : text, count };
}

/**
 * An explored answer's body masked: a parsed JSON value by {@link maskJson}; a text that looks like XML by
 * {@link maskXml}; a text that parses as a JSON object or array is masked as JSON and written back compactly (only
 * when something was masked); any other text stays.
 */
export function maskBody(body: unknown): Masked<unknown> {
  if (typeof body !== 'string') return maskJson(body);
  return maskBodyText(body);
}

/** A text without any of these cannot hold a secret-named field (every secret word and name contains one). */
const MAYBE_SECRET = /pass|pwd|secret|token|key|credential|authorization/i;

/** {@link maskBody} for a body still as text (a trace line, a raw answer). */
export function maskBodyText(text: string): Masked<string> {
  // Most answers name no secret at all: they are not parsed (the trace runs this on every answer).
  if (!MAYBE_SECRET.test(text)) return { value: text, count: 0 };
  const t = text.trimStart();
  if (t.startsWith('<')) return maskXml(text);
  // Too deep to walk safely (the views keep such a body as text anyway): left to the pattern redaction.
  if ((t.startsWith('{') || t.startsWith('[')) && !jsonDeeperThan(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { value: text, count: 0 };
    }
    const m = maskJson(parsed);
    return m.count ? { value: JSON.stringify(m.value), count: m.count } : { value: text, count: 0 };
  }
  return { value: text, count: 0 };
}

/** "1 secret-named field was masked" / "3 secret-named fields were masked". */
export function maskedNote(count: number): string {
  return count === 1 ? '1 secret-named field was masked' : `${count} secret-named fields were masked`;
}

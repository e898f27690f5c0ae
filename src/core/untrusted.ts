// Text a server chose (error messages, user names, claims, headers, bodies) made safe to show in a terminal or a
// one-line message. A raw ESC can clear the screen or retitle the terminal (OSC 0/2), a CR or LF can forge an output
// line, and a bidi override can reorder what the user reads. Nothing is removed: every such character becomes a
// visible symbol, so the user still sees that the server sent it. Pure.

/**
 * C0 controls (TAB, LF and CR included), DEL, C1 controls, the bidi controls (LRM, RLM, ALM, LRE/RLE/PDF/LRO/RLO,
 * LRI/RLI/FSI/PDI) and the Unicode line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
/** The same without LF and TAB, which a block of text keeps. */
// eslint-disable-next-line no-control-regex -- as above
const UNSAFE_IN_BLOCK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
/** What JSON.stringify leaves raw inside strings although a terminal acts on it (it escapes C0 itself). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** C0 as its Control Picture (ESC → ␛, LF → ␊), DEL as ␡, anything else as `\u{XXXX}`. */
function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `\\u{${code.toString(16).toUpperCase().padStart(4, '0')}}`;
}

/**
 * Untrusted text for ONE line (a terminal line, a notification, a tree label, a log entry): every control, line break,
 * tab and bidi control becomes visible. Idempotent: what it returns has nothing left to replace.
 */
export function oneLineText(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * Untrusted text shown as a BLOCK of lines (a response body): as {@link oneLineText} but LF and TAB stay, CRLF becomes
 * LF, and a lone CR (which would overwrite the line on a terminal) is shown as ␍. Idempotent.
 */
export function blockText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE_IN_BLOCK, visible);
}

/**
 * JSON text (from JSON.stringify) made safe for a terminal without changing what it parses to: the characters
 * JSON.stringify leaves raw (DEL, C1, bidi, U+2028/2029) become `\uXXXX` escapes inside their strings. Outside strings
 * JSON.stringify writes none of them, so the indentation newlines of a pretty-printed text stay.
 */
export function terminalJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `JSON.stringify(value, null, indent)` through {@link terminalJson}. */
export function stringifyForTerminal(value: unknown, indent?: number): string {
  return terminalJson(JSON.stringify(value, null, indent) ?? String(value));
}

// Shared by the untrusted-text and claim-time tests: a hostile server string, a check that text is inert, and a JWT
// with any claims.
import * as assert from 'node:assert/strict';

/** A server's attempt to retitle the terminal (OSC 0), clear the screen and forge a line. */
export const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J\nFAKE LINE';

// eslint-disable-next-line no-control-regex -- finding raw controls is the point
const RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
// eslint-disable-next-line no-control-regex -- as above, but LF and TAB are a block's own
const RAW_IN_BLOCK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** No raw C0 control (LF and TAB allowed with `allowLineBreaks`), DEL, C1 or bidi control is left in `text`. */
export function assertInert(text: string, opts: { allowLineBreaks?: boolean } = {}): void {
  const m = (opts.allowLineBreaks ? RAW_IN_BLOCK : RAW).exec(text);
  assert.equal(m, null, `raw U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} in ${JSON.stringify(text)}`);
}

/** An unsigned JWT with these claims (decoding does not verify signatures). */
export function jwtWith(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2ln`;
}

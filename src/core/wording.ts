// Text that keeps apart the program's own words and the text that came from outside (a server's answer, a header, a
// path the user typed, a claim), so that secrets are scrubbed from the outside parts only. Scrubbing a whole sentence
// damages it and tells the password: with the password `password`, "check the username and ‹redacted›" shows where
// it stood. Pure.
import { redactText } from './redact';

/** A piece of outside text inside a {@link Wording}. */
export interface Outside {
  readonly outside: string;
}

export type WordingPart = string | Outside;

/** Marks a Wording whichever bundle made it (the gateway chunk has its own copy of this module; see isAuthError). */
const WORDING: unique symbol = Symbol.for('api-auth-explorer.Wording');

/** Own words (plain strings) and outside text ({@link Outside}), in order. `String(w)` is the raw text. */
export class Wording {
  readonly [WORDING] = true;
  constructor(readonly parts: readonly WordingPart[]) {}

  toString(): string {
    return this.parts.map((p) => (typeof p === 'string' ? p : p.outside)).join('');
  }

  /** The text with every outside part passed through `fn` (own words unchanged). */
  mapOutside(fn: (text: string) => string): Wording {
    return new Wording(this.parts.map((p) => (typeof p === 'string' ? p : { outside: fn(p.outside) })));
  }
}

/** True for a Wording of this bundle or of another chunk: `instanceof` alone fails across chunks. */
export function isWording(v: unknown): v is Wording {
  return v instanceof Wording || (typeof v === 'object' && v !== null && (v as Partial<Wording>)[WORDING] === true);
}

/** Marks a value as outside text inside a {@link wording} template. */
export function outside(text: string): Outside {
  return { outside: text };
}

/** Own words only (a sentence the program wrote, with nothing from outside in it). */
export function ours(text: string): Wording {
  return new Wording([text]);
}

/** Outside text only (a server's words, a trace of an exchange). */
export function theirs(text: string): Wording {
  return new Wording([{ outside: text }]);
}

type Value = string | number | boolean | null | undefined | Outside | Wording;

/**
 * A tagged template: the literal parts are own words; `${outside(x)}` is outside text; a `${wording}` splices its
 * parts (own stay own, outside stay outside); any other value (a number, a name the program chose) is own words.
 */
export function wording(strings: TemplateStringsArray, ...values: Value[]): Wording {
  const parts: WordingPart[] = [];
  strings.forEach((s, i) => {
    if (s) parts.push(s);
    if (i >= values.length) return;
    const v = values[i];
    if (isWording(v)) parts.push(...v.parts);
    else if (typeof v === 'object' && v !== null) parts.push(v);
    else parts.push(String(v));
  });
  return new Wording(parts);
}

/**
 * The text ready to show: outside parts scrubbed of the given secrets and of secret-looking values (JWTs, tokens in
 * JSON/XML fields: {@link redactText}); own words untouched. A plain string counts as outside text as a whole: what
 * is not marked as the program's own is treated as possibly carrying a secret.
 */
export function scrubbed(text: string | Wording, secrets: readonly string[]): string {
  if (typeof text === 'string') return redactText(text, secrets);
  return text.mapOutside((t) => redactText(t, secrets)).toString();
}

// A guard before JSON.parse: a hostile answer of 100 000 nested brackets parses, but every later recursion over it
// (JSON.stringify for the views and the CLI, the tree renderer) overflows the stack. One linear scan, skipping
// string contents, tells whether a text nests deeper than a limit.

/** Deepest nesting of arrays and objects accepted in an answer. */
export const MAX_JSON_DEPTH = 200;

/** Whether `text` nests `[` / `{` deeper than `max` levels (brackets inside strings do not count). O(n), no allocation. */
export function jsonDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      // A backslash escapes the next character; a quote ends the string.
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

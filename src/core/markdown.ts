// Markdown for hovers (the tree's and the status bar's tooltips): plain text is escaped, code spans are fenced.
// Inside a code span a backslash is a literal backslash (CommonMark), so text there must not be escaped.
// Both also show controls and bidi overrides as symbols (oneLineText): the text is often a server's.
import { oneLineText } from './untrusted';

/** Text shown as itself in Markdown outside code spans: characters that could start markup are backslash-escaped. */
export function escapeMarkdown(text: string): string {
  // Neutralised first, so that the backslash of a `\u{202E}` it writes is escaped too and shows.
  return oneLineText(text).replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/**
 * `text` as one CommonMark code span, shown exactly as it is. Nothing inside is escaped: the fence is one backtick
 * longer than the longest run of backticks in the text, and a text that starts or ends with a backtick (or has a
 * space at both ends) gets one space of padding on each side, which CommonMark strips again. Line breaks become
 * spaces (as a code span shows them anyway; a blank line would end the paragraph). Empty text gives '': CommonMark
 * has no empty code span.
 */
export function codeSpan(text: string): string {
  const flat = oneLineText(text.replace(/\r\n?|\n/g, ' '));
  if (flat === '') return '';
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

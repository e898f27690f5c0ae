// Untrusted text made safe for terminals and one-line messages: every control, line break and bidi control shows.
import * as assert from 'node:assert/strict';
import { print, printBlock, printError, printTrace } from '../../src/cli/output';
import { describeError, AuthError } from '../../src/core/errors';
import { codeSpan, escapeMarkdown } from '../../src/core/markdown';
import { blockText, oneLineText, stringifyForTerminal, terminalJson } from '../../src/core/untrusted';
import { assertInert, HOSTILE } from './untrusted-fixtures';

describe('oneLineText', () => {
  it('shows C0 controls as their Control Pictures: ESC → ␛, BEL → ␇, LF → ␊, CR → ␍, TAB → ␉, NUL → ␀', () => {
    assert.equal(oneLineText(HOSTILE), '␛]0;pwned␇␛[2J␊FAKE LINE');
    assert.equal(oneLineText('a\r\nb\tc\u0000d\u001fe'), 'a␍␊b␉c␀d␟e');
  });

  it('shows DEL as ␡ and C1 controls (CSI U+009B, NEL U+0085) as \\u{XXXX}', () => {
    assert.equal(oneLineText('x\u007fy'), 'x␡y');
    assert.equal(oneLineText('\u009b2J\u0085'), '\\u{009B}2J\\u{0085}');
    assert.equal(oneLineText('\u0080\u009f'), '\\u{0080}\\u{009F}');
  });

  it('shows bidi controls and the line / paragraph separators as \\u{XXXX}', () => {
    const all = ['\u200e', '\u200f', '\u061c', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u2028', '\u2029'];
    for (const c of all) assert.equal(oneLineText(`a${c}b`), `a\\u{${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}}b`);
    assert.equal(oneLineText('admin\u202etxt.exe'), 'admin\\u{202E}txt.exe');
  });

  it('leaves printable text, accents, CJK, emoji and surrogate pairs alone', () => {
    for (const s of ['plain ASCII ~!@#$%^&*()', 'Zoë Ångström', '東京 管理者', '👩‍💻 🔑 𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '\u00a0non-breaking', '']) assert.equal(oneLineText(s), s);
  });

  it('is idempotent: what it returns has nothing left to replace', () => {
    for (const s of [HOSTILE, 'a\u202eb\u0085c\u007f', 'x\r\ny']) {
      const once = oneLineText(s);
      assertInert(once);
      assert.equal(oneLineText(once), once);
    }
  });
});

describe('blockText', () => {
  it('keeps LF and TAB, turns CRLF into LF and shows a lone CR and every other control', () => {
    assert.equal(blockText('<a>\r\n\t<b/>\r\n</a>'), '<a>\n\t<b/>\n</a>');
    assert.equal(blockText('ok\rFORGED'), 'ok␍FORGED');
    assert.equal(blockText(HOSTILE), '␛]0;pwned␇␛[2J\nFAKE LINE');
    assert.equal(blockText('a\u202eb\u2028c\u0085'), 'a\\u{202E}b\\u{2028}c\\u{0085}');
  });

  it('is idempotent and leaves emoji alone', () => {
    const once = blockText(`${HOSTILE}\r\n🔑\r`);
    assertInert(once, { allowLineBreaks: true });
    assert.equal(blockText(once), once);
    assert.ok(once.includes('🔑'));
  });
});

describe('terminalJson / stringifyForTerminal', () => {
  it('escapes what JSON.stringify leaves raw (DEL, C1, bidi, U+2028/2029) and parses back to the same value', () => {
    const value = { name: 'a\u202eb', c1: '\u009b2J', del: '\u007f', sep: '\u2028\u2029', esc: '\u001b[2J\n', emoji: '🔑' };
    const text = stringifyForTerminal(value);
    assertInert(text);
    assert.ok(text.includes('\\u202e') && text.includes('\\u009b') && text.includes('\\u2028'));
    assert.deepEqual(JSON.parse(text), value);
  });

  it('keeps the indentation newlines of pretty-printed JSON and nothing else changes for plain JSON', () => {
    const text = stringifyForTerminal({ a: ['x\u2029'] }, 2);
    assert.equal(text, '{\n  "a": [\n    "x\\u2029"\n  ]\n}');
    assert.equal(terminalJson('{"a":1}'), '{"a":1}');
  });
});

describe('the error sentence and Markdown hovers', () => {
  it('describeError makes the server words and the whole sentence one line', () => {
    const e = new AuthError('credentials', 'wrong username or password\n', { serverMessage: HOSTILE });
    const line = describeError(e, { id: 'dr', label: 'Lab\u001b[31m' });
    assertInert(line);
    assert.equal(
      line,
      'Connection "Lab␛[31m": wrong username or password (server said: "␛]0;pwned␇␛[2J␊FAKE LINE"); check the username and set the secret again.',
    );
    assertInert(describeError(new Error(`boom\r\n${HOSTILE}`), { id: 'x' }));
  });

  it('escapeMarkdown and codeSpan show controls; a code span still turns line breaks into spaces', () => {
    assert.equal(escapeMarkdown('a\u001bb'), 'a␛b');
    // The backslash of the visible form is escaped too, so Markdown shows it.
    assert.equal(escapeMarkdown('a\u202eb'), 'a\\\\u\\{202E\\}b');
    assert.equal(codeSpan(`x\ny\u0007`), '`x y␇`');
  });
});

describe('the CLI output functions', () => {
  /** What `run` writes to standard output and standard error. */
  function captured(run: () => void): { out: string; err: string } {
    const got = { out: '', err: '' };
    const [out, err] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
    process.stdout.write = ((chunk: string) => ((got.out += chunk), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => ((got.err += chunk), true)) as typeof process.stderr.write;
    try {
      run();
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
    }
    return got;
  }

  it('print, printError and printTrace write one inert line each; printBlock keeps the body lines; secrets are scrubbed first', () => {
    const r = captured(() => {
      print(['Hunter2-secret'], `as ${HOSTILE} Hunter2-secret`);
      printBlock([], `a\r\n${HOSTILE}\rb`);
      printError([], `refused: ${HOSTILE}`);
      printTrace([], `GET /x → 200 ${HOSTILE}`);
    });
    assert.equal(r.out, 'as ␛]0;pwned␇␛[2J␊FAKE LINE ‹redacted›\na\n␛]0;pwned␇␛[2J\nFAKE LINE␍b\n');
    assert.equal(r.err, 'api-auth: refused: ␛]0;pwned␇␛[2J␊FAKE LINE\napi-auth: trace GET /x → 200 ␛]0;pwned␇␛[2J␊FAKE LINE\n');
  });
});

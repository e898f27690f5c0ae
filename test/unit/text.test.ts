// Text helpers: Markdown for tooltips (plain text escaped, code spans fenced to show their text exactly) and slugs.
import * as assert from 'node:assert/strict';
import { codeSpan, escapeMarkdown } from '../../src/core/markdown';
import { slug } from '../../src/core/util';

describe('codeSpan', () => {
  it('leaves the text alone: inside a code span a backslash would show', () => {
    assert.equal(codeSpan('auth_time'), '`auth_time`');
    assert.equal(codeSpan('https://core.example.com/api'), '`https://core.example.com/api`');
    assert.equal(codeSpan('a\\b*c'), '`a\\b*c`');
  });

  it('fences with one backtick more than the longest run inside', () => {
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('a``b`c'), '```a``b`c```');
  });

  it('pads a text that starts or ends with a backtick, or has spaces at both ends (CommonMark strips one each side)', () => {
    assert.equal(codeSpan('`a'), '`` `a ``');
    assert.equal(codeSpan('a`'), '`` a` ``');
    assert.equal(codeSpan(' a '), '`  a  `');
    assert.equal(codeSpan(' a'), '` a`');
    assert.equal(codeSpan('   '), '`   `');
  });

  it('turns line breaks into spaces and gives nothing for an empty text', () => {
    assert.equal(codeSpan('a\n\nb\r\nc'), '`a  b c`');
    assert.equal(codeSpan(''), '');
  });
});

describe('escapeMarkdown', () => {
  it('escapes what could start markup outside a code span', () => {
    assert.equal(escapeMarkdown('my_conn *1* [x](y) `z`'), 'my\\_conn \\*1\\* \\[x\\]\\(y\\) \\`z\\`');
  });
});

describe('slug', () => {
  it('keeps letters and digits, one dash for every other run, none at the ends, at most 40 characters', () => {
    assert.equal(slug('GET /api/v3/process'), 'GET-api-v3-process');
    assert.equal(slug('  Acme — Prod!  '), 'Acme-Prod');
    assert.equal(slug('***'), '');
    assert.equal(slug('x'.repeat(50)).length, 40);
  });
});

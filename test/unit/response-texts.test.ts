// The Send Request answers kept for their documents: dropped when VS Code closes a document, bounded otherwise,
// and never taken from a document that is still open.
import * as assert from 'node:assert/strict';
import { ResponseTexts } from '../../src/ext/responseTexts';

describe('Send Request answers kept for their documents', () => {
  it('drops an answer when VS Code closes its document', () => {
    const open = new Set<string>();
    const texts = new ResponseTexts(20, (k) => open.has(k));
    texts.add('a', 'answer a');
    open.add('a');
    assert.equal(texts.get('a'), 'answer a');
    open.delete('a');
    texts.closed('a');
    assert.equal(texts.get('a'), undefined);
    assert.equal(texts.size, 0);
  });

  it('keeps the answer of a document still open when a close is reported (a language change closes and reopens)', () => {
    const texts = new ResponseTexts(20, () => true);
    texts.add('a', 'answer a');
    texts.closed('a');
    assert.equal(texts.get('a'), 'answer a');
  });

  it('keeps at most `max` answers of documents no longer open, dropping the oldest first', () => {
    const texts = new ResponseTexts(3, () => false);
    for (const k of ['a', 'b', 'c', 'd', 'e']) texts.add(k, `answer ${k}`);
    assert.equal(texts.size, 3);
    assert.deepEqual(
      ['a', 'b', 'c', 'd', 'e'].filter((k) => texts.has(k)),
      ['c', 'd', 'e'],
    );
  });

  it('never drops the answer of an open document to make room, nor the one just added', () => {
    const open = new Set(['a', 'b', 'c']);
    const texts = new ResponseTexts(2, (k) => open.has(k));
    for (const k of ['a', 'b', 'c', 'd']) texts.add(k, `answer ${k}`);
    assert.deepEqual(
      ['a', 'b', 'c', 'd'].filter((k) => texts.has(k)),
      ['a', 'b', 'c', 'd'],
      'all open, or just added',
    );
    open.clear();
    texts.add('e', 'answer e');
    assert.deepEqual(
      ['a', 'b', 'c', 'd', 'e'].filter((k) => texts.has(k)),
      ['d', 'e'],
    );
  });
});

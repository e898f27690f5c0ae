// Text helpers: slugs for ids and file names.
import * as assert from 'node:assert/strict';
import { slug } from '../../src/core/util';

describe('slug', () => {
  it('keeps letters and digits, one dash for every other run, none at the ends, at most 40 characters', () => {
    assert.equal(slug('GET /api/v3/process'), 'GET-api-v3-process');
    assert.equal(slug('  Acme — Prod!  '), 'Acme-Prod');
    assert.equal(slug('***'), '');
    assert.equal(slug('x'.repeat(50)).length, 40);
  });
});

// What the request path's cheaper parts must still do: the key comparison (no hashing now), the cancel and deadline
// given to axios instead of AbortControllers, the answer's body parsed only when read, and the remembered path
// checks still refusing what they refused.
import * as assert from 'node:assert/strict';
import { Cancel, Deadline } from '../../src/core/deadline';
import { type RawResponse, toApiResponse } from '../../src/core/http';
import { resolveOnOrigin } from '../../src/core/origin';
import { keyMatches } from '../../src/engine/gatewayGuard';
import { checkWireTarget } from '../../src/engine/requests';

const raw = (text: string): RawResponse => ({
  status: 200,
  statusText: 'OK',
  headers: { 'content-type': 'application/json' },
  setCookie: [],
  text,
  bytes: Buffer.from(text),
  contentType: 'application/json',
  durationMs: 1,
  url: 'http://127.0.0.1:1/x',
});

describe('request path: the cheaper parts keep their meaning', () => {
  it('keyMatches accepts only the exact key: not a prefix, an extension, another key of the same length, or none', () => {
    const key = 'k'.repeat(42) + 'Q';
    assert.equal(keyMatches(key, key), true);
    for (const wrong of [undefined, '', key.slice(0, -1), `${key}x`, `${key.slice(0, -1)}q`, `${key.slice(0, -1)}é`, 'é'.repeat(43)]) {
      assert.equal(keyMatches(wrong, key), false, JSON.stringify(wrong));
    }
  });

  it('a Cancel tells each listener once, not after it was removed, and never after clear()', () => {
    const c = new Cancel();
    const heard: string[] = [];
    const a = () => heard.push('a');
    const b = () => heard.push('b');
    c.addEventListener('abort', a);
    c.addEventListener('abort', b);
    c.removeEventListener('abort', b);
    c.cancel();
    c.cancel();
    assert.deepEqual(heard, ['a']);
    assert.equal(c.aborted, true);
    const d = new Cancel();
    d.addEventListener('abort', a);
    d.clear();
    d.cancel();
    assert.deepEqual(heard, ['a']);
  });

  it('a Deadline fires by itself once its time is up (expired), and a cancel first is no expiry', async () => {
    const late = new Deadline(20);
    let told = 0;
    late.addEventListener('abort', () => told++);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual([late.aborted, late.expired, told], [true, true, 1]);
    const early = new Deadline(20);
    early.cancel();
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual([early.aborted, early.expired], [true, false]);
  });

  it('toApiResponse parses the body when read, once, and spread and JSON still carry it', () => {
    const res = toApiResponse(raw('{"a":[1,2]}'));
    const first = res.body;
    assert.deepEqual(first, { a: [1, 2] });
    assert.equal(res.body, first, 'parsed once');
    assert.deepEqual({ ...res }.body, { a: [1, 2] });
    assert.deepEqual(JSON.parse(JSON.stringify(res)).body, { a: [1, 2] });
    assert.equal(toApiResponse(raw('{"a":1}'), 'given').body, 'given');
    assert.equal(toApiResponse(raw('not json')).body, 'not json');
  });

  it('resolveOnOrigin and checkWireTarget refuse a path off the origin every time, not only the first', () => {
    const base = 'http://127.0.0.1:9/api';
    assert.equal(resolveOnOrigin(base, '/v3/x'), 'http://127.0.0.1:9/api/v3/x');
    assert.equal(resolveOnOrigin(base, '/v3/x'), 'http://127.0.0.1:9/api/v3/x');
    for (let i = 0; i < 2; i++) {
      assert.throws(() => resolveOnOrigin(base, '//evil.example/x'), /another server|origin|leads out|not/i);
      assert.throws(() => resolveOnOrigin(base, '/../x'), /base path/);
      assert.throws(() => checkWireTarget({ baseUrl: base }, { url: 'http://127.0.0.2:9/api/x' }));
    }
    checkWireTarget({ baseUrl: base }, { url: 'http://127.0.0.1:9/api/x' });
    checkWireTarget({ baseUrl: base }, { url: 'http://127.0.0.1:9/api/x' });
  });
});

// The Disposable base every long-lived extension object extends.
import * as assert from 'node:assert/strict';
import { Disposable, disposeAll, toDisposable } from '../../src/core/lifecycle';

class Owner extends Disposable {
  own(d: { dispose(): void }): void {
    this.register(d);
  }
  get gone(): boolean {
    return this.isDisposed;
  }
}

describe('Disposable base', () => {
  it('disposes what it registered once, newest first', () => {
    const order: string[] = [];
    const o = new Owner();
    o.own(toDisposable(() => order.push('a')));
    o.own(toDisposable(() => order.push('b')));
    o.dispose();
    o.dispose();
    assert.deepEqual(order, ['b', 'a']);
    assert.equal(o.gone, true);
  });

  it('disposes at once what is registered after it was disposed (a late listener cannot leak)', () => {
    const o = new Owner();
    o.dispose();
    let disposed = false;
    o.own(toDisposable(() => (disposed = true)));
    assert.equal(disposed, true);
  });

  it('disposeAll tries every item and rethrows the first failure', () => {
    const seen: number[] = [];
    const boom = new Error('first');
    assert.throws(
      () =>
        disposeAll([
          toDisposable(() => {
            seen.push(1);
            throw boom;
          }),
          toDisposable(() => {
            seen.push(2);
            throw new Error('second');
          }),
          toDisposable(() => seen.push(3)),
        ]),
      (e) => e === boom,
    );
    assert.deepEqual(seen, [1, 2, 3]);
  });
});

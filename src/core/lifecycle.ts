// One way to own resources: a class extends Disposable and registers what it creates; dispose() releases all of it,
// newest first, once. Something registered after disposal is released at once (a late listener cannot leak).
// The same shape as the Disposable base of VS Code's own extensions; structural, so it needs no `vscode`.

export interface IDisposable {
  dispose(): void;
}

export abstract class Disposable implements IDisposable {
  private readonly owned: IDisposable[] = [];
  private disposed = false;

  /** Takes ownership of `d` (and of `more`); disposed with this object. Returns `d`. */
  protected register<T extends IDisposable>(d: T, ...more: IDisposable[]): T {
    for (const x of [d, ...more]) {
      if (this.disposed) x.dispose();
      else this.owned.push(x);
    }
    return d;
  }

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.owned.splice(0).reverse());
  }
}

/** Disposes every item even when one throws; the first error is rethrown after all were tried. */
export function disposeAll(items: Iterable<IDisposable>): void {
  let first: unknown;
  let failed = false;
  for (const d of items) {
    try {
      d.dispose();
    } catch (e) {
      if (!failed) first = e;
      failed = true;
    }
  }
  if (failed) throw first;
}

/** A disposable from a function (a timer's clear, a listener's removal). */
export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

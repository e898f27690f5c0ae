// A bounded memo for pure computations that repeat on every request (a base URL parsed, a path resolved or routed):
// only results are kept (a computation that throws is worked out again each time), keys longer than `maxKeyLength`
// are not kept, and a full memo starts over rather than tracking use.
export class BoundedMemo<V> {
  private readonly values = new Map<string, V>();

  constructor(
    private readonly max: number,
    private readonly maxKeyLength = Infinity,
  ) {}

  /** The value remembered for `key`, else `make()`'s, remembered when it returns. */
  get(key: string, make: () => V): V {
    if (this.values.has(key)) return this.values.get(key) as V;
    const value = make();
    if (key.length <= this.maxKeyLength) {
      if (this.values.size >= this.max) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}

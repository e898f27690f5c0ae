// A Map-backed stand-in for VS Code's SecretStorage (the SecretStore interface of src/engine/secretVault.ts): every
// store and delete fires onDidChange to every subscriber, as VS Code does for all windows that share the storage —
// two vaults over one fake are two windows. Calls can be made to fail, to test the guarded paths.
import type { IDisposable } from '../../../src/core/lifecycle';
import type { SecretStore } from '../../../src/engine/secretVault';

type Op = 'get' | 'store' | 'delete';

export class FakeSecretStorage implements SecretStore {
  private readonly values = new Map<string, string>();
  private readonly listeners = new Set<(e: { readonly key: string }) => unknown>();
  /** Operations that reject, with the error each throws (until cleared). */
  readonly failing = new Map<Op, Error>();
  /** Every store and delete, in order (key only, never the value). */
  readonly calls: { op: Op; key: string }[] = [];
  private held: Promise<void> | undefined;

  readonly onDidChange = (listener: (e: { readonly key: string }) => unknown): IDisposable => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };

  async get(key: string): Promise<string | undefined> {
    this.fail('get');
    return this.values.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.calls.push({ op: 'store', key });
    this.fail('store');
    this.values.set(key, value);
    this.fire(key);
    const held = this.held;
    this.held = undefined;
    if (held) await held;
  }

  /**
   * The next store is applied (and announced) at once but its promise resolves only when `release` is called: the
   * writer is still waiting while other windows already see the value and may write over it.
   */
  holdNextStore(): () => void {
    let release!: () => void;
    this.held = new Promise((r) => (release = r));
    return () => release();
  }

  async delete(key: string): Promise<void> {
    this.calls.push({ op: 'delete', key });
    this.fail('delete');
    this.values.delete(key);
    this.fire(key);
  }

  /** What is stored under a key, read directly (no failure, no event). */
  raw(key: string): string | undefined {
    return this.values.get(key);
  }

  /** Writes a raw value as another tool or an older version would have (fires onDidChange only when asked). */
  plant(key: string, value: string, opts: { fire?: boolean } = {}): void {
    this.values.set(key, value);
    if (opts.fire) this.fire(key);
  }

  keys(): string[] {
    return [...this.values.keys()];
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  private fail(op: Op): void {
    const e = this.failing.get(op);
    if (e) throw e;
  }

  private fire(key: string): void {
    for (const l of [...this.listeners]) l({ key });
  }
}

// One pending job per key, run once after a delay however often it is asked for meanwhile; a timer exists only
// while a job waits. Disposing runs the jobs still waiting (nothing asked for is dropped) and clears their timers.
import type { IDisposable } from './lifecycle';

export class LaterOnce implements IDisposable {
  private readonly pending = new Map<string, { timer: ReturnType<typeof setTimeout>; job: () => void }>();

  constructor(private readonly delayMs: number) {}

  /** Runs `job` for `key` after the delay, unless a job for `key` already waits (that one runs, once). */
  once(key: string, job: () => void): void {
    if (this.pending.has(key)) return;
    const timer = setTimeout(() => {
      this.pending.delete(key);
      job();
    }, this.delayMs);
    timer.unref?.(); // a write still waiting never keeps a process alive on its own
    this.pending.set(key, { timer, job });
  }

  /** Drops the waiting job for `key`, if any (a newer write made it pointless). */
  cancel(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(key);
  }

  dispose(): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) {
      clearTimeout(p.timer);
      p.job();
    }
  }
}

// One 1-second interval shared by the status bar and the tree; it runs only while someone listens AND a session
// with an expiry exists — no timer runs while nothing is logged in.
import type * as vscode from 'vscode';

export class Ticker implements vscode.Disposable {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly hasLiveExpiry: () => boolean) {}

  onTick(fn: () => void): vscode.Disposable {
    this.listeners.add(fn);
    this.update();
    return {
      dispose: () => {
        this.listeners.delete(fn);
        this.update();
      },
    };
  }

  /** Re-evaluates whether the interval should run (call when sessions change). */
  update(): void {
    const want = this.listeners.size > 0 && this.hasLiveExpiry();
    if (want && !this.timer) {
      this.timer = setInterval(() => {
        for (const l of this.listeners) l();
        this.update();
      }, 1000);
    } else if (!want && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }
}

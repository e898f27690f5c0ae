// The window's auth gateway, off by default: started and stopped by command, by the Gateway… menu and by the
// `authExplorer.gateway.enabled` setting. What runs it (the engine's server, the status-bar item, the terminals'
// environment) lives in the chunk dist/gateway.js (gatewayRun.ts), required on the first start only. The traffic log
// is here: Send Request records into it whether or not the gateway runs.
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../core/lifecycle';
import { TrafficLog } from '../engine/traffic';
import { SETTING_GATEWAY, SETTING_SECTION } from './constants';
import type * as Run from './gatewayRun';

type Deps = Omit<Run.GatewayDeps, 'traffic' | 'key'>;

/** Views refresh at most this often while requests go through. */
const TRAFFIC_REFRESH_MS = 300;

let chunk: typeof Run | undefined;
function run(): typeof Run {
  // esbuild makes this `require('./gateway.js')` in the extension's bundle (esbuild.mjs, lazyChunks).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  chunk ??= require('./gatewayRun') as typeof Run;
  return chunk;
}

export class GatewayService extends Disposable implements Run.GatewayControl {
  /** One per window: the last requests per connection (gateway, Send Request, terminals), bounded. */
  readonly traffic = new TrafficLog();
  running: Run.RunningGateway | undefined;
  private pending: Promise<unknown> = Promise.resolve();
  private key: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Started, stopped, or traffic recorded (at most every 300 ms). */
  readonly onDidChange = this.changed.event;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: Deps) {
    super();
    this.register(
      this.changed,
      this.traffic.onDidAdd(() => (this.timer ??= setTimeout(() => ((this.timer = undefined), this.changed.fire()), TRAFFIC_REFRESH_MS))),
      vscode.workspace.onDidChangeConfiguration((e) => {
        const on = (k: string) => e.affectsConfiguration(`${SETTING_SECTION}.${SETTING_GATEWAY}.${k}`);
        if (on('enabled')) void this.follow(() => (this.enabled() ? this.start() : this.stop()));
        // The engine reads these at start: a running gateway starts again on the same key.
        else if (this.running && (on('port') || on('allowedOrigins'))) void this.follow(() => this.stop().then(() => this.start()));
        else if (on('expose')) this.changed.fire();
      }),
      toDisposable(() => {
        clearTimeout(this.timer);
        void this.running?.stop();
      }),
    );
    // Off the activation path: nothing listens unless the user turned it on.
    if (this.enabled()) setTimeout(() => void this.follow(() => this.start()), 0);
  }

  private enabled(): boolean {
    return vscode.workspace.getConfiguration(SETTING_SECTION).get(`${SETTING_GATEWAY}.enabled`) === true;
  }

  /** A setting's change: started or stopped in order, a failure said once (commands report their own). */
  private follow(fn: () => Promise<unknown>): Promise<unknown> {
    return fn().catch((e: unknown) => {
      const text = this.deps.log.errorText(e);
      this.deps.log.error('gateway', text);
      void vscode.window.showErrorMessage(`Gateway: ${text}`);
    });
  }

  /** Starts the gateway (or returns the running one). One start or stop at a time. */
  start(): Promise<Run.RunningGateway> {
    return this.queue(async () => {
      if (this.isDisposed) throw new Error('the extension is shutting down');
      this.running ??= await run().runGateway({ ...this.deps, traffic: this.traffic, key: this.key });
      this.key = this.running.key;
      this.changed.fire();
      return this.running;
    });
  }

  private queue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.pending.then(fn);
    this.pending = next.catch(() => undefined);
    return next;
  }

  stop(): Promise<void> {
    return this.queue(async () => {
      const gw = this.running;
      this.running = undefined;
      await gw?.stop();
      this.changed.fire();
    });
  }

  menu(): Promise<void> {
    return run().gatewayMenu(this);
  }
}

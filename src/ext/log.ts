// The one log channel. Everything written passes through redaction first.
import * as vscode from 'vscode';
import { redactText } from '../core/redact';

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  /** Secrets known in this window (passwords typed, tokens held), redacted from every line as a last guard. */
  private readonly known = new Set<string>();

  constructor() {
    this.channel = vscode.window.createOutputChannel('API Auth Explorer', { log: true });
  }

  remember(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.known.add(secret);
  }

  private clean(component: string, msg: string): string {
    return `[${component}] ${redactText(msg, [...this.known])}`;
  }

  info(component: string, msg: string): void {
    this.channel.info(this.clean(component, msg));
  }
  warn(component: string, msg: string): void {
    this.channel.warn(this.clean(component, msg));
  }
  error(component: string, msg: string): void {
    this.channel.error(this.clean(component, msg));
  }
  trace(component: string, msg: string): void {
    this.channel.trace(this.clean(component, msg));
  }

  dispose(): void {
    this.channel.dispose();
  }
}

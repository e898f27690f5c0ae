// The one log channel. Everything written passes through redaction first.
import * as vscode from 'vscode';
import { type DescribedConnection, describeError } from '../core/errors';
import { MIN_SECRET_LENGTH, redactText } from '../core/redact';
import { oneLineText } from '../core/untrusted';

const MAX_TOKENS = 200;

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  /** Secrets known in this window (passwords, API keys), redacted from every line as a last guard. */
  private readonly known = new Set<string>();
  /** Tokens held in this window, newest last; bounded (a Cove session adds one visa per call). */
  private readonly tokens = new Set<string>();

  constructor() {
    this.channel = vscode.window.createOutputChannel('API Auth Explorer', { log: true });
  }

  remember(secret: string | undefined): void {
    if (secret && secret.length >= MIN_SECRET_LENGTH) this.known.add(secret);
  }

  rememberToken(token: string | undefined): void {
    if (!token || token.length < MIN_SECRET_LENGTH) return;
    this.tokens.delete(token);
    this.tokens.add(token);
    if (this.tokens.size > MAX_TOKENS) this.tokens.delete(this.tokens.values().next().value as string);
  }

  /** Text with every known secret and token removed: for the log and for messages shown to the user. */
  redact(msg: string): string {
    return redactText(msg, [...this.known, ...this.tokens]);
  }

  /** The one sentence shown to the user for a failure on a connection, redacted like the log. */
  describeError(e: unknown, conn: DescribedConnection): string {
    return this.redact(describeError(e, conn));
  }

  /**
   * Every log entry is one line: a server's words in it (an error message, a trace line's body) cannot forge another
   * entry, and its controls show as symbols (the log is also read in terminals, e.g. with `cat`).
   */
  private clean(component: string, msg: string): string {
    return `[${component}] ${oneLineText(this.redact(msg))}`;
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

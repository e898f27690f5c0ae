// The one log channel. Everything written passes through redaction first: the known secrets are scrubbed from the
// outside parts of each entry (src/core/scrubber.ts), never from the extension's own words.
import * as vscode from 'vscode';
import type { DescribedConnection } from '../core/errors';
import { SecretScrubber } from '../core/scrubber';
import { oneLineText } from '../core/untrusted';
import type { Wording } from '../core/wording';

/** An entry: own words and outside text marked (a Wording), or a plain string, taken as outside text as a whole. */
export type LogText = string | Wording;

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  /** Secrets known in this window (passwords, API keys) and tokens held, scrubbed from every entry as a last guard. */
  readonly scrubber = new SecretScrubber();

  constructor() {
    this.channel = vscode.window.createOutputChannel('API Auth Explorer', { log: true });
  }

  remember(secret: string | undefined): void {
    this.scrubber.remember(secret);
  }

  rememberToken(token: string | undefined): void {
    this.scrubber.rememberToken(token);
  }

  /** Text with every known secret and token removed from its outside parts: for the log and for messages shown. */
  redact(msg: LogText): string {
    return this.scrubber.scrub(msg);
  }

  /** The one sentence shown to the user for a failure on a connection, redacted like the log. */
  describeError(e: unknown, conn: DescribedConnection): string {
    return this.scrubber.describeError(e, conn);
  }

  /** An error's message for a failure on no connection, redacted like the log. */
  errorText(e: unknown): string {
    return oneLineText(this.scrubber.errorText(e));
  }

  /**
   * Every log entry is one line: a server's words in it (an error message, a trace line's body) cannot forge another
   * entry, and its controls show as symbols (the log is also read in terminals, e.g. with `cat`).
   */
  private clean(component: string, msg: LogText): string {
    return `[${component}] ${oneLineText(this.redact(msg))}`;
  }

  info(component: string, msg: LogText): void {
    this.channel.info(this.clean(component, msg));
  }
  warn(component: string, msg: LogText): void {
    this.channel.warn(this.clean(component, msg));
  }
  error(component: string, msg: LogText): void {
    this.channel.error(this.clean(component, msg));
  }
  trace(component: string, msg: LogText): void {
    this.channel.trace(this.clean(component, msg));
  }

  dispose(): void {
    this.channel.dispose();
  }
}

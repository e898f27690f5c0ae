// Reading from the user: all of standard input, or one line typed at a terminal without echo (promptHidden).
import type { EventEmitter } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { oneLineText } from '../core/untrusted';

/** Ctrl+C at a prompt: the CLI exits 130, as a shell reports a command ended by SIGINT. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

/** All of standard input, as UTF-8 text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A prompt needs a terminal to read the keys from and one to show the question on. */
export function canPrompt(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** What {@link promptHidden} reads keys from: a TTY read stream (process.stdin), or a stand-in for tests. */
export interface KeyInput extends EventEmitter {
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Keys typed after an Enter (a paste of "password⏎code⏎"): kept for the next prompt instead of lost. */
let typeahead = '';

/**
 * Reads one line from a terminal without echoing it. The terminal goes into raw mode, the question is written and
 * stays on the screen (nothing erases it: no readline), and the keys are read one by one; nothing is echoed (the
 * Unix convention for passwords: not even '*'). Enter ends the line; Backspace deletes the last character and
 * Ctrl+U the whole line; Ctrl+D on an empty line cancels (resolves null); Ctrl+C rejects with {@link Interrupted};
 * arrow keys, other escape sequences and control keys are ignored. A newline is written at the end, and the
 * terminal's mode is restored on every path (Enter, Ctrl+C, Ctrl+D, end of input, a read error).
 */
export function promptHidden(question: string, input: KeyInput = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const wasRaw = input.isRaw === true;
    const decoder = new StringDecoder('utf8');
    let chars: string[] = [];
    /** Inside an escape sequence: after ESC, inside CSI (ESC [ … final byte), or SS3 (ESC O x). */
    let escape: '' | 'esc' | 'csi' | 'ss3' = '';
    let done = false;

    const finish = (error: Error | null, value: string | null, rest = ''): void => {
      if (done) return;
      done = true;
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onError);
      try {
        if (input.setRawMode) input.setRawMode(wasRaw);
      } finally {
        input.pause();
        typeahead = rest.replace(/^\n/, ''); // a terminal that sends CR LF for Enter: the LF is not the next line
        output.write('\n');
        if (error) reject(error);
        else resolve(value);
      }
    };
    const onEnd = (): void => finish(null, null);
    const onError = (e: Error): void => finish(e, null);
    const feed = (text: string): void => {
      const keys = Array.from(text); // code points, so Backspace removes a whole character
      for (let i = 0; i < keys.length && !done; i++) {
        const k = keys[i];
        if (escape === 'esc') {
          escape = k === '[' ? 'csi' : k === 'O' ? 'ss3' : ''; // ESC + another key (Alt+key): both ignored
          continue;
        }
        if (escape === 'ss3') {
          escape = '';
          continue;
        }
        if (escape === 'csi') {
          if (k >= '\x40' && k <= '\x7e') escape = ''; // the final byte
          continue;
        }
        switch (k) {
          case '\r':
          case '\n':
            finish(null, chars.join(''), keys.slice(i + 1).join(''));
            return;
          case '\x03': // Ctrl+C
            finish(new Interrupted(), null);
            return;
          case '\x04': // Ctrl+D: cancels on an empty line, like end of input; ignored after some characters
            if (chars.length === 0) finish(null, null);
            continue;
          case '\x7f': // Backspace (DEL)
          case '\b': // Ctrl+H
            chars.pop();
            continue;
          case '\x15': // Ctrl+U
            chars = [];
            continue;
          case '\x1b':
            escape = 'esc';
            continue;
        }
        if (k < ' ' || (k >= '\x80' && k <= '\x9f')) continue; // other control keys
        chars.push(k);
      }
    };
    const onData = (chunk: Buffer | string): void => {
      try {
        feed(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      } catch (e) {
        finish(e instanceof Error ? e : new Error(String(e)), null);
      }
    };

    // Raw mode first, then the question: whatever is typed once the question shows is never echoed.
    try {
      if (input.setRawMode) input.setRawMode(true);
    } catch (e) {
      done = true;
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    output.write(oneLineText(question));
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    const pending = typeahead;
    typeahead = '';
    if (pending) feed(pending);
    if (!done) input.resume();
  });
}

// The hidden prompts of `api-auth` as a user meets them: dist/cli.js on a real pseudo-terminal (python3's pty module
// relays it), against the loopback vendor servers; and promptHidden's key handling on a stand-in terminal.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Interrupted, promptHidden } from '../../src/cli/prompt';
import type { ConnectionConfig } from '../../src/core/types';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { totpOf } from '../mock-vendors/code42';
import { useMockVendors } from './helpers';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

/**
 * Runs a command on a new pseudo-terminal: what this process writes to the relay's stdin is typed on the terminal,
 * what the terminal shows comes out of its stdout, and the relay exits with the command's exit code.
 */
const PTY_RELAY = `
import os, pty, select, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
keys = sys.stdin.fileno()
watch = [fd, keys]
while True:
    ready, _, _ = select.select(watch, [], [])
    if fd in ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b''
        if not data:
            break
        os.write(sys.stdout.fileno(), data)
    if keys in ready:
        data = os.read(keys, 4096)
        if data:
            os.write(fd, data)
        else:
            watch.remove(keys)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;

/** Why the terminal tests cannot run here, or null when they can. */
function ptyUnavailable(): string | null {
  if (process.platform === 'win32') return 'no pseudo-terminals on Windows';
  const probe = spawnSync('python3', ['-c', 'import pty, select, os; os.waitstatus_to_exitcode'], { encoding: 'utf8' });
  if (probe.error) return `python3 is not available (${probe.error.message})`;
  if (probe.status !== 0) return `python3 has no usable pty module (${probe.stderr.trim().split('\n').pop() ?? ''})`;
  return null;
}

interface Terminal {
  /** Everything the terminal has shown so far. */
  screen(): string;
  /** Waits until the screen holds `text`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Types the keys, one write each, a few milliseconds apart (as a person or a terminal sends them). */
  type(...keys: string[]): Promise<void>;
  exit: Promise<number>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function onTerminal(command: string[], env: Record<string, string>): Terminal {
  const child = spawn('python3', ['-c', PTY_RELAY, ...command], {
    env: { PATH: process.env.PATH ?? '', TERM: 'xterm', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let shown = '';
  let errors = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (shown += d));
  child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  const exit = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the command on the terminal did not end; screen: ${JSON.stringify(shown)}`));
    }, 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (errors) reject(new Error(`pty relay failed: ${errors}`));
      else resolve(code ?? -1);
    });
  });
  return {
    screen: () => shown,
    async waitFor(text, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while (!shown.includes(text)) {
        if (Date.now() > end) throw new Error(`the terminal never showed ${JSON.stringify(text)}; it shows ${JSON.stringify(shown)}`);
        await sleep(20);
      }
    },
    async type(...keys) {
      for (const k of keys) {
        child.stdin.write(k);
        await sleep(15);
      }
    },
    exit,
  };
}

describe('api-auth CLI on a terminal: hidden prompts', function () {
  this.timeout(30_000);
  const mock = useMockVendors();
  let dir: string;
  let config: string;

  before(function () {
    const why = ptyUnavailable();
    if (why) {
      console.warn(`      skipped: ${why}`);
      this.skip();
    }
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "node esbuild.mjs" first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-auth-tty-'));
    config = path.join(dir, 'api-auth.json');
    const m = mock();
    const connections: ConnectionConfig[] = [
      { id: 'dr', vendor: 'datarhei', baseUrl: m.baseUrl('datarhei'), username: ACCOUNTS.datarhei.username },
      { id: 'c42-mfa', vendor: 'code42', baseUrl: m.baseUrl('code42'), username: ACCOUNTS.code42.mfa.username },
    ];
    fs.writeFileSync(config, JSON.stringify({ connections }));
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const typeSlowly = (t: Terminal, text: string): Promise<void> => t.type(...Array.from(text));

  it('the password prompt stays visible, nothing typed is echoed, Backspace and arrow keys work, and the login succeeds', async () => {
    const t = onTerminal([process.execPath, CLI, 'login', 'dr', '--config', config], {});
    const question = 'dr — password: ';
    await t.waitFor(question);
    await sleep(100);
    // Before any key: the question and nothing else (readline used to clear the line right after it: ESC[1G ESC[0J).
    assert.equal(t.screen(), question);
    // A typo fixed with Backspace, an arrow key (ignored), then the password, key by key.
    await t.type('Z', '\x7f', '\x1b[D');
    await typeSlowly(t, ACCOUNTS.datarhei.password);
    await sleep(150);
    assert.equal(t.screen(), question, 'the keys are echoed or the question was erased');
    await t.type('\r');
    const code = await t.exit;
    const screen = t.screen();
    assert.equal(code, 0, screen);
    assert.match(screen, /^dr — password: \r\nLogged in to "dr" \(datarhei Core\) as admin: expires /);
    assert.ok(!screen.includes(ACCOUNTS.datarhei.password), 'the password was shown');
    assert.ok(!screen.includes('\x1b'), 'no cursor movement or line clearing');
  });

  it('a wrong password typed at the prompt exits 3 (the Backspace really deleted the typo)', async () => {
    const t = onTerminal([process.execPath, CLI, 'login', 'dr', '--config', config], {});
    await t.waitFor('dr — password: ');
    await typeSlowly(t, `${ACCOUNTS.datarhei.password}x`);
    await t.type('\x7f', '\x7f', 'X', '\r'); // one character short of the password, plus X: wrong
    assert.equal(await t.exit, 3, t.screen());
    assert.match(t.screen(), /Connection "dr": wrong username or password/);
  });

  it('Ctrl+C at the password prompt ends the line and exits 130; the terminal is back in its normal mode', async () => {
    // A shell on the terminal runs the CLI, then prints the terminal's mode as the CLI left it.
    const script = `"$0" "$1" login dr --config "$2"; code=$?; stty -a; exit $code`;
    const t = onTerminal(['sh', '-c', script, process.execPath, CLI, config], {});
    await t.waitFor('dr — password: ');
    await typeSlowly(t, 'half');
    await t.type('\x03');
    assert.equal(await t.exit, 130, t.screen());
    const screen = t.screen();
    assert.ok(screen.startsWith('dr — password: \r\n'), JSON.stringify(screen));
    assert.ok(!screen.includes('half'));
    const flags = screen.split(/[\s;]+/);
    assert.ok(flags.includes('echo') && flags.includes('icanon') && flags.includes('isig'), `terminal mode not restored: ${screen}`);
  });

  it('Ctrl+D at an empty password prompt cancels with exit 2', async () => {
    const t = onTerminal([process.execPath, CLI, 'login', 'dr', '--config', config], {});
    await t.waitFor('dr — password: ');
    await t.type('\x04');
    assert.equal(await t.exit, 2, t.screen());
    assert.match(t.screen(), /^dr — password: \r\napi-auth: Connection "dr": no password entered; /);
  });

  it('the two-factor prompt stays visible, the code is not echoed, and the login succeeds', async () => {
    const t = onTerminal([process.execPath, CLI, 'login', 'c42-mfa', '--config', config], { API_AUTH_SECRET: ACCOUNTS.code42.mfa.password });
    const question = 'c42-mfa — two-factor code: ';
    await t.waitFor(question);
    await sleep(100);
    assert.equal(t.screen(), question);
    const code = totpOf(ACCOUNTS.code42.mfa.totpSecret).generate();
    await typeSlowly(t, code);
    await sleep(100);
    assert.equal(t.screen(), question, 'the code is echoed or the question was erased');
    await t.type('\r');
    assert.equal(await t.exit, 0, t.screen());
    assert.match(t.screen(), /^c42-mfa — two-factor code: \r\nLogged in to "c42-mfa" \(Code42\)/);
    assert.ok(!t.screen().includes(code));
  });

  it('cancelling the two-factor prompt (Ctrl+D, or an empty line) exits 4 and says to pass --totp CODE', async () => {
    for (const key of ['\x04', '\r']) {
      const t = onTerminal([process.execPath, CLI, 'login', 'c42-mfa', '--config', config], { API_AUTH_SECRET: ACCOUNTS.code42.mfa.password });
      await t.waitFor('c42-mfa — two-factor code: ');
      await t.type(key);
      assert.equal(await t.exit, 4, t.screen());
      assert.match(
        t.screen(),
        /\r\napi-auth: Connection "c42-mfa": no two-factor code entered; retry with --totp CODE \(the current code from your authenticator app\)\.\r\n$/,
      );
    }
  });
});

/** A stand-in terminal: records the raw-mode switches; keys are fed with `keys()`. */
class FakeTerminal extends EventEmitter {
  isRaw = false;
  modes: boolean[] = [];
  paused = true;
  setRawMode(mode: boolean): this {
    this.isRaw = mode;
    this.modes.push(mode);
    return this;
  }
  resume(): this {
    this.paused = false;
    return this;
  }
  pause(): this {
    this.paused = true;
    return this;
  }
  keys(...chunks: (string | Buffer)[]): void {
    for (const c of chunks) this.emit('data', typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  }
}

function screen(): { text: string; stream: NodeJS.WritableStream } {
  const out = { text: '', stream: undefined as unknown as NodeJS.WritableStream };
  out.stream = {
    write: (s: string) => {
      out.text += s;
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  return out;
}

describe('promptHidden (keys on a stand-in terminal)', () => {
  const ask = (tty: FakeTerminal, out = screen()) => ({ answer: promptHidden('Q: ', tty, out.stream), out });

  it('writes the question once raw mode is on, echoes nothing, ends with a newline and restores the mode', async () => {
    const tty = new FakeTerminal();
    const { answer, out } = ask(tty);
    assert.deepEqual(tty.modes, [true]);
    assert.equal(out.text, 'Q: ');
    assert.equal(tty.paused, false);
    tty.keys('s3cr', 'et');
    assert.equal(out.text, 'Q: ', 'nothing echoed');
    tty.keys('\r');
    assert.equal(await answer, 's3cret');
    assert.equal(out.text, 'Q: \n');
    assert.deepEqual(tty.modes, [true, false]);
    assert.equal(tty.paused, true, 'stdin paused again, so the process can end');
    assert.equal(tty.listenerCount('data'), 0);
  });

  it('Backspace (DEL or Ctrl+H) deletes one character, a whole multi-byte one too; Ctrl+U clears the line', async () => {
    const tty = new FakeTerminal();
    const { answer } = ask(tty);
    const euro = Buffer.from('€', 'utf8');
    tty.keys('abX\x7f', euro.subarray(0, 1), euro.subarray(1), '😀\x7f\b', 'c');
    tty.keys('junk\x15', 'pä', euro, 's\r');
    assert.equal(await answer, 'pä€s');
  });

  it('arrow keys, function keys, Alt+key and other control keys are ignored; Ctrl+D after some characters too', async () => {
    const tty = new FakeTerminal();
    const { answer } = ask(tty);
    tty.keys('a\x1b[D', 'b\x1b[1;5C\x1bOH', 'c\x1b[15~d\x1bx', 'e\t\x04\x1af\n');
    assert.equal(await answer, 'abcdef');
  });

  it('Ctrl+D on an empty line and the end of input cancel (null), with the mode restored', async () => {
    for (const end of [(t: FakeTerminal) => t.keys('\x04'), (t: FakeTerminal) => t.emit('end')]) {
      const tty = new FakeTerminal();
      const { answer, out } = ask(tty);
      end(tty);
      assert.equal(await answer, null);
      assert.deepEqual(tty.modes, [true, false]);
      assert.equal(out.text, 'Q: \n');
    }
  });

  it('Ctrl+C rejects with Interrupted after restoring the mode and ending the line', async () => {
    const tty = new FakeTerminal();
    const { answer, out } = ask(tty);
    tty.keys('par', '\x03', 'tial\r');
    await assert.rejects(answer, Interrupted);
    assert.deepEqual(tty.modes, [true, false]);
    assert.equal(out.text, 'Q: \n');
    assert.equal(tty.listenerCount('data'), 0, 'keys after Ctrl+C are not read');
  });

  it('a read error rejects with the mode restored; a terminal already in raw mode is left in raw mode', async () => {
    const tty = new FakeTerminal();
    const { answer } = ask(tty);
    tty.emit('error', new Error('EIO'));
    await assert.rejects(answer, /EIO/);
    assert.deepEqual(tty.modes, [true, false]);
    const raw = new FakeTerminal();
    raw.isRaw = true;
    const second = ask(raw);
    raw.keys('x\r');
    assert.equal(await second.answer, 'x');
    assert.deepEqual(raw.modes, [true, true]);
  });

  it('keys typed past Enter (a pasted "password⏎code⏎") answer the next prompt; the LF of a CR LF is not a line', async () => {
    const tty = new FakeTerminal();
    const first = ask(tty);
    tty.keys('pw\r\n123456\r');
    assert.equal(await first.answer, 'pw');
    const second = ask(tty);
    assert.equal(await second.answer, '123456');
    assert.equal(second.out.text, 'Q: \n');
    assert.deepEqual(tty.modes, [true, false, true, false]);
  });
});

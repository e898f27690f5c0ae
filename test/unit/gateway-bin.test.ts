// bin/api-auth: what an integrated terminal runs while the window's gateway is up (the extension puts bin/ first in
// PATH and names VS Code's runtime in API_AUTH_NODE). It must run the bundled CLI with the arguments as given.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin');

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('api-auth', args, { env, timeout: 10_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('bin/api-auth for integrated terminals', () => {
  before(function () {
    if (process.platform === 'win32' || !fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) this.skip();
  });

  it('is executable and its Windows twin runs the same dist/cli.js', () => {
    fs.accessSync(path.join(BIN, 'api-auth'), fs.constants.X_OK);
    const cmd = fs.readFileSync(path.join(BIN, 'api-auth.cmd'), 'utf8');
    assert.match(cmd, /"%API_AUTH_NODE%" "%~dp0\.\.\\dist\\cli\.js" %\*\r\n/);
    assert.match(cmd, /set ELECTRON_RUN_AS_NODE=1\r\n/);
  });

  it('found through PATH, it runs the bundled CLI with API_AUTH_NODE and passes the arguments as given', async () => {
    const env = { PATH: `${BIN}${path.delimiter}/usr/bin${path.delimiter}/bin`, API_AUTH_NODE: process.execPath };
    const help = await run(['--help'], env);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^api-auth — /);
    // One argument with spaces in it stays one argument.
    const missing = path.join(os.tmpdir(), 'api auth no such dir', 'x y.json');
    const odd = await run(['login', 'dr', '--config', missing], env);
    assert.notEqual(odd.code, 0);
    assert.ok(odd.stderr.includes(`"${missing}"`), odd.stderr);
  });
});

// The CLI's connections file (--config) is read as a bounded regular file: /dev/zero, a folder, a FIFO or a file over
// 1 MiB is a usage error at once (exit 2, one line), a UTF-8 byte-order mark is fine, a missing file says what to do.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, cli, type Run } from './cli-fixtures';

describe('api-auth CLI: the connections file', function () {
  this.timeout(30_000);
  let dir: string;
  const connections = [{ id: 'dr', vendor: 'datarhei', baseUrl: 'http://127.0.0.1:9/datarhei', username: 'admin' }];
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-auth-config-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** `api-auth list --config file`, which must end (with exit 2 and one line) well within `withinMs`. */
  async function refused(file: string, message: RegExp, withinMs = 10_000): Promise<Run> {
    const t0 = Date.now();
    const r = await cli(['list', '--config', file]);
    const took = Date.now() - t0;
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
    assert.match(r.stderr, message);
    assert.ok(took < withinMs, `took ${took} ms`);
    return r;
  }

  it('/dev/zero and a folder are not regular files: refused at once instead of read for ever', async function () {
    if (!fs.existsSync('/dev/zero')) this.skip();
    await refused('/dev/zero', /^api-auth: the config file "\/dev\/zero" is not a regular file\n$/);
    await refused(dir, new RegExp(`^api-auth: the config file ".*api-auth-config-[^"]*" is not a regular file\\n$`));
  });

  it('a FIFO with no writer is refused at once (the open does not wait for a writer)', async function () {
    const fifo = path.join(dir, 'connections.fifo');
    try {
      execFileSync('mkfifo', [fifo], { stdio: 'ignore' });
    } catch {
      this.skip(); // no mkfifo here (Windows): nothing to test
    }
    await refused(fifo, /^api-auth: the config file ".*connections\.fifo" is not a regular file\n$/);
  });

  it('a file over 1 MiB is refused with its size; a missing one says how to make it', async () => {
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, `{"connections":[],"pad":"${'x'.repeat(2 * 1024 * 1024 - 30)}"}`);
    const size = fs.statSync(big).size;
    await refused(big, new RegExp(`^api-auth: the config file ".*big\\.json" is too large \\(${size} bytes; at most 1048576\\)\\n$`));
    await refused(path.join(dir, 'nope.json'), /^api-auth: config file ".*nope\.json" not found \(create it or pass --config FILE\)\n$/);
  });

  it('a file saved with a UTF-8 byte-order mark (Notepad) is read like any other', async () => {
    const bom = path.join(dir, 'bom.json');
    fs.writeFileSync(bom, `\uFEFF${JSON.stringify({ connections })}\r\n`, 'utf8');
    assert.equal(fs.readFileSync(bom)[0], 0xef);
    const r = await cli(['list', '--config', bom]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'dr\tdatarhei Core\tpassword\thttp://127.0.0.1:9/datarhei\tdirect\n');
    // Not JSON is still a clear usage error, after the BOM as before it.
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '\uFEFF{"connections": [', 'utf8');
    await refused(broken, /^api-auth: config file ".*broken\.json" is not valid JSON \(/);
  });
});

// The mock vendor servers run on their own, outside the tests.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import { createServer } from 'node:net';
import * as path from 'node:path';

describe('mock vendor servers run on their own', () => {
  const SERVER_JS = path.resolve(__dirname, '../mock-vendors/server.js');

  /** Two consecutive free loopback ports (HTTP on N, HTTPS on N+1). */
  async function freePortPair(): Promise<number> {
    const isFree = (port: number) =>
      new Promise<boolean>((resolve) => {
        const s = createServer().once('error', () => resolve(false));
        s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
      });
    for (let n = 0; n < 50; n++) {
      const base = 20_000 + Math.floor(Math.random() * 40_000);
      if ((await isFree(base)) && (await isFree(base + 1))) return base;
    }
    throw new Error('no free port pair');
  }

  it('node server.js --port-base N: one line per vendor with URL and accounts, serves, stops on Ctrl+C', async function () {
    this.timeout(15_000);
    const base = await freePortPair();
    const child = spawn(process.execPath, [SERVER_JS, '--port-base', String(base)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString('utf8');
          if (out.includes('Ctrl+C')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`exited early (${code}): ${out}`)));
      });
      const lines = out.trim().split('\n');
      assert.match(lines[0], new RegExp(`^mock vendor servers on http://127\\.0\\.0\\.1:${base} and https://127\\.0\\.0\\.1:${base + 1}`));
      for (const [vendor, url, account] of [
        ['cove', `http://127.0.0.1:${base}/cove/jsonapi`, 'admin@acme.com / cove-demo-pass'],
        ['commvault', `http://127.0.0.1:${base}/commvault/webconsole/api`, 'admin / cv-demo-pass'],
        ['ipcortex', `http://127.0.0.1:${base}/ipcortex`, 'alice / ipc-demo-pass'],
        ['code42', `http://127.0.0.1:${base}/code42`, 'mfa@example.com / c42-mfa-pass'],
        ['datarhei', `http://127.0.0.1:${base}/datarhei`, 'admin / s3cret-pass'],
      ]) {
        const line = lines.find((l) => l.startsWith(`${vendor} `));
        assert.ok(line, `a line for ${vendor}: ${out}`);
        assert.ok(line.includes(url) && line.includes(account), line);
      }
      // Standalone, datarhei answers GET /api byte for byte as the real server did (Auth0 off).
      const about = await new Promise<string>((resolve, reject) => {
        http
          .get(`http://127.0.0.1:${base}/datarhei/api`, { agent: false }, (res) => {
            let b = '';
            res.on('data', (c: Buffer) => (b += c.toString('utf8')));
            res.on('end', () => resolve(b));
          })
          .on('error', reject);
      });
      assert.equal(about, '{"app":"datarhei-core","auths":["localjwt"],"version":{"number":"16.0.0"}}\n');
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a --port-base that is not a port', async () => {
    const child = spawn(process.execPath, [SERVER_JS, '--port-base', 'abc'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(err, /--port-base must be a port number/);
  });
});

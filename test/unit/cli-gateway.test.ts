// `api-auth gateway`: the built CLI serves the loopback gateway with the key it prints, logs each request without the
// key, refuses what has no key, and stops on SIGINT / SIGTERM with exit 0 and the port closed.
import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { CLI, assertNoLeak, cli, config, useCli } from './cli-fixtures';

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when stdout or stderr holds a match of `re` (rejects after 10 s). */
  waitFor(re: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

function spawnCli(args: string[], stdin: string, env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  const poke = () => waiters.splice(0).forEach((w) => w());
  child.stdout?.on('data', (c: Buffer) => ((out += c.toString('utf8')), poke()));
  child.stderr?.on('data', (c: Buffer) => ((err += c.toString('utf8')), poke()));
  child.stdin?.end(stdin);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => (poke(), resolve(code))));
  const waitFor = (re: RegExp, stream: 'stdout' | 'stderr' = 'stdout') =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${re} within 10 s; stdout: ${out}; stderr: ${err}`)), 10_000);
      const check = () => {
        const m = (stream === 'stdout' ? out : err).match(re);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        } else if (child.exitCode !== null) {
          clearTimeout(timer);
          reject(new Error(`exited ${child.exitCode} before ${re}; stdout: ${out}; stderr: ${err}`));
        } else {
          waiters.push(check);
        }
      };
      check();
    });
  return { child, stdout: () => out, stderr: () => err, waitFor, exited };
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });
}

describe('api-auth CLI: gateway command', function () {
  this.timeout(30_000);
  const mock = useCli();
  let running: Running | undefined;
  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    running = undefined;
  });

  it('api-auth gateway serves datarhei with the key it prints, logs the request without the key, and SIGINT stops it with exit 0 and the port closed', async () => {
    running = spawnCli(['gateway', 'dr', '--config', config, '--secret-stdin'], `${ACCOUNTS.datarhei.password}\n`);
    const [, base] = await running.waitFor(/^dr\s+(http:\/\/127\.0\.0\.1:\d+\/dr\/)\s+\(datarhei/m);
    const [, key] = await running.waitFor(/^key: (\S+)/m);
    const port = Number(new URL(base).port);
    const logins = mock().env.stats.get('datarhei.login');

    const ok = await get(`${base}api/v3/process`, { 'x-api-auth-key': key });
    assert.equal(ok.status, 200, ok.text);
    assert.ok(Array.isArray(JSON.parse(ok.text)), 'the datarhei process list came back');
    assert.equal(mock().env.stats.get('datarhei.login'), logins, 'the gateway logged in before serving, not per request');
    const keyed = await get(`http://127.0.0.1:${port}/~${key}/dr/api/v3/process`);
    assert.equal(keyed.status, 200);
    const refused = await get(`${base}api/v3/process`);
    assert.equal(refused.status, 403);
    // A secret typed into a path is scrubbed from the log line (the scrubber every CLI line goes through).
    await get(`${base}api/v3/process/${ACCOUNTS.datarhei.password}`, { 'x-api-auth-key': key });
    await running.waitFor(/gateway GET dr \/dr\/api\/v3\/process\/\S+ → \d+/, 'stderr');

    await running.waitFor(/gateway GET - \/dr\/api\/v3\/process → 403 key/, 'stderr');
    assert.match(running.stderr(), /api-auth: gateway GET dr \/dr\/api\/v3\/process → 200 \(\d+ ms\)/);
    assert.match(running.stderr(), /\/~\*\*\*\/dr\/api\/v3\/process → 200/);
    assert.ok(!running.stderr().includes(key), 'the key is not in the log');
    assert.equal(running.stdout().split(key).length, 2, 'the key is printed once');

    const t0 = Date.now();
    running.child.kill('SIGINT');
    assert.equal(await running.exited, 0);
    assert.ok(Date.now() - t0 < 2000, `stopped after ${Date.now() - t0} ms`);
    assert.ok(await portIsClosed(port), 'nothing listens on the port any more');
    assertNoLeak({ stdout: running.stdout(), stderr: running.stderr() }, [ACCOUNTS.datarhei.password]);
  });

  it('gateway --env prints export lines whose variables let api-auth token in another process use its session without a login', async () => {
    running = spawnCli(['gateway', 'dr', '--env', '--config', config, '--secret-stdin'], `${ACCOUNTS.datarhei.password}\n`);
    await running.waitFor(/^export API_AUTH_URL_DR='(.*)'$/m);
    const env: Record<string, string> = {};
    for (const [, k, v] of running.stdout().matchAll(/^export (\w+)='([^']*)'$/gm)) env[k] = v;
    assert.deepEqual(Object.keys(env), ['API_AUTH_GATEWAY', 'API_AUTH_GATEWAY_KEY', 'API_AUTH_URL_DR']);
    assert.equal(env.API_AUTH_URL_DR, `${env.API_AUTH_GATEWAY}/~${env.API_AUTH_GATEWAY_KEY}/dr`);
    assert.equal((await get(`${env.API_AUTH_URL_DR}/api/v3/process`)).status, 200);
    const logins = mock().env.stats.get('datarhei.login');
    const t = await cli(['token', 'dr'], { env: { API_AUTH_GATEWAY: env.API_AUTH_GATEWAY, API_AUTH_GATEWAY_KEY: env.API_AUTH_GATEWAY_KEY } });
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^eyJ[\w-]+\.[\w-]+\.[\w-]*\n$/);
    assert.equal(mock().env.stats.get('datarhei.login'), logins, 'the token came from the gateway session');
    assert.match(running.stderr(), /gateway POST \.api-auth \/\.api-auth\/v1\/token\/dr → 200/);
  });

  it('SIGTERM stops it too, and --secret-stdin gives one line per connection in order', async () => {
    running = spawnCli(['gateway', 'dr', 'cv-json', '--config', config, '--secret-stdin'], `${ACCOUNTS.datarhei.password}\n${ACCOUNTS.commvault.password}\n`);
    const [, base] = await running.waitFor(/^cv-json\s+(http:\/\/127\.0\.0\.1:\d+\/cv-json\/)/m);
    const [, key] = await running.waitFor(/^key: (\S+)/m);
    const a = await get(`${base}Client`, { 'x-api-auth-key': key, accept: 'application/json' });
    assert.equal(a.status, 200, a.text);
    running.child.kill('SIGTERM');
    assert.equal(await running.exited, 0);
    assert.ok(await portIsClosed(Number(new URL(base).port)));
  });

  it('a connection whose login is refused at the start stays exposed and answers 401 loginNeeded, the others work', async () => {
    running = spawnCli(['gateway', 'dr', 'cv-json', '--config', config, '--secret-stdin'], `wrong-password\n${ACCOUNTS.commvault.password}\n`);
    const [, key] = await running.waitFor(/^key: (\S+)/m);
    const [, base] = await running.waitFor(/^dr\s+(http:\/\/127\.0\.0\.1:\d+\/dr\/)\s+\(datarhei Core, needs a login\)/m);
    assert.match(running.stderr(), /api-auth: Connection "dr": .*/);
    const logins = mock().env.stats.get('datarhei.login');
    const a = await get(`${base}api/v3/process`, { 'x-api-auth-key': key });
    assert.equal(a.status, 401);
    assert.equal(a.headers['x-api-auth-error'], 'loginNeeded');
    assert.equal(mock().env.stats.get('datarhei.login'), logins, 'the refused password is not tried again');
    assert.ok(!running.stderr().includes('wrong-password') && !running.stdout().includes('wrong-password'));
  });

  it('when no exposed connection can log in, the gateway does not start and exits 3', async () => {
    running = spawnCli(['gateway', 'dr', '--config', config, '--secret-stdin'], 'wrong-password\n');
    assert.equal(await running.exited, 3);
    assert.equal(running.stdout(), '');
    assert.match(running.stderr(), /no connection could be logged in, so the gateway was not started/);
  });

  it('a bad --port or --allow-origin is a usage error (exit 2) before any secret is read', async () => {
    for (const args of [
      ['--port', '70000'],
      ['--allow-origin', 'http://localhost:5173/path'],
    ]) {
      running = spawnCli(['gateway', 'dr', '--config', config, ...args], '');
      assert.equal(await running.exited, 2);
      assert.match(running.stderr(), /^api-auth: --(port|allow-origin) /);
    }
  });
});

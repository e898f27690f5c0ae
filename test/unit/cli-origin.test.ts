// One origin for credentials through the built CLI: `api-auth request` with a hostile PATH is refused with the engine's
// sentence (exit 2, one line, before the secret is read) for every REST vendor, and the recording other server on
// 127.0.0.2 receives nothing; `api-auth list` never prints a URL password.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { cli, config, dir, request, type Run, useCli } from './cli-fixtures';
import { hostilePaths, onOriginLookalikes, type Recorder, startRecorder } from './origin-fixtures';

/** Runs `jobs` with at most `n` at a time (each CLI run is a Node process). */
async function pool<T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
  return out;
}

describe('api-auth CLI: one origin for credentials', function () {
  this.timeout(60_000);
  const mock = useCli();
  let other: Recorder;
  before(async () => {
    other = await startRecorder();
  });
  after(async () => other.close());

  const SECRETS: Record<string, string> = {
    dr: ACCOUNTS.datarhei.password,
    'cv-json': ACCOUNTS.commvault.password,
    'cv-xml': ACCOUNTS.commvault.password,
    ipc: ACCOUNTS.ipcortex.password,
    'ipc-key-header': ACCOUNTS.ipcortex.apiKey,
    'c42-basic': ACCOUNTS.code42.password,
    'c42-token': ACCOUNTS.code42.password,
  };

  it('request refuses each hostile PATH for every REST vendor with the engine sentence; the other server gets nothing', async () => {
    const basePort = Number(new URL(mock().url).port);
    // The engine suite runs the whole table for every vendor; here each kind of trick once through the command line
    // for datarhei, and the classic three for every other REST connection (each run is a Node process).
    const table = hostilePaths(other.port, basePort);
    const pick = (...starts: string[]) => table.filter(([p]) => starts.some((s) => p.startsWith(s.replace('PORT', String(other.port)))));
    const full = pick('http://127.0.0.2', '//127.0.0.2', '\\\\', '/\\', 'http://127.0.0.1', '//2130706434', '\t', '../');
    const classic = pick('http://127.0.0.2:PORT/x', '//127.0.0.2', '../');
    const jobs: (() => Promise<[string, string, RegExp, Run]>)[] = [];
    for (const id of Object.keys(SECRETS)) {
      for (const [p, sentence] of id === 'dr' ? full : classic) jobs.push(async () => [id, p, sentence, await request(id, SECRETS[id], ['GET', p])]);
    }
    assert.ok(full.length >= 10 && classic.length === 3, `${full.length} ${classic.length}`);
    const t0 = Date.now();
    const runs = await pool(jobs, 4);
    for (const [id, p, sentence, r] of runs) {
      const what = `${id} ${JSON.stringify(p)}: ${r.stderr}`;
      assert.equal(r.code, 2, what);
      assert.equal(r.stdout, '', what);
      const lines = r.stderr.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, what);
      const cause = sentence.source.replace(/^\^/, '').replace(/\$$/, '');
      assert.match(lines[0], new RegExp(`^api-auth: Connection "${id}": ${cause}; [a-z][^\\n]*\\.$`), what);
      assert.ok(!r.stderr.includes(SECRETS[id]) && !r.stderr.includes('hunter2-pw'), what);
    }
    assert.equal(other.connections, 0, JSON.stringify(other.requests));
    assert.deepEqual(other.requests, []);
    // No login, no network wait: each refusal costs a Node start only.
    assert.ok(Date.now() - t0 < 40_000, `${Date.now() - t0} ms`);
  });

  it('request sends look-alike paths to the connection server only, and rpc cannot be aimed elsewhere', async () => {
    for (const p of onOriginLookalikes(other.port).slice(0, 2)) {
      const r = await request('dr', SECRETS.dr, ['GET', p]);
      assert.ok(r.code === 0 || r.code === 6, `${p}: ${r.code} ${r.stderr}`);
    }
    const rpc = await cli(['rpc', 'cove', `http://127.0.0.2:${other.port}/x`, '--config', config, '--secret-stdin'], { stdin: ACCOUNTS.cove.password });
    assert.equal(rpc.code, 2);
    assert.match(rpc.stderr, /is not a JSON-RPC method name/);
    assert.equal(other.connections, 0, JSON.stringify(other.requests));
  });

  it('list never prints a URL password: a baseUrl with one is an invalid entry, a proxy password is masked', async () => {
    const file = path.join(dir, 'with-passwords.json');
    const base = mock().baseUrl('datarhei');
    const withPass = base.replace('http://', 'http://admin:base-url-pw-1@');
    fs.writeFileSync(
      file,
      JSON.stringify({
        connections: [
          { id: 'ok', vendor: 'datarhei', baseUrl: base, username: 'admin', proxy: 'http://proxyuser:proxy-pw-2@127.0.0.1:3128' },
          { id: 'leaky', vendor: 'datarhei', baseUrl: withPass, username: 'admin' },
          { id: 'query', vendor: 'datarhei', baseUrl: `${base}?token=query-pw-3`, username: 'admin' },
        ],
      }),
    );
    for (const args of [['list'], ['list', '--json']]) {
      const r = await cli([...args, '--config', file]);
      assert.equal(r.code, 0, r.stderr);
      for (const secret of ['base-url-pw-1', 'proxy-pw-2', 'query-pw-3']) {
        assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${args.join(' ')} printed ${secret}:\n${r.stdout}${r.stderr}`);
      }
      assert.match(r.stderr, /connections\[1\] "leaky": "baseUrl" must not hold a user name or password \(http:\/\/admin:\*\*\*@127\.0\.0\.1:\d+\/datarhei\)/);
      assert.match(r.stderr, /connections\[2\] "query": "baseUrl" must not carry a secret in its query \("token"\)/);
      assert.match(r.stdout, /\bok\b/);
      assert.doesNotMatch(r.stdout, /leaky|query/);
    }
    const json = await cli(['list', '--json', '--config', file]);
    assert.equal((JSON.parse(json.stdout) as { proxy: string }[])[0].proxy, 'http://proxyuser:***@127.0.0.1:3128');
  });
});

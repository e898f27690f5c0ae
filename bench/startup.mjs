// 7b. Start-up of the CLI: wall time of `node dist/cli.js decode TOKEN` and `list` against `node -e 0` (the floor:
// Node's own start-up), interleaved. (7c, the real VS Code, is bench/vscode.mjs.)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sampleToken } from './decode.mjs';
import { interleave, median, noise, root, spread } from './util.mjs';
import { connectionsFor } from './views.mjs';

const ROUNDS = 15;

function wall(args, cwd) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

export async function benchStartup(results) {
  const s = results.section('7b. CLI start-up: wall time against `node -e 0`');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-auth-bench-'));
  try {
    fs.writeFileSync(path.join(dir, 'api-auth.json'), JSON.stringify({ connections: connectionsFor(20, {}) }));
    const cli = path.join(root, 'dist', 'cli.js');
    const token = sampleToken();
    for (let i = 0; i < 2; i++)
      for (const args of [
        ['-e', '0'],
        [cli, 'decode', token],
        [cli, 'list'],
      ])
        wall(args, dir);
    const r = await interleave(ROUNDS, {
      floor: () => wall(['-e', '0'], dir),
      decode: () => wall([cli, 'decode', token], dir),
      list: () => wall([cli, 'list'], dir),
    });
    results.row(s, 'node -e 0 (floor)', `${spread(r.floor, 0)} ms`, '', undefined, `${ROUNDS} interleaved runs, noise ${noise(r.floor)}`);
    for (const cmd of ['decode', 'list']) {
      const ratio = r[cmd].map((t, i) => t / r.floor[i]);
      results.row(s, `api-auth ${cmd}`, `${spread(r[cmd], 0)} ms = ${spread(ratio)}× the floor`, '≤ 2×', median(ratio) <= 2, `noise ${noise(ratio)}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

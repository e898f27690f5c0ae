// 7b. Start-up of the CLI: wall time of `node dist/cli.js decode TOKEN` and `list` against `node -e 0` (the floor:
// Node's own start-up), interleaved. 7c. activate() in the real VS Code (code-server), from the last integration run,
// and the first command until the view is filled, from the last e2e run.
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

  const v = results.section('7c. The real VS Code (code-server): activate() from the integration suite, the first view from the e2e run');
  const file = path.join(root, 'test-results', 'metrics.json');
  if (fs.existsSync(file)) {
    const m = JSON.parse(fs.readFileSync(file, 'utf8'));
    results.row(
      v,
      `activate() in VS Code ${m.vscodeVersion ?? '?'}`,
      `${m.activationMs.toFixed(2)} ms`,
      '≤ 10 ms',
      m.activationMs <= 10,
      `integration run of ${m.at ?? '?'}`,
    );
    firstView(results, v, path.join(root, 'test-results', 'first-view.json'));
    return m.vscodeVersion;
  }
  const installed = installedVSCode();
  results.row(
    v,
    'activate() in the real VS Code',
    'not measured in this run',
    '≤ 10 ms',
    undefined,
    `${installed ? `VS Code ${installed} (code-server) is installed; ` : ''}run \`npm run test:integration\` first: it writes test-results/metrics.json`,
  );
  return installed ? `${installed} (installed; activation not measured)` : undefined;
}

/** The VS Code version of the code-server scripts/vscode/install.mjs installed, if it did. */
function installedVSCode() {
  try {
    const cache = process.env.API_AUTH_CACHE || path.join(os.homedir(), '.cache', 'api-auth-explorer');
    for (const d of fs.readdirSync(cache).filter((n) => n.startsWith('code-server-'))) {
      const pkg = path.join(cache, d, 'node_modules', 'code-server', 'lib', 'vscode', 'package.json');
      if (fs.existsSync(pkg)) return JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
    }
  } catch {
    // not installed
  }
  return undefined;
}

/**
 * The first command until the view is filled, from the last e2e run (scripts/e2e/run.mjs writes it): a click on
 * the API Auth icon in the real workbench with the extension not yet active, split by the extension's own log lines.
 */
function firstView(results, section, file) {
  if (!fs.existsSync(file)) {
    results.row(
      section,
      'first command until the view is filled',
      'not measured in this run',
      '',
      undefined,
      'run `npm run test:e2e` first: it writes test-results/first-view.json',
    );
    return;
  }
  const f = JSON.parse(fs.readFileSync(file, 'utf8'));
  const ms = (x) => `${x.toFixed(0)} ms`;
  const warm = f.warmViewMs.length ? f.warmViewMs.slice().sort((a, b) => a - b)[Math.floor(f.warmViewMs.length / 2)] : null;
  const split = f.split
    ? `VS Code until activate() starts ${ms(f.split.beforeActivateMs)} (loading the bundle included), activate() ${f.split.activateMs.toFixed(1)} ms, until VS Code asks the tree ${ms(f.split.untilAskedMs)}, drawing the rows ${ms(f.split.drawMs)}`
    : 'no split (the extension log was not found)';
  results.row(
    section,
    'first command (click the API Auth icon, extension not active) until the view shows its rows',
    ms(f.firstViewMs),
    '',
    undefined,
    `e2e run of ${f.at}, ${f.settleMs / 1000} s after the window opened; ${split}`,
  );
  if (warm !== null) {
    results.row(
      section,
      'the same click once active (the workbench alone: side bar closed, then shown)',
      ms(warm),
      '',
      undefined,
      `median of ${f.warmViewMs.length}`,
    );
  }
}

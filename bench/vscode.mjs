// 7c. The real VS Code (code-server from npm, as the tests run it), measured in this run: activate() over several
// fresh extension hosts (the integration suite's activation test, which writes test-results/metrics.json), and the
// first command until the view is filled (the e2e runner clicks the API Auth icon with the extension not yet active
// and writes test-results/first-view.json). With --quick, or when VS Code cannot be started, the files of the last
// test runs are shown instead, with their dates.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, root, spread } from './util.mjs';

const ACTIVATIONS = 3;
const METRICS = path.join(root, 'test-results', 'metrics.json');
const FIRST_VIEW = path.join(root, 'test-results', 'first-view.json');

/** Runs one of the test runners (no build: the bench built dist/ already); true when it passed. */
function runner(script, grep) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', ...script), '--no-build', '--grep', grep], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (r.status !== 0) console.error(`bench: ${script.join('/')} --grep "${grep}" failed (${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-2000)}`);
  return r.status === 0;
}

/** The file's JSON when it was written after `since` (ms), else null. */
function freshJson(file, since) {
  if (!fs.existsSync(file)) return null;
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  return Date.parse(j.at) >= since ? j : null;
}

const lastJson = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null);

export async function benchRealVSCode(results, { measure = true } = {}) {
  const v = results.section('7c. The real VS Code (code-server): activate() and the first view, measured in this run');
  const activations = [];
  let version;
  let view = null;
  if (measure) {
    for (let i = 0; i < ACTIVATIONS; i++) {
      const since = Date.now();
      if (!runner(['vscode', 'run-integration.mjs'], 'records its activation time')) break;
      const m = freshJson(METRICS, since);
      if (m) {
        activations.push(m.activationMs);
        version = m.vscodeVersion;
      }
    }
    const since = Date.now();
    if (runner(['e2e', 'run.mjs'], 'lists every demo connection')) view = freshJson(FIRST_VIEW, since);
  }
  if (activations.length) {
    results.row(
      v,
      `activate() in VS Code ${version}`,
      `${spread(activations)} ms`,
      '≤ 10 ms',
      median(activations) <= 10,
      `${activations.length} fresh extension hosts (the integration suite's activation test)`,
    );
  } else {
    const m = lastJson(METRICS);
    version = m?.vscodeVersion ?? installedVSCode();
    results.row(
      v,
      'activate() in the real VS Code',
      m ? `${m.activationMs.toFixed(2)} ms (not measured in this run)` : 'not measured',
      '≤ 10 ms',
      undefined,
      m ? `the integration run of ${m.at}` : 'run `npm run test:integration`: it writes test-results/metrics.json',
    );
  }
  firstView(results, v, view ?? lastJson(FIRST_VIEW), !!view);
  return version;
}

/** The first command until the view is filled (see scripts/e2e/run.mjs, recordViewTimes). */
function firstView(results, section, f, fresh) {
  if (!f) {
    results.row(
      section,
      'first command until the view is filled',
      'not measured',
      '',
      undefined,
      'run `npm run test:e2e`: it writes test-results/first-view.json',
    );
    return;
  }
  const ms = (x) => `${x.toFixed(0)} ms`;
  const split = f.split
    ? `VS Code until activate() starts ${ms(f.split.beforeActivateMs)} (loading the bundle included), activate() ${f.split.activateMs.toFixed(1)} ms, until VS Code asks the tree ${ms(f.split.untilAskedMs)}, drawing the rows ${ms(f.split.drawMs)}`
    : 'no split (the extension log was not found)';
  results.row(
    section,
    'first command (click the API Auth icon, extension not active) until the view shows its rows',
    `${ms(f.firstViewMs)}${fresh ? '' : ' (not measured in this run)'}`,
    '',
    undefined,
    `e2e run of ${f.at}, ${f.settleMs / 1000} s after the window opened; ${split}`,
  );
  if (f.warmViewMs.length) {
    results.row(
      section,
      'the same click once active (the workbench alone: side bar closed, then shown)',
      `${spread(f.warmViewMs, 0)} ms`,
      '',
      undefined,
      `${f.warmViewMs.length} clicks`,
    );
  }
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

// End-to-end journeys in the real UI: the demo of `npm start` (loopback vendor servers, demo workspace, code-server
// with the extension loaded from this folder as a development extension — no test payload), opened in headless
// chromium by playwright-core; mocha runs test/e2e/*.test.mjs in THIS Node process, and the journeys drive the
// workbench with mouse and keyboard (see test/e2e/lib.mjs). The last journey installs the packaged .vsix into a
// fresh extensions dir with code-server's CLI and checks it works. Screenshots go to test-results/e2e/screenshots/
// (git-ignored), or to $API_AUTH_SCREENSHOTS_DIR (`npm run screenshots` refreshes docs/screenshots/ that way).
//
//   node scripts/e2e/run.mjs [--no-build] [--grep <pattern>] [--headed] [--verbose]
//
// --no-build: do not rebuild (production bundle + .vsix + compiled mock servers) — use what is there;
// --grep: only the matching journeys; --headed: a visible browser (needs a display); --verbose: page console.
// Env: API_AUTH_E2E_TIMEOUT_MS (whole run, default 300000), API_AUTH_KEEP_RUN_DIR=1 (keep code-server's run dir),
// API_AUTH_SCREENSHOTS_DIR (where the journeys' screenshots go, relative to the repo).
// Prints `e2e: N passed, N failed, N skipped, N retries (…)` last, the retries being the commands run again because
// VS Code closed their quick pick as it opened (see runCommand in test/e2e/lib.mjs); exits non-zero on a failure,
// on 0 tests, or on the timeout.
import { createCleanups } from '../cleanups.mjs';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Mocha from 'mocha';
import { startDemo } from '../demo.mjs';
import { packageExtension } from '../package.mjs';
import { launchBrowser } from '../vscode/code-server.mjs';
import { ensureVSCode } from '../vscode/install.mjs';
import { ACTIVITY_ENTRY, CONNECTIONS_LIST, ctx, prepareWorkbench, ROOT, runCommand, timeViewFill } from '../../test/e2e/lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
if (root !== ROOT) throw new Error(`lib.mjs root ${ROOT} differs from ${root}`);
const testsDir = path.join(root, 'test', 'e2e');
const resultsDir = path.join(root, 'test-results', 'e2e');
/** The wait before the first (timed) click: VS Code is still starting its own extensions when the page is up. */
const VIEW_SETTLE_MS = 5000;

const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const opts = {
  build: !argv.includes('--no-build'),
  grep: option('--grep'),
  headed: argv.includes('--headed'),
  verbose: argv.includes('--verbose'),
  timeoutMs: Number(process.env.API_AUTH_E2E_TIMEOUT_MS) || 300_000,
};

const started = Date.now();
const secs = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (line) => console.log(`[e2e] ${line}`);

// ---------------------------------------------------------------------------------------------------- cleanup

const cleanups = createCleanups('e2e');
const cleanup = () => cleanups.run();

let passed = 0;
let failed = 0;
let skipped = 0;
/** `1 retry (quick pick closed on open: API Auth: Login)`, `0 retries`. */
function retriesText() {
  const n = ctx.retries.length;
  const byReason = new Map();
  for (const { reason, title } of ctx.retries) byReason.set(reason, [...(byReason.get(reason) ?? []), title]);
  const what = [...byReason].map(([reason, titles]) => `${reason}: ${titles.join(', ')}`).join('; ');
  return `${n} ${n === 1 ? 'retry' : 'retries'}${n ? ` (${what})` : ''}`;
}
/** Stops everything, prints the summary line, exits. Runs once. */
let finishing = null;
let runner = null;
function finish(code, extraFailure) {
  finishing ??= (async () => {
    ctx.stopping = true;
    runner?.abort(); // no new journey starts (the current one is cut short by the stops below)
    const stopT0 = Date.now();
    await Promise.race([cleanup(), new Promise((r) => setTimeout(r, 20_000))]);
    log(`stopped everything in ${((Date.now() - stopT0) / 1000).toFixed(1)} s; total ${secs()}`);
    if (extraFailure) failed += 1;
    if (passed + failed === 0) {
      log('FAILED: no test ran');
      failed = 1;
    }
    console.log(`e2e: ${passed} passed, ${failed} failed, ${skipped} skipped, ${retriesText()}`);
    process.exit(code !== 0 || failed > 0 ? code || 1 : 0);
  })();
  return finishing;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    console.error(`\n[e2e] ${sig}: stopping code-server, the vendor servers and the browser`);
    void finish(130, true);
  });
}
process.on('unhandledRejection', (err) => {
  console.error(`[e2e] unhandled rejection: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  void finish(1, true);
});
const overall = setTimeout(() => {
  console.error(`[e2e] TIMEOUT: the run took more than ${opts.timeoutMs} ms (API_AUTH_E2E_TIMEOUT_MS)`);
  void finish(1, true);
}, opts.timeoutMs);
overall.unref();

// ---------------------------------------------------------------------------------------------------- build

/** tsc -p tsconfig.test.json when the compiled mock vendor servers (needed by the demo) are missing or stale. */
function compileTestsIfStale() {
  const srcDir = path.join(root, 'test', 'mock-vendors');
  const outDir = path.join(root, 'out', 'test', 'mock-vendors');
  const stale = fs
    .readdirSync(srcDir)
    .filter((f) => f.endsWith('.ts'))
    .some((f) => {
      const out = path.join(outDir, f.replace(/\.ts$/, '.js'));
      return !fs.existsSync(out) || fs.statSync(out).mtimeMs < fs.statSync(path.join(srcDir, f)).mtimeMs;
    });
  if (!stale) return;
  log('compiling the mock vendor servers: tsc -p tsconfig.test.json');
  const res = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.test.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  // tsc emits even with type errors elsewhere; what the demo needs is the emitted server.
  if (!fs.existsSync(path.join(outDir, 'server.js'))) throw new Error(`tsc failed (exit ${res.status}) and ${outDir}/server.js is missing`);
  if (res.status !== 0) log(`tsc reported errors (exit ${res.status}); the mock servers were emitted, going on`);
}

// ---------------------------------------------------------------------------------------------------- main

async function main() {
  await ensureVSCode();
  if (opts.build) compileTestsIfStale();

  // The packaged extension for the installed-.vsix journey. A packaging problem fails that journey, not the run.
  try {
    const vsixPath = path.join(root, 'dist-vsix', `api-auth-explorer-${JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version}.vsix`);
    if (opts.build) ctx.vsix = { path: packageExtension({ root, build: true }).vsixPath };
    else if (fs.existsSync(vsixPath)) ctx.vsix = { path: vsixPath };
    else ctx.vsix = { error: new Error(`${path.relative(root, vsixPath)} is missing (run without --no-build, or npm run package)`) };
  } catch (err) {
    log(`PACKAGING FAILED: ${err instanceof Error ? err.message : String(err)}`);
    ctx.vsix = { error: err instanceof Error ? err : new Error(String(err)) };
  }
  if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: build first (drop --no-build)');

  // The demo, exactly as `npm start` runs it; only the workspace folder gets a stable name (it is the window title
  // in the screenshots).
  const wsParent = fs.mkdtempSync(path.join(os.tmpdir(), 'aae-e2e-'));
  cleanups.add(() => fs.rmSync(wsParent, { recursive: true, force: true }));
  const workspaceDir = path.join(wsParent, 'api-auth-demo');
  fs.mkdirSync(workspaceDir);
  const demo = await startDemo({ root, workspaceDir, log: (l) => log(l) });
  cleanups.add(() => demo.stop());
  log(`demo started at ${secs()}`);

  const browser = await launchBrowser({ headless: !opts.headed, handleSignals: false });
  cleanups.add(() => browser.close());
  const { page, context } = browser;
  page.setDefaultTimeout(15_000);

  // No network but loopback: anything else is blocked and reported.
  const blocked = new Set();
  await context.route(/^https?:\/\//, (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
    blocked.add(route.request().url());
    return route.abort('blockedbyclient');
  });
  cleanups.add(() => {
    if (blocked.size) log(`blocked ${blocked.size} non-loopback request(s): ${[...blocked].slice(0, 5).join(', ')}`);
  });
  // The real clipboard of the browser (a plain workbench uses it): the journeys read it.
  const origin = new URL(demo.workbenchUrl).origin;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  page.on('pageerror', (err) => console.log(`[page:exception] ${err.message}`));
  if (opts.verbose) page.on('console', (msg) => console.log(`[page:${msg.type()}] ${msg.text().replace(/%c/g, '')}`));

  log(`opening ${demo.workbenchUrl}`);
  await page.goto(demo.workbenchUrl, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  const { firstView } = await prepareWorkbench(page, { settleMs: VIEW_SETTLE_MS });
  log(`workbench ready at ${secs()}`);
  await recordViewTimes(page, firstView, demo.server.runDir);

  Object.assign(ctx, {
    page,
    context,
    demo,
    // Registered after the stop began (a journey still starting up): run at once.
    addCleanup: (fn) => cleanups.add(fn),
    log: (l) => console.log(l),
  });

  // ---- mocha, in this process
  fs.rmSync(resultsDir, { recursive: true, force: true });
  const mocha = new Mocha({ timeout: 60_000, slow: 10_000, reporter: 'spec', bail: false, ...(opts.grep ? { grep: opts.grep } : {}) });
  mocha.rootHooks({
    // A failing journey leaves a screenshot of the moment it failed.
    async afterEach() {
      const test = this.currentTest;
      if (test?.state !== 'failed') return;
      const p = test.ctx?.page ?? ctx.page;
      fs.mkdirSync(resultsDir, { recursive: true });
      const file = path.join(
        resultsDir,
        `${test
          .fullTitle()
          .replace(/[^A-Za-z0-9]+/g, '-')
          .slice(0, 80)}.png`,
      );
      await p
        ?.screenshot({ path: file })
        .then(() => console.log(`      [failure screenshot] ${path.relative(root, file)}`))
        .catch(() => {});
    },
  });
  const files = fs
    .readdirSync(testsDir)
    .filter((f) => f.endsWith('.test.mjs'))
    .sort();
  for (const f of files) mocha.addFile(path.join(testsDir, f));
  await mocha.loadFilesAsync();
  // Counted as they come, so that an interrupt or the timeout still reports what ran.
  await new Promise((resolve) => {
    runner = mocha.run(() => resolve());
    runner.on('pass', () => (passed += 1));
    runner.on('fail', () => (failed += 1));
    runner.on('pending', () => (skipped += 1));
  });
  log(`journeys done at ${secs()}`);
  return 0;
}

let code = 1;
let crashed = false;
try {
  code = await main();
} catch (err) {
  crashed = true;
  console.error(`[e2e] ERROR: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
}
await finish(code, crashed);

/**
 * For `npm run bench` (section 7c): the first command (a click on the API Auth icon, the extension not yet active)
 * until the view shows its rows, split by the extension's own log lines (activation, the tree's first answer), and
 * the same click once the extension is active (the workbench's own share: the side bar closed, then shown again).
 * Measured, never asserted: budgets live in the benchmark. Writes test-results/first-view.json.
 */
async function recordViewTimes(page, firstView, runDir) {
  if (!firstView) return;
  const warm = [];
  for (let i = 0; i < 5; i++) {
    await runCommand(page, 'View: Close Primary Side Bar');
    await page.locator(CONNECTIONS_LIST).waitFor({ state: 'hidden' });
    const t = await timeViewFill(page, ACTIVITY_ENTRY, CONNECTIONS_LIST);
    if (t) warm.push(t.ms);
  }
  const marks = await extensionMarks(runDir);
  const split = marks && {
    beforeActivateMs: marks.beganAt - firstView.downAt,
    activateMs: marks.activateMs,
    untilAskedMs: marks.filledAfterStartMs - marks.activateMs,
    drawMs: firstView.shownAt - (marks.beganAt + marks.filledAfterStartMs),
  };
  const file = path.join(root, 'test-results', 'first-view.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const result = { firstViewMs: firstView.ms, warmViewMs: warm, split, settleMs: VIEW_SETTLE_MS, at: new Date().toISOString() };
  fs.writeFileSync(file, `${JSON.stringify(result)}\n`);
  const fmt = (ms) => `${ms.toFixed(0)} ms`;
  log(`first view: ${fmt(firstView.ms)} from the click until the rows showed; once active: ${warm.map(fmt).join(', ')}`);
  if (split) {
    log(
      `  VS Code until activate() ${fmt(split.beforeActivateMs)}, activate() ${split.activateMs.toFixed(1)} ms, until the tree was asked ${fmt(split.untilAskedMs)}, drawing ${fmt(split.drawMs)}`,
    );
  }
}

/** The extension's own marks, from its log file (the Output channel as VS Code writes it), or null. */
async function extensionMarks(runDir) {
  const find = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        const f = find(p);
        if (f) return f;
      } else if (e.name === 'API Auth Explorer.log') return p;
    }
    return null;
  };
  for (let i = 0; i < 50; i++) {
    const file = fs.existsSync(runDir) ? find(runDir) : null;
    const lines = file ? fs.readFileSync(file, 'utf8').split('\n') : [];
    const activated = lines.find((l) => /\bactivated in [\d.]+ ms \(began [^)]+\)/.test(l));
    const filled = lines.find((l) => /first filled [\d.]+ ms after activation began/.test(l));
    if (activated && filled) {
      return {
        beganAt: Date.parse(/\(began ([^)]+)\)/.exec(activated)[1]),
        activateMs: Number(/activated in ([\d.]+) ms/.exec(activated)[1]),
        filledAfterStartMs: Number(/first filled ([\d.]+) ms/.exec(filled)[1]),
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  log('first view: the extension log with its activation lines was not found; no split');
  return null;
}

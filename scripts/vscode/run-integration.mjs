// Runs the mocha integration suite (out/test/integration/index.js) inside a REAL VS Code extension host:
// code-server (VS Code 1.139) on loopback, its workbench opened in headless Debian chromium by playwright-core,
// with our repo as the extensionDevelopmentPath. Also answers the tests' UI steps (see test/integration/ui.ts).
//
//   npm run test:integration [-- --no-build] [-- --grep <mocha pattern>] [-- --headed] [-- --verbose]
//
// Options: --no-build skips `node esbuild.mjs` + `tsc -p tsconfig.test.json`; --grep filters tests; --verbose
// also prints the workbench's own log (codeAutomationLog). Env: API_AUTH_INTEGRATION_TIMEOUT_MS (whole run,
// default 600000), API_AUTH_TEST_TIMEOUT_MS (per test, default 60000), API_AUTH_KEEP_RUN_DIR=1 keeps the
// code-server run dir, API_AUTH_CACHE (install cache, see install.mjs).
//
// UI bridge: a test prints `UI_STEP {"id":…,"action":…}` on the console; the workbench forwards the extension
// host's console to the page, where this runner sees it, performs the step with Playwright (one at a time, in
// order) and writes `{"id","ok","value"|"error","ms"}` to <workspace>/.harness/ui/<id>.json (written to a
// .tmp file, then renamed). The harness dir also reaches the extension host as $API_AUTH_HARNESS_DIR.
//
// Pass/fail: VS Code calls codeAutomationExit(0|1) when run() settles; the totals come from
// <workspace>/.harness/mocha-result.json (or the MOCHA_RESULT console line). Zero tests, a rejected run(),
// a missing result or a timeout fail the run. The last line printed is `integration: N passed, N failed, N skipped`
// (skipped: mocha's pending tests — `it.skip`, and the tests that skip themselves without the UI bridge).
import { createCleanups } from '../cleanups.mjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { buildForTests, createTestWorkspace, launchBrowser, openWorkbench, startCodeServer } from './code-server.mjs';
import { ensureVSCode } from './install.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const testsIndex = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
const resultsDir = path.join(repoRoot, 'test-results');
const QUICK_INPUT = '.quick-input-widget .quick-input-box input';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const opts = {
  build: !flag('--no-build'),
  grep: option('--grep'),
  headed: flag('--headed'),
  verbose: flag('--verbose'),
  timeoutMs: Number(process.env.API_AUTH_INTEGRATION_TIMEOUT_MS) || 600_000,
};

// ---------------------------------------------------------------------------------------------------- cleanup

const cleanups = createCleanups('integration');
const cleanup = () => cleanups.run();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    console.error(`\n[integration] ${sig}: stopping code-server and the browser`);
    void cleanup().then(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------------- console text

/** Parses the JSON object that starts at text[start] (brace matching that respects strings). */
function jsonAt(text, start) {
  if (text[start] !== '{') return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      try {
        return JSON.parse(text.slice(start, i + 1));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** All JSON payloads of `MARKER {…}` in text. */
function markers(text, marker) {
  const found = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf(`${marker} {`, from);
    if (at < 0) return found;
    const value = jsonAt(text, at + marker.length + 1);
    if (value !== undefined) found.push(value);
    from = at + marker.length;
  }
}

/**
 * codeAutomationLog(level, message) receives the workbench's log; while a test payload is loaded that includes
 * the extension host's console, as the JSON of the console call's arguments, e.g. `["  %d passing (%s)",4,"2s"]`.
 */
function formatLogMessage(message) {
  if (Array.isArray(message)) return format(...message);
  if (typeof message !== 'string') return JSON.stringify(message);
  try {
    const args = JSON.parse(message);
    if (Array.isArray(args)) return format(...args);
  } catch {
    // not JSON: a plain message
  }
  return message;
}

/** Workbench log lines that are expected in this setup and say nothing about the tests (shown with --verbose). */
const WORKBENCH_NOISE = [
  /^Ignoring fetching additional builtin extensions from gallery/, // EXTENSIONS_GALLERY='{}'
  /^Updating additional builtin extensions cache/,
  /^\[AccountPolicyGate\]/,
  /^Timed out waiting for authentication provider 'github' to register/, // no network, no GitHub sign-in
];

// ---------------------------------------------------------------------------------------------------- UI steps

/** The page, or the frame reached through `frames` (the LAST match of each selector: the newest webview). */
function locatorRoot(page, frames) {
  let root = page;
  for (const f of frames ?? []) root = root.locator(f).last().contentFrame();
  return root;
}

async function performStep(page, step) {
  const timeout = step.timeoutMs ?? 10_000;
  const root = locatorRoot(page, step.frames);
  const first = (selector) => root.locator(selector).first();
  switch (step.action) {
    case 'type': {
      const input = first(step.selector ?? QUICK_INPUT);
      await input.waitFor({ state: 'visible', timeout });
      await input.fill(String(step.text ?? ''), { timeout });
      if (step.enter !== false) await input.press('Enter', { timeout });
      return undefined;
    }
    case 'press':
      if (step.selector) await first(step.selector).press(step.key, { timeout });
      else await page.keyboard.press(step.key);
      return undefined;
    case 'click':
      await first(step.selector).click({ timeout });
      return undefined;
    case 'hover':
      await first(step.selector).hover({ timeout });
      return undefined;
    case 'screenshot': {
      const file = path.resolve(repoRoot, step.path);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      if (step.selector) await first(step.selector).screenshot({ path: file, timeout });
      else await page.screenshot({ path: file, timeout });
      return file;
    }
    case 'text':
      return await first(step.selector).innerText({ timeout });
    case 'count':
      return await root.locator(step.selector).count();
    case 'waitFor':
      await first(step.selector).waitFor({ state: step.state ?? 'visible', timeout });
      return undefined;
    default:
      throw new Error(`unknown UI action ${JSON.stringify(step.action)}`);
  }
}

function createUiBridge(page, harnessDir) {
  const seen = new Set();
  let queue = Promise.resolve();
  return (step) => {
    if (typeof step?.id !== 'string' || seen.has(step.id)) return;
    seen.add(step.id);
    queue = queue.then(async () => {
      const started = Date.now();
      let answer;
      try {
        const value = await performStep(page, step);
        answer = { id: step.id, ok: true, ...(value === undefined ? {} : { value }), ms: Date.now() - started };
      } catch (err) {
        const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
        answer = { id: step.id, ok: false, error: message, ms: Date.now() - started };
      }
      if (opts.verbose || !answer.ok) {
        console.log(`[ui] ${step.action} ${step.selector ?? step.key ?? step.path ?? ''} → ${answer.ok ? 'ok' : answer.error}`);
      }
      const file = path.join(harnessDir, 'ui', `${step.id}.json`);
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(answer));
      fs.renameSync(`${file}.tmp`, file);
    });
  };
}

// ---------------------------------------------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  await ensureVSCode();
  if (opts.build) buildForTests(repoRoot);
  if (!fs.existsSync(testsIndex)) throw new Error(`${testsIndex} is missing: build the tests (drop --no-build)`);

  const { workspaceDir, harnessDir } = createTestWorkspace({ bridge: true });
  cleanups.add(() => fs.rmSync(workspaceDir, { recursive: true, force: true }));

  const env = { API_AUTH_HARNESS_DIR: harnessDir };
  if (opts.grep) env.API_AUTH_TEST_GREP = opts.grep;
  if (process.env.API_AUTH_TEST_TIMEOUT_MS) env.API_AUTH_TEST_TIMEOUT_MS = process.env.API_AUTH_TEST_TIMEOUT_MS;
  // Last run's failure artifacts would mislead.
  for (const stale of ['integration-failure.png', 'integration-logs']) fs.rmSync(path.join(resultsDir, stale), { recursive: true, force: true });
  const server = await startCodeServer({
    workspaceDir,
    extensionDevelopmentPath: repoRoot,
    env,
    // Keep the harness dir out of the Explorer (the object replaces the default files.exclude).
    userSettings: { 'files.exclude': { '**/.git': true, '**/.DS_Store': true, '**/Thumbs.db': true, '**/.harness': true } },
  });
  cleanups.add(() => server.stop());
  const browser = await launchBrowser({ headless: !opts.headed, handleSignals: false });
  cleanups.add(() => browser.close());
  const { page } = browser;

  let consoleResult;
  let suiteStarted = false;
  const workbenchErrors = new Set();
  const onUiStep = createUiBridge(page, harnessDir);
  const scan = (text) => {
    if (text.includes('MOCHA_START {')) suiteStarted = true;
    for (const step of markers(text, 'UI_STEP')) onUiStep(step);
    for (const result of markers(text, 'MOCHA_RESULT')) consoleResult = result;
  };

  let exitInfo;
  let onExit = () => {};
  const exited = new Promise((resolve) => {
    onExit = resolve;
  });
  // VS Code calls this when run() settles: 0 resolved, 1 rejected; `logs` are the workbench's log files.
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    exitInfo = { code, logs: Array.isArray(logs) ? logs : [] };
    onExit();
  });
  // The extension host's console (mocha's reporter, the tests' and the extension's console.log) arrives here,
  // mixed with the workbench's own log: print info lines from the start of the suite on, errors always.
  await page.exposeFunction('codeAutomationLog', (level, message) => {
    const text = formatLogMessage(message);
    scan(text);
    if (/^(MOCHA_START|UI_STEP|MOCHA_RESULT) \{/.test(text)) return;
    if (opts.verbose) {
      console.log(`[workbench:${level}] ${text}`);
    } else if (WORKBENCH_NOISE.some((re) => re.test(text))) {
      // expected here, says nothing about the tests
    } else if (level === 'error') {
      workbenchErrors.add(text);
      console.log(`[workbench:error] ${text}`);
    } else if (suiteStarted && level === 'info') {
      console.log(text);
    }
  });
  // The page's own console repeats the workbench log with CSS formatting ("%c INFO"): only with --verbose,
  // and errors that say more than their level.
  page.on('console', (msg) => {
    const text = msg.text().replace(/%c/g, '').trim();
    // Lines starting with a level tag repeat the workbench log that codeAutomationLog already printed.
    // code-server does not ship Microsoft's closed `vsda` module: its 404s are expected.
    if (!opts.verbose && /^Failed to load resource/.test(text) && /\/vsda\//.test(msg.location().url)) return;
    if (!opts.verbose && workbenchErrors.has(text)) return; // already printed as [workbench:error]
    if (opts.verbose || (msg.type() === 'error' && !/^(ERR|WARN|INFO|DEBUG|TRACE)\b/.test(text))) {
      const where = text.startsWith('Failed to load resource') ? ` ${msg.location().url}` : '';
      console.log(`[page:${msg.type()}] ${text}${where}`);
    }
  });
  page.on('pageerror', (err) => console.log(`[page:exception] ${err.message}`));

  console.log(`[integration] opening the workbench; tests: ${path.relative(repoRoot, testsIndex)}`);
  await openWorkbench(page, {
    url: server.url,
    folder: workspaceDir,
    payload: { extensionDevelopmentPath: repoRoot, extensionTestsPath: testsIndex },
    waitForWorkbench: false,
  });

  let timer;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(true), opts.timeoutMs);
    }),
  ]);
  clearTimeout(timer);

  const resultFile = path.join(harnessDir, 'mocha-result.json');
  const result = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : consoleResult;
  const problems = [];
  if (timedOut) problems.push(`timed out after ${opts.timeoutMs} ms (API_AUTH_INTEGRATION_TIMEOUT_MS)`);
  else if (exitInfo.code !== 0) problems.push(`run() rejected (codeAutomationExit ${exitInfo.code})`);
  if (!result) {
    if (!timedOut) problems.push('the suite reported no result (did index.js load? is run() exported?)');
  } else if (result.passes + result.failures === 0) {
    problems.push('no test ran');
  }

  const passes = result?.passes ?? 0;
  const failures = result?.failures ?? 0;
  const harnessFailure = problems.length > 0 && failures === 0;
  if (problems.length > 0) {
    fs.mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: path.join(resultsDir, 'integration-failure.png') }).catch(() => {});
    const logDir = path.join(resultsDir, 'integration-logs');
    fs.rmSync(logDir, { recursive: true, force: true });
    for (const { relativePath, contents } of exitInfo?.logs ?? []) {
      const file = path.join(logDir, relativePath);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, contents);
    }
    fs.mkdirSync(logDir, { recursive: true });
    fs.copyFileSync(server.logFile, path.join(logDir, 'code-server.log'));
    console.log(`[integration] FAILED: ${problems.join('; ')}`);
    console.log(`[integration] screenshot and logs in ${path.relative(repoRoot, resultsDir)}/`);
  }

  const seconds = Math.round((Date.now() - started) / 1000);
  console.log('');
  console.log(`  ${passes} passing (${seconds}s)`);
  if (result?.pending) console.log(`  ${result.pending} pending`);
  if (failures > 0) console.log(`  ${failures} failing`);
  for (const f of result?.failed ?? []) console.log(`    ✗ ${f.title}: ${f.error.split('\n')[0]}`);
  if (harnessFailure) console.log('  (+1 failed: the harness run itself, see above)');
  console.log(`integration: ${passes} passed, ${failures + (harnessFailure ? 1 : 0)} failed, ${result?.pending ?? 0} skipped`);
  return problems.length === 0 && failures === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`[integration] ERROR: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  console.log('integration: 0 passed, 1 failed, 0 skipped');
} finally {
  await cleanup();
}
process.exit(code);

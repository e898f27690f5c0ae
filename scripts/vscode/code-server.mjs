// Library: start a throw-away code-server (real VS Code server + web workbench) on loopback, and drive it with
// Debian's chromium through playwright-core. Used by run-integration.mjs and by UI end-to-end tests.
// The server runs on loopback with `auth: none` and all its state (user data, extensions, TMPDIR, XDG dirs) in a
// fresh run dir, EXTENSIONS_GALLERY='{}' (no marketplace calls) and `--vscode-option enable-smoke-test-driver`
// (without it VS Code 1.139 ignores a test payload in the workbench URL). install.mjs installs it.
//
//   const server = await startCodeServer({ workspaceDir, extensionDevelopmentPath: repoRoot });
//   const browser = await launchBrowser();
//   await openWorkbench(browser.page, { url: server.url, folder: workspaceDir,
//                                       payload: { extensionDevelopmentPath: repoRoot } });
//   …
//   await browser.close(); await server.stop();
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, ensureVSCode } from './install.mjs';
import { freePort, httpGetStatus, killGroup } from './processes.mjs';

export { freePort }; // part of this library's API since before processes.mjs

/** Chromium flags verified on this kind of machine (closed network: no background connections). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** User settings for a quiet, deterministic workbench: no telemetry, updates, experiments, tips or chat. */
export const DEFAULT_USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'npm.autoDetect': 'off',
  'files.hotExit': 'off',
};

/** The environment for code-server: ours minus npm's and any parent VS Code's variables. */
function serverEnv(runDir, extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|VSCODE_|ELECTRON_)/i.test(k) || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  return {
    ...env,
    EXTENSIONS_GALLERY: '{}', // else every window load asks open-vsx.org
    TMPDIR: path.join(runDir, 'tmp'),
    XDG_CONFIG_HOME: path.join(runDir, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(runDir, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(runDir, 'xdg', 'cache'),
    XDG_STATE_HOME: path.join(runDir, 'xdg', 'state'),
    ...extra,
  };
}

/**
 * Starts code-server on 127.0.0.1:<free port> with `auth: none` and all state in a fresh run dir.
 * @param {{
 *   workspaceDir: string,
 *   extensionDevelopmentPath?: string,
 *   extensionsDir?: string,
 *   userSettings?: Record<string, unknown>,
 *   env?: Record<string, string>,
 *   log?: (line: string) => void,
 *   startTimeoutMs?: number,
 * }} options  `extensionDevelopmentPath` is only recorded (the workbench URL's payload loads it);
 *   `extensionsDir` defaults to an empty dir in the run dir; `env` is added to the server's (and so the
 *   extension host's) environment.
 * @returns {Promise<{ port: number, url: string, runDir: string, logFile: string, pid: number,
 *   workspaceDir: string, extensionDevelopmentPath: string | undefined, stop: () => Promise<void> }>}
 */
export async function startCodeServer(options) {
  const { workspaceDir, extensionDevelopmentPath, userSettings = {}, env = {}, startTimeoutMs = 60_000 } = options;
  const log = options.log ?? ((line) => console.log(`[code-server] ${line}`));
  if (!path.isAbsolute(workspaceDir)) throw new Error(`workspaceDir must be absolute: ${workspaceDir}`);
  const { codeServerEntry, node24Bin } = await ensureVSCode();

  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aae-code-server-'));
  const dataDir = path.join(runDir, 'data');
  const extensionsDir = options.extensionsDir ?? path.join(runDir, 'extensions');
  for (const d of [path.join(dataDir, 'User'), extensionsDir, path.join(runDir, 'tmp'), path.join(runDir, 'xdg')]) {
    fs.mkdirSync(d, { recursive: true });
  }
  fs.writeFileSync(path.join(dataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...userSettings }, null, 2) + '\n');
  const logFile = path.join(runDir, 'code-server.log');

  let lastError = null;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const configFile = path.join(runDir, 'config.yaml');
    fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    const out = fs.openSync(logFile, 'a');
    const child = spawn(
      node24Bin,
      [
        codeServerEntry,
        '--config',
        configFile,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        '--user-data-dir',
        dataDir,
        '--extensions-dir',
        extensionsDir,
        '--vscode-option',
        'enable-smoke-test-driver', // without it VS Code 1.139 ignores the test payload
      ],
      { cwd: workspaceDir, env: serverEnv(runDir, env), stdio: ['ignore', out, out], detached: true },
    );
    fs.closeSync(out);
    let exited = null;
    const exitPromise = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        exited = signal ?? code;
        resolve();
      });
      child.on('error', (err) => {
        exited = err.message;
        resolve();
      });
    });
    const url = `http://127.0.0.1:${port}/`;
    const started = Date.now();
    let healthy = false;
    while (exited === null && Date.now() - started < startTimeoutMs) {
      if ((await httpGetStatus(`${url}healthz`)) === 200) {
        healthy = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    if (healthy) {
      log(`up at ${url} in ${Date.now() - started} ms (pid ${child.pid}, run dir ${runDir})`);
      // Last resort if the caller exits without stop() (uncaught error, process.exit): no orphaned server.
      const killOnExit = () => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      process.once('exit', killOnExit);
      let stopping = null;
      const stop = () => {
        stopping ??= (async () => {
          process.off('exit', killOnExit);
          await killGroup(child.pid, exitPromise, () => exited !== null);
          if (process.env.API_AUTH_KEEP_RUN_DIR) log(`kept run dir ${runDir}`);
          else fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
        })();
        return stopping;
      };
      // Resolves with the exit code or signal when the server ends (whether stop() ended it or not).
      const ended = exitPromise.then(() => exited);
      return { port, url, runDir, logFile, pid: child.pid, workspaceDir, extensionDevelopmentPath, stop, ended };
    }
    await killGroup(child.pid, exitPromise, () => exited !== null);
    const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    lastError = new Error(
      exited !== null
        ? `code-server exited (${exited}) before it was healthy; log tail:\n${tail}`
        : `code-server not healthy after ${startTimeoutMs} ms; log tail:\n${tail}`,
    );
    // A port taken between freePort() and the bind is worth another try; anything else is not.
    if (!/EADDRINUSE/.test(tail)) break;
    log(`port ${port} was taken, retrying`);
  }
  fs.rmSync(runDir, { recursive: true, force: true });
  throw lastError;
}

/**
 * Launches headless Debian chromium with a fresh profile. `handleSignals: false` leaves Ctrl-C to the
 * caller (Playwright's own handler closes the browser and then exits the process with 130 at once, before
 * the caller could stop code-server).
 * @param {{ headless?: boolean, viewport?: { width: number, height: number }, handleSignals?: boolean }} [options]
 * @returns {Promise<{ context: import('playwright-core').BrowserContext, page: import('playwright-core').Page,
 *   userDataDir: string, close: () => Promise<void> }>}
 */
export async function launchBrowser(options = {}) {
  const { headless = true, viewport = { width: 1400, height: 900 }, handleSignals = true } = options;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aae-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless,
      chromiumSandbox: false,
      args: CHROMIUM_ARGS,
      viewport,
      // Debian's chromium keeps its crash-report database under $XDG_CONFIG_HOME/chromium: not in ~.
      env: { ...process.env, XDG_CONFIG_HOME: path.join(userDataDir, 'xdg-config'), XDG_CACHE_HOME: path.join(userDataDir, 'xdg-cache') },
      handleSIGINT: handleSignals,
      handleSIGTERM: handleSignals,
      handleSIGHUP: handleSignals,
    });
  } catch (err) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  let closing = null;
  const close = () => {
    closing ??= (async () => {
      await context.close().catch(() => {});
      fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    })();
    return closing;
  };
  return { context, page, userDataDir, close };
}

/** `vscode-remote://127.0.0.1:PORT/abs/path` for a path on the code-server machine. */
export function remoteUri(serverUrl, absPath) {
  const { host } = new URL(serverUrl);
  if (!path.isAbsolute(absPath)) throw new Error(`not an absolute path: ${absPath}`);
  return `vscode-remote://${host}${absPath.split(path.sep).map(encodeURIComponent).join('/')}`;
}

const PATH_PAYLOAD_KEYS = new Set(['extensionDevelopmentPath', 'extensionTestsPath']);

/**
 * The workbench URL `?folder=…&payload=…`. `payload` is either entries (`[["key","value"], …]`, used as
 * given) or an object; in the object form absolute paths under `extensionDevelopmentPath` and
 * `extensionTestsPath` become vscode-remote URIs, and `skipWelcome` defaults to "true".
 * @param {{ url: string, folder?: string, payload?: Array<[string, string]> | Record<string, string | boolean | undefined> }} options
 */
export function workbenchUrl({ url, folder, payload }) {
  const u = new URL(url);
  if (folder) u.searchParams.set('folder', folder);
  let entries = [];
  if (Array.isArray(payload)) {
    entries = payload;
  } else if (payload) {
    const withDefaults = { skipWelcome: 'true', ...payload };
    for (const [key, value] of Object.entries(withDefaults)) {
      if (value === undefined) continue;
      const str = String(value);
      entries.push([key, PATH_PAYLOAD_KEYS.has(key) && path.isAbsolute(str) ? remoteUri(url, str) : str]);
    }
  }
  if (entries.length > 0) u.searchParams.set('payload', JSON.stringify(entries));
  return u.toString();
}

/**
 * Opens the workbench in `page` and (unless `waitForWorkbench` is false) waits for `.monaco-workbench`.
 * Expose `codeAutomationExit` / `codeAutomationLog` on the page BEFORE calling this.
 * @param {import('playwright-core').Page} page
 * @param {{ url: string, folder?: string, payload?: Array<[string, string]> | Record<string, string | boolean | undefined>,
 *   waitForWorkbench?: boolean, timeoutMs?: number }} options
 * @returns {Promise<string>} the URL that was opened
 */
export async function openWorkbench(page, options) {
  const { waitForWorkbench = true, timeoutMs = 60_000 } = options;
  const full = workbenchUrl(options);
  await page.goto(full, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  if (waitForWorkbench) await page.locator('.monaco-workbench').first().waitFor({ state: 'attached', timeout: timeoutMs });
  return full;
}

// ---------------------------------------------------------------------------------------------------- shared by the runners

/** Builds the extension (`node esbuild.mjs`) and compiles the tests (`tsc -p tsconfig.test.json`); throws on failure. */
export function buildForTests(repoRoot) {
  for (const [cmd, args] of [
    [process.execPath, ['esbuild.mjs']],
    [process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.test.json']],
  ]) {
    const label = `node ${args.map((a) => path.relative(repoRoot, a) || a).join(' ')}`;
    console.log(`[build] ${label}`);
    const res = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit' });
    if (res.status !== 0) throw new Error(`build step failed (${res.error?.message ?? `exit ${res.status ?? res.signal}`}): ${label}`);
  }
}

/**
 * A fresh temp workspace folder with the harness dir `<workspace>/.harness` (and `ui/` in it) that the runner
 * and the tests share (see test/integration/ui.ts). With `bridge`, writes `bridge.json`: the sign that a
 * runner answers UI steps.
 */
export function createTestWorkspace({ bridge }) {
  const workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aae-it-workspace-'));
  const harnessDir = path.join(workspaceDir, '.harness');
  fs.mkdirSync(path.join(harnessDir, 'ui'), { recursive: true });
  if (bridge) {
    fs.writeFileSync(path.join(harnessDir, 'bridge.json'), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }) + '\n');
  }
  return { workspaceDir, harnessDir };
}

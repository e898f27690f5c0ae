// npm test — everything, in order: lint, type-check, compile the tests, production build, unit tests (plain mocha
// against the loopback vendor servers), the integration suite inside a real VS Code, the end-to-end journeys in the
// real UI, and the .vsix install check. Stops at the first failing step; prints one closing line
// `tests: N passed, N failed, N skipped, N retries` that sums every suite (skipped: mocha's pending tests, e.g. the
// integration tests that need the UI bridge; retries: e2e commands run again after VS Code's quick-pick race, named
// in brackets).
//
// Last, in a git checkout: the run must leave the working tree as it found it. Files that the run created, changed
// or deleted (tracked, or untracked and not ignored) fail it, named; what was already dirty before is compared by
// content, so a run on a dirty tree is judged by what the tests did.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules } from './bootstrap.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureNodeModules(root);
const only = process.argv.slice(2);
const npx = (...args) => ['npx', ['--no-install', ...args]];

const steps = [
  { name: 'format', cmd: npx('prettier', '--check', '.') },
  { name: 'lint', cmd: npx('eslint', 'src', 'test', 'scripts') },
  { name: 'layers', cmd: [process.execPath, ['scripts/check-imports.mjs']] },
  { name: 'typecheck', cmd: npx('tsc', '-b', '--noEmit') },
  { name: 'compile-tests', pre: () => fs.rmSync(path.join(root, 'out'), { recursive: true, force: true }), cmd: npx('tsc', '-p', 'tsconfig.test.json') },
  { name: 'build', cmd: [process.execPath, ['esbuild.mjs', '--production']] },
  { name: 'unit', cmd: npx('mocha', '--config', '.mocharc.json'), counts: mochaCounts },
  { name: 'integration', cmd: [process.execPath, ['scripts/vscode/run-integration.mjs', '--no-build']], counts: lineCounts('integration') },
  {
    name: 'e2e',
    cmd: [process.execPath, ['scripts/e2e/run.mjs']],
    counts: lineCounts('e2e'),
    optional: !fs.existsSync(path.join(root, 'scripts/e2e/run.mjs')),
  },
];

function mochaCounts(out) {
  const n = (re) => Number(re.exec(out)?.[1] ?? 0);
  return { passed: n(/(\d+) passing/), failed: n(/(\d+) failing/), skipped: n(/(\d+) pending/) };
}

/** `<prefix>: N passed, N failed[, N skipped][, N retries (what)]`, the last line a runner prints. */
function lineCounts(prefix) {
  return (out) => {
    const m = new RegExp(`^${prefix}: (\\d+) passed, (\\d+) failed(?:, (\\d+) skipped)?(?:, (\\d+) retr(?:y|ies)(?: \\((.*)\\))?)?$`, 'm').exec(out);
    if (!m) return { passed: 0, failed: 0, skipped: 0 };
    const retries = Number(m[4] ?? 0);
    return { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0), retries, retried: retries ? `${prefix}: ${m[5] ?? '?'}` : undefined };
  };
}

function run([cmd, args]) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
}

// ---------------------------------------------------------------------------------------------------- working tree

/** `git status` of the working tree, path → status and content hash; null outside a git checkout. */
function worktreeState() {
  const inside = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, encoding: 'utf8' });
  if (inside.status !== 0 || inside.stdout.trim() !== 'true') return null;
  const res = spawnSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`git status failed: ${res.stderr}`);
  const state = new Map();
  const fields = res.stdout.split('\0').filter(Boolean);
  for (let i = 0; i < fields.length; i++) {
    const status = fields[i].slice(0, 2);
    const file = fields[i].slice(3);
    if (/[RC]/.test(status)) i++; // a rename or copy is followed by its source path
    const abs = path.join(root, file);
    const hash = fs.existsSync(abs) && fs.statSync(abs).isFile() ? createHash('sha1').update(fs.readFileSync(abs)).digest('hex') : 'none';
    state.set(file, `${status} ${hash}`);
  }
  return state;
}

/** What the run changed in the working tree, as `git status` lines; [] when nothing (or not a git checkout). */
function worktreeChanges(before, after) {
  if (!before || !after) return [];
  const changed = [];
  for (const [file, now] of after) if (before.get(file) !== now) changed.push(`${now.slice(0, 2)} ${file}`);
  for (const file of before.keys()) if (!after.has(file)) changed.push(`(restored) ${file}`);
  return changed.sort();
}

// ---------------------------------------------------------------------------------------------------- run

let passed = 0;
let failed = 0;
let skipped = 0;
let retries = 0;
const retried = [];
const timings = [];
const treeBefore = worktreeState();

function closingLine() {
  const retryText = `${retries} ${retries === 1 ? 'retry' : 'retries'}${retried.length ? ` (${retried.join('; ')})` : ''}`;
  return `tests: ${passed} passed, ${failed} failed, ${skipped} skipped, ${retryText}`;
}

/** The working-tree check, the timings and the closing line; exits. */
function finish(code) {
  const changes = worktreeChanges(treeBefore, worktreeState());
  if (changes.length) {
    console.log(`\n✗ the run changed the working tree (tests must write only to git-ignored places, e.g. test-results/):`);
    for (const line of changes) console.log(`    ${line}`);
    failed += 1;
    code ||= 1;
  }
  console.log(`\n${timings.join(' · ')}`);
  console.log(closingLine());
  process.exit(code);
}

for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  if (step.optional) continue;
  console.log(`\n▶ ${step.name}`);
  step.pre?.();
  const t0 = Date.now();
  const { code, out } = await run(step.cmd);
  timings.push(`${step.name} ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (step.counts) {
    const c = step.counts(out);
    passed += c.passed;
    failed += c.failed;
    skipped += c.skipped;
    retries += c.retries ?? 0;
    if (c.retried) retried.push(c.retried);
    if (code !== 0 && c.failed === 0) failed += 1; // the suite failed without a failing test (crash, timeout, 0 tests)
  } else if (code !== 0) {
    failed += 1;
  }
  if (code !== 0) {
    console.error(`\n✗ ${step.name} failed (exit ${code})`);
    finish(1);
  }
}
finish(0);

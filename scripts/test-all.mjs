// npm test — everything, in order: lint, type-check, compile the tests, production build, unit tests (plain mocha
// against the loopback vendor servers), the integration suite inside a real VS Code, the end-to-end journeys in the
// real UI, and the .vsix install check. Stops at the first failing step; prints one closing line
// `tests: N passed, N failed` that sums every suite.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules } from './bootstrap.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureNodeModules(root);
const only = process.argv.slice(2);
const npx = (...args) => ['npx', ['--no-install', ...args]];

const steps = [
  { name: 'lint', cmd: npx('eslint', 'src', 'test', 'scripts') },
  { name: 'layers', cmd: [process.execPath, ['scripts/check-imports.mjs']] },
  { name: 'typecheck', cmd: npx('tsc', '-b', '--noEmit') },
  { name: 'compile-tests', pre: () => fs.rmSync(path.join(root, 'out'), { recursive: true, force: true }), cmd: npx('tsc', '-p', 'tsconfig.test.json') },
  { name: 'build', cmd: [process.execPath, ['esbuild.mjs', '--production']] },
  { name: 'unit', cmd: npx('mocha', '--config', '.mocharc.json'), counts: mochaCounts },
  { name: 'integration', cmd: [process.execPath, ['scripts/vscode/run-integration.mjs', '--no-build']], counts: lineCounts('integration') },
  { name: 'e2e', cmd: [process.execPath, ['scripts/e2e/run.mjs']], counts: lineCounts('e2e'), optional: !fs.existsSync(path.join(root, 'scripts/e2e/run.mjs')) },
];

function mochaCounts(out) {
  const passed = Number(/(\d+) passing/.exec(out)?.[1] ?? 0);
  const failed = Number(/(\d+) failing/.exec(out)?.[1] ?? 0);
  return { passed, failed };
}

function lineCounts(prefix) {
  return (out) => {
    const m = new RegExp(`^${prefix}: (\\d+) passed, (\\d+) failed`, 'm').exec(out);
    return m ? { passed: Number(m[1]), failed: Number(m[2]) } : { passed: 0, failed: 0 };
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

let passed = 0;
let failed = 0;
const timings = [];
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
    if (code !== 0 && c.failed === 0) failed += 1; // the suite failed without a failing test (crash, timeout, 0 tests)
  } else if (code !== 0) {
    failed += 1;
  }
  if (code !== 0) {
    console.error(`\n✗ ${step.name} failed (exit ${code})`);
    console.log(`\n${timings.join(' · ')}`);
    console.log(`tests: ${passed} passed, ${failed} failed`);
    process.exit(1);
  }
}
console.log(`\n${timings.join(' · ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);

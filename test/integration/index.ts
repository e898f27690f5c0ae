// Entry point of the integration suite inside the VS Code extension host (the `extensionTestsPath`):
// VS Code loads out/test/integration/index.js and awaits run(). Used by both runners:
// scripts/vscode/run-integration.mjs (code-server + chromium) and scripts/vscode/run-test-electron.mjs.
//
// Runs mocha (bdd: describe/it) over out/test/integration/**/*.test.js. Rejects when a test failed or when
// no test ran. Prints `MOCHA_START {"files":[…]}` before the first test (the runner shows the extension
// host's console from there on), and reports the totals twice so the runner can read them: a console line
//   MOCHA_RESULT {"passes":3,"failures":0,"pending":1,"durationMs":1234,"failed":[…]}
// and the same JSON in <harness dir>/mocha-result.json when a harness dir exists (see ui.ts).
// Environment: API_AUTH_TEST_GREP (mocha --grep), API_AUTH_TEST_TIMEOUT_MS (per-test timeout, default 60 s).
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { harnessDir } from './ui';

export interface MochaResult {
  passes: number;
  failures: number;
  pending: number;
  durationMs: number;
  failed: Array<{ title: string; error: string }>;
}

export const MOCHA_START_MARKER = 'MOCHA_START';
export const MOCHA_RESULT_MARKER = 'MOCHA_RESULT';
export const MOCHA_RESULT_FILE = 'mocha-result.json';

function findTestFiles(dir: string): string[] {
  const entries = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' });
  return entries
    .filter((rel) => rel.endsWith('.test.js'))
    .map((rel) => path.join(dir, rel))
    .sort();
}

export function run(): Promise<void> {
  const timeout = Number(process.env.API_AUTH_TEST_TIMEOUT_MS) || 60_000;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout, reporter: 'spec' });
  if (process.env.API_AUTH_TEST_GREP) mocha.grep(process.env.API_AUTH_TEST_GREP);
  const files = findTestFiles(__dirname);
  for (const file of files) mocha.addFile(file);
  console.log(`${MOCHA_START_MARKER} ${JSON.stringify({ files: files.map((f) => path.relative(__dirname, f)) })}`);

  const started = Date.now();
  return new Promise<void>((resolve, reject) => {
    const failed: MochaResult['failed'] = [];
    let runner: Mocha.Runner;
    try {
      runner = mocha.run(() => {
        const stats = runner.stats;
        const result: MochaResult = {
          passes: stats?.passes ?? 0,
          failures: stats?.failures ?? failed.length,
          pending: stats?.pending ?? 0,
          durationMs: Date.now() - started,
          failed,
        };
        report(result);
        if (result.failures > 0) reject(new Error(`${result.failures} integration test(s) failed`));
        else if (result.passes === 0) reject(new Error('no integration test ran'));
        else resolve();
      });
      runner.on('fail', (test, err: unknown) => {
        failed.push({ title: test.fullTitle(), error: err instanceof Error ? err.message : String(err) });
      });
    } catch (err) {
      report({ passes: 0, failures: 1, pending: 0, durationMs: Date.now() - started, failed: [{ title: 'loading the suite', error: String(err) }] });
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

function report(result: MochaResult): void {
  console.log(`${MOCHA_RESULT_MARKER} ${JSON.stringify(result)}`);
  const dir = harnessDir();
  if (dir === undefined) return;
  const file = path.join(dir, MOCHA_RESULT_FILE);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(result, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

// Runs the same mocha integration suite (out/test/integration/index.js) in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code (it downloads into .vscode-test/). On this
// project's CI machines there is no such download (ENOTFOUND): use run-integration.mjs (code-server) there.
// The UI-bridge tests skip themselves here (no Playwright runner answers UI steps).
//
//   npm run test:electron [-- --no-build]        env: VSCODE_TEST_VERSION (default "stable")
// On Linux without a display, run it under xvfb-run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { buildForTests, createTestWorkspace } from './code-server.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const testsIndex = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');

let code = 1;
let passes = 0;
let failures = 0;
let pending = 0;
const { workspaceDir, harnessDir } = createTestWorkspace({ bridge: false });
try {
  if (!process.argv.includes('--no-build')) buildForTests(repoRoot);
  const exitCode = await runTests({
    version: process.env.VSCODE_TEST_VERSION || 'stable',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: testsIndex,
    extensionTestsEnv: { API_AUTH_HARNESS_DIR: harnessDir },
    launchArgs: [workspaceDir, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
  const resultFile = path.join(harnessDir, 'mocha-result.json');
  if (fs.existsSync(resultFile)) ({ passes, failures, pending } = JSON.parse(fs.readFileSync(resultFile, 'utf8')));
  code = exitCode === 0 && failures === 0 && passes > 0 ? 0 : 1;
  if (code !== 0 && failures === 0) failures = 1;
} catch (err) {
  console.error(`[test-electron] ERROR: ${err instanceof Error ? err.message : String(err)}`);
  if (/ENOTFOUND|getaddrinfo|EAI_AGAIN/.test(String(err))) {
    console.error('[test-electron] VS Code cannot be downloaded here; use `npm run test:integration` (code-server) instead.');
  }
  failures = Math.max(failures, 1);
} finally {
  fs.rmSync(workspaceDir, { recursive: true, force: true });
}
// The UI-bridge tests skip themselves here: the skipped count says so.
console.log(`integration: ${passes} passed, ${failures} failed, ${pending} skipped`);
process.exit(code);

// npm start — the main job on a fresh machine: install what is missing (cached), build, start the demo vendor
// servers and a real VS Code (code-server) on 127.0.0.1 with the extension and the demo connections; print the URL
// and the demo passwords; run until Ctrl+C, then stop everything this started.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules } from './bootstrap.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureNodeModules(root);
const { startDemo } = await import('./demo.mjs');
const { ensureVSCode } = await import('./vscode/install.mjs');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`npm start: "${cmd} ${args.join(' ')}" failed`);
    process.exit(1);
  }
}

await ensureVSCode();
console.log('[start] building the extension and the demo vendor servers…');
run(process.execPath, ['esbuild.mjs']);
run('npx', ['--no-install', 'tsc', '-p', 'tsconfig.test.json']);

const demo = await startDemo({ root });
const pad = Math.max(...demo.connections.map((c) => c.label.length));
console.log(`
  API Auth Explorer is running in a real VS Code:

    ${demo.workbenchUrl}

  Open the "API Auth" view (key icon in the activity bar), then "Login" on a connection
  (or F1 → "API Auth: Login"). Demo secrets — fake accounts of the loopback vendor servers:
${demo.connections.map((c) => `    ${c.label.padEnd(pad)}  ${demo.credentials[c.id]}`).join('\n')}

  Code42 two-factor code: run "npm run totp" in another terminal.
  The datarhei "2-minute token" connection shows the countdown running out.

  Press Ctrl+C to stop.
`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\n[start] stopping…');
  await demo.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
// Should VS Code itself stop (crash, killed), say so with its last log lines and stop the rest, instead of
// leaving a dead URL behind.
void demo.server.ended.then(async (how) => {
  if (stopping) return;
  stopping = true;
  let tail = '';
  try {
    tail = fs.readFileSync(demo.server.logFile, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    // the log went with the run folder
  }
  console.error(`\n[start] code-server stopped unexpectedly (${how}); its last log lines:\n${tail}`);
  await demo.stop().catch((e) => console.error(`[start] stopping the rest: ${e instanceof Error ? e.message : String(e)}`));
  process.exit(1);
});
await new Promise(() => {});

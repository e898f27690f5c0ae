// Makes `npm start` and `npm test` work on a fresh clone: installs the Node packages (npm ci) when they are
// missing or older than package-lock.json. Uses only Node built-ins, so it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function ensureNodeModules(root) {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs - 1000) return;
  console.log('[setup] installing Node packages (npm ci)…');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('[setup] npm ci failed');
    process.exit(1);
  }
}

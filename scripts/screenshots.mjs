// npm run screenshots — refreshes the README's images in docs/screenshots/ on purpose: runs the end-to-end journeys
// (scripts/e2e/run.mjs, same options) with API_AUTH_SCREENSHOTS_DIR=docs/screenshots, then checks that every image
// the README shows from docs/screenshots/ was written by this run. `npm test` never writes there (its journeys save
// to test-results/e2e/screenshots/). Review the new images (git diff --stat docs/screenshots) before committing.
//
//   npm run screenshots [-- --no-build] [-- --headed]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = 'docs/screenshots';

/** The images README.md shows from docs/screenshots/, as repo-relative paths. */
function readmeImages() {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const refs = [...readme.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|<img\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
  return [...new Set(refs.map((r) => path.posix.normalize(r.replace(/^\.\//, ''))).filter((r) => r.startsWith(`${DIR}/`)))];
}

const started = Date.now();
const res = spawnSync(process.execPath, [path.join(root, 'scripts', 'e2e', 'run.mjs'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, API_AUTH_SCREENSHOTS_DIR: DIR },
});
if (res.status !== 0) {
  console.error(`[screenshots] the e2e run failed (exit ${res.status ?? res.signal}): ${DIR}/ may be half refreshed (git checkout ${DIR} to undo)`);
  process.exit(1);
}

const stale = readmeImages().filter((f) => {
  const abs = path.join(root, f);
  return !fs.existsSync(abs) || fs.statSync(abs).mtimeMs < started;
});
if (stale.length) {
  console.error(`[screenshots] the README shows images no journey wrote in this run: ${stale.join(', ')}`);
  process.exit(1);
}
const changed = spawnSync('git', ['status', '--porcelain', '--', DIR], { cwd: root, encoding: 'utf8' }).stdout?.trimEnd();
console.log(`[screenshots] ${readmeImages().length} README images refreshed in ${DIR}/${changed ? `; changed:\n${changed}` : ' (no change)'}`);

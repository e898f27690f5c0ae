// 8. Size: the bundles and the .vsix against their budgets, and what each dependency contributes to each bundle
// (bytes of output from its files, from esbuild metafiles of a build into a temporary folder: no tracked file changes).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { kb, requireFromRoot, root } from './util.mjs';

const BUDGET = { 'dist/extension.js': 200 * 1024, vsix: 250 * 1024 };

/** Output bytes per package (node_modules/<name>) or `our code` / `shims`, from a metafile's output entry. */
function contributions(meta) {
  const [output] = Object.values(meta.outputs).filter((o) => o.entryPoint);
  const by = new Map();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const key = m ? m[1] : input.startsWith('src/shims/') ? 'src/shims (stand-ins)' : input.startsWith('src/') ? 'our code (src/)' : input;
    by.set(key, (by.get(key) ?? 0) + bytesInOutput);
  }
  return [...by].sort((a, b) => b[1] - a[1]);
}

/**
 * The metafiles of a production build of esbuild.mjs's own targets (so the options cannot drift from the real build),
 * written to a temporary folder: a copy of esbuild.mjs with its outfiles moved there and THIRD-PARTY-NOTICES.md
 * left alone.
 */
function metafiles() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-auth-size-'));
  try {
    let text = fs.readFileSync(path.join(root, 'esbuild.mjs'), 'utf8');
    const swap = (from, to) => {
      if (!from.test(text)) throw new Error(`esbuild.mjs changed shape (${from}): bench/size.mjs needs an update`);
      text = text.replace(from, to);
    };
    const esbuildUrl = pathToFileURL(requireFromRoot.resolve('esbuild')).href;
    swap(/import \* as esbuild from 'esbuild';/, `import * as esbuild from ${JSON.stringify(esbuildUrl)};`);
    swap(
      /import \{ NOTICES_FILE, writeNotices \} from '\.\/scripts\/notices\.mjs';/,
      `import * as benchFs from 'node:fs';
const NOTICES_FILE = '';
const writeNotices = (_root, list) => {
  benchFs.writeFileSync(${JSON.stringify(path.join(dir, 'metas.json'))}, JSON.stringify(Object.fromEntries(list.map((t) => [t.outfile.slice(${JSON.stringify(dir.length + 1)}), t.metafile]))));
  return { packages: [], changed: false };
};`,
    );
    swap(/outfile: '([^']+)'/g, `outfile: ${JSON.stringify(dir)} + '/$1'`);
    const script = path.join(dir, 'build.mjs');
    fs.writeFileSync(script, text);
    const r = spawnSync(process.execPath, [script, '--production'], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`metafile build failed: ${r.stderr}`);
    return JSON.parse(fs.readFileSync(path.join(dir, 'metas.json'), 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchSize(results, { vsix = true } = {}) {
  const s = results.section('8. Size');
  for (const f of ['dist/extension.js', 'media/webview.js', 'dist/xml.js', 'dist/cli.js']) {
    const p = path.join(root, f);
    if (!fs.existsSync(p)) throw new Error(`${p} missing: run npm run build:prod`);
    const bytes = fs.statSync(p).size;
    const budget = BUDGET[f];
    results.row(s, f, kb(bytes), budget ? `≤ ${budget / 1024} KB` : '', budget ? bytes <= budget : undefined);
  }
  if (vsix) {
    const { packageExtension } = await import(path.join(root, 'scripts', 'package.mjs'));
    try {
      const { bytes } = packageExtension({ root, build: false });
      results.row(s, '.vsix', kb(bytes), '≤ 250 KB', bytes <= BUDGET.vsix);
    } catch (e) {
      results.row(s, '.vsix', `packaging failed: ${String(e.message).split('\n')[0]}`, '≤ 250 KB', false);
    }
  }
  const c = results.section('8b. What each dependency contributes (bytes in the minified output, esbuild metafile)');
  for (const [out, meta] of Object.entries(metafiles())) {
    const rows = contributions(meta);
    const total = rows.reduce((a, [, b]) => a + b, 0);
    results.row(c, out, kb(total), '', undefined, rows.map(([name, b]) => `${name} ${kb(b)} (${((b / total) * 100).toFixed(0)} %)`).join(' · '));
  }
}

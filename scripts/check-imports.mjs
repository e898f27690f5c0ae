// The layer check (part of `npm run lint`): reads every import of src/ with the TypeScript compiler's own
// pre-processor and fails when
//   - a file imports a layer above its own (order below), or a layer not in its list of allowed ones, or
//   - the files import each other in a cycle (Tarjan's strongly connected components).
// ESLint's no-restricted-imports (eslint.config.mjs) says the same per file while editing; this script also sees
// cycles, which a per-file rule cannot. `node scripts/check-imports.mjs --graph` prints the folder graph.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');

/** Which layers each layer may import (besides itself). Bottom to top: core → vendors → engine → cli / ext. */
export const LAYERS = {
  core: [],
  shims: [],
  vendors: ['core'],
  shared: ['core'],
  engine: ['core', 'shared'],
  cli: ['core', 'engine', 'vendors'],
  ext: ['core', 'engine', 'vendors', 'shared'],
  webview: ['core', 'shared'],
  entry: ['ext'],
};

/** Files the webview page may take from `core` (it must not bundle jwt-decode, axios or Node modules). */
const WEBVIEW_CORE = new Set(['core/time.ts']);

function layerOf(rel) {
  if (rel === 'extension.ts') return 'entry';
  if (rel === 'cli.ts') return 'cli';
  const top = rel.split('/')[0];
  return top in LAYERS ? top : null;
}

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

function resolve(from, spec) {
  if (!spec.startsWith('.')) return null; // a package or a Node module
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(c)) return c;
  return undefined;
}

const files = walk(src);
const graph = new Map();
const problems = [];
for (const file of files) {
  const rel = path.relative(src, file).split(path.sep).join('/');
  const layer = layerOf(rel);
  if (!layer) problems.push(`${rel}: not in a known layer (${Object.keys(LAYERS).join(', ')})`);
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  const deps = [];
  for (const { fileName } of importedFiles) {
    if (fileName === 'vscode' && layer !== 'ext') problems.push(`${rel}: imports vscode (only src/ext may)`);
    const target = resolve(file, fileName);
    if (target === null) continue;
    if (target === undefined) {
      problems.push(`${rel}: cannot resolve "${fileName}"`);
      continue;
    }
    const trel = path.relative(src, target).split(path.sep).join('/');
    const tlayer = layerOf(trel);
    deps.push(trel);
    if (tlayer === layer || !layer) continue;
    if (!LAYERS[layer].includes(tlayer)) problems.push(`${rel}: imports ${trel} (${layer} may import ${LAYERS[layer].join(', ') || 'nothing outside itself'})`);
    else if (layer === 'webview' && tlayer === 'core' && !WEBVIEW_CORE.has(trel))
      problems.push(`${rel}: imports ${trel} (the page may take only ${[...WEBVIEW_CORE].join(', ')} from core)`);
  }
  graph.set(rel, deps);
}

// Tarjan: every strongly connected component of more than one file is a cycle.
let index = 0;
const stack = [];
const meta = new Map();
const cycles = [];
function strongConnect(v) {
  meta.set(v, { index, low: index, on: true });
  index++;
  stack.push(v);
  for (const w of graph.get(v) ?? []) {
    if (!meta.has(w)) {
      strongConnect(w);
      meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
    } else if (meta.get(w).on) meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
  }
  if (meta.get(v).low === meta.get(v).index) {
    const scc = [];
    let w;
    do {
      w = stack.pop();
      meta.get(w).on = false;
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(scc.sort());
  }
}
for (const v of graph.keys()) if (!meta.has(v)) strongConnect(v);
for (const c of cycles) problems.push(`import cycle: ${c.join(' ↔ ')}`);

if (process.argv.includes('--graph')) {
  const edges = new Set();
  for (const [f, deps] of graph) for (const d of deps) if (layerOf(f) !== layerOf(d)) edges.add(`${layerOf(f)} → ${layerOf(d)}`);
  console.log([...edges].sort().join('\n'));
}
if (problems.length) {
  for (const p of problems) console.error(`check-imports: ${p}`);
  process.exit(1);
}
console.log(`check-imports: ${graph.size} files, ${[...graph.values()].reduce((n, d) => n + d.length, 0)} imports: no upward import, no cycle`);

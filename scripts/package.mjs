// npm run package — production build, then `vsce package` into dist-vsix/<name>-<version>.vsix, then checks that the
// package holds exactly what should ship (package.json, README.md, CHANGELOG.md, LICENSE, THIRD-PARTY-NOTICES.md, the
// three bundles and media/*) — both `vsce ls` and the entries of the .vsix written. Fails loudly on anything else.
//
//   node scripts/package.mjs [--no-build]
//   import { packageExtension } from './package.mjs'; const { vsixPath } = packageExtension({ root });
//
// The bundle has no runtime node_modules (esbuild inlines axios & co.), hence --no-dependencies.
//
// README images: vsce rewrites the README's relative links to the "repository" of package.json (images to
// https://github.com/<repo>/raw/HEAD/<path>). That is what makes them show on the installed extension's page: VS Code
// renders that README in a webview that keeps only http(s) image URLs (relative paths and data: URIs are dropped) under
// a CSP of `img-src https: data:`, so images shipped in the .vsix could not be shown from there anyway. Hence
// docs/screenshots/ is not packaged; 07-installed-vsix.test.mjs checks the page. The .vsix must stay within
// MAX_VSIX_BYTES.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Size budget of the .vsix: packaging fails above it. */
export const MAX_VSIX_BYTES = 250 * 1024;

/** The files that must ship, besides everything under media/. */
export const SHIPPED_FILES = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'THIRD-PARTY-NOTICES.md',
  'dist/extension.js',
  'dist/xml.js',
  'dist/gateway.js',
  'dist/guide.js',
  'dist/cli.js',
  'bin/api-auth',
  'bin/api-auth.cmd',
  'media/webview.js',
];

function log(msg) {
  console.log(`[package] ${msg}`);
}

/** Every file under dir, as forward-slash paths relative to root. */
function filesUnder(root, dir) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) =>
      path
        .relative(root, path.join(e.parentPath ?? e.path, e.name))
        .split(path.sep)
        .join('/'),
    );
}

/** What the package must hold, exactly. */
export function expectedFiles(root = ROOT) {
  return [...new Set([...SHIPPED_FILES, ...filesUnder(root, 'media')])].sort();
}

/** `npx --no-install vsce …` in root; stdin closed so that a prompt fails instead of hanging. */
function vsce(root, args) {
  const res = spawnSync('npx', ['--no-install', 'vsce', ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false', FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  // npm's own warnings (e.g. "Unknown user config") are noise here.
  const stderr = (res.stderr ?? '')
    .split('\n')
    .filter((l) => l.trim() && !/^npm warn/i.test(l))
    .join('\n');
  return { status: res.status, error: res.error, stdout: res.stdout ?? '', stderr };
}

function differences(actual, expected) {
  const a = new Set(actual);
  const e = new Set(expected);
  return { missing: expected.filter((f) => !a.has(f)), extra: actual.filter((f) => !e.has(f)) };
}

function assertSameFiles(what, actual, expected) {
  const { missing, extra } = differences(actual, expected);
  if (missing.length === 0 && extra.length === 0) return;
  throw new Error(
    `${what} does not hold exactly the files that should ship:` +
      (missing.length ? `\n  missing: ${missing.join(', ')}` : '') +
      (extra.length ? `\n  unexpected: ${extra.join(', ')}` : '') +
      '\n  (what ships is decided by .vscodeignore)',
  );
}

/** The entry names of a zip file, from its central directory (no unzip needed). */
export function zipEntries(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file (no end of central directory)`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** The .vsix entry a shipped file becomes (vsce renames README, CHANGELOG and LICENSE). */
function vsixEntryOf(file) {
  const renamed = { 'README.md': 'readme.md', 'CHANGELOG.md': 'changelog.md', LICENSE: 'LICENSE.txt' };
  return `extension/${renamed[file] ?? file}`;
}

/**
 * Builds (unless build is false), packages and verifies. Throws with a readable message on any problem.
 * @param {{ root?: string, build?: boolean }} [options]
 * @returns {{ vsixPath: string, files: string[], bytes: number, ms: number }}
 */
export function packageExtension({ root = ROOT, build = true } = {}) {
  const started = Date.now();
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (!fs.existsSync(path.join(root, file))) throw new Error(`${file} is missing: the package must ship it (write it first)`);
  }

  if (build) {
    log('node esbuild.mjs --production');
    const res = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
    if (res.status !== 0) throw new Error(`production build failed (${res.error?.message ?? `exit ${res.status ?? res.signal}`})`);
  }
  for (const file of SHIPPED_FILES) {
    if (!fs.existsSync(path.join(root, file)))
      throw new Error(`${file} is missing${file.startsWith('dist/') ? ' (build first: node esbuild.mjs --production)' : ''}`);
  }

  const outDir = path.join(root, 'dist-vsix');
  const vsixPath = path.join(outDir, `${pkg.name}-${pkg.version}.vsix`);
  fs.mkdirSync(outDir, { recursive: true });
  fs.rmSync(vsixPath, { force: true });

  const args = ['package', '--no-dependencies', '-o', vsixPath];
  if (!pkg.repository) {
    // vsce asks (and without a terminal gives up) when there is no repository; README links then cannot be made
    // absolute either. The proper fix is a "repository" entry in package.json.
    log('WARNING: package.json has no "repository": packaging with --allow-missing-repository --no-rewrite-relative-links');
    args.push('--allow-missing-repository', '--no-rewrite-relative-links');
  }
  log(`vsce ${args.join(' ')}`);
  const packed = vsce(root, args);
  if (packed.status !== 0 || !fs.existsSync(vsixPath)) {
    throw new Error(`vsce package failed (${packed.error?.message ?? `exit ${packed.status}`}):\n${packed.stderr || packed.stdout}`);
  }
  if (packed.stderr) console.error(packed.stderr);

  const expected = expectedFiles(root);
  try {
    const listed = vsce(root, ['ls', '--no-dependencies']);
    if (listed.status !== 0) throw new Error(`vsce ls failed (exit ${listed.status}):\n${listed.stderr || listed.stdout}`);
    const lsFiles = listed.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .sort();
    assertSameFiles('`vsce ls`', lsFiles, expected);

    const entries = zipEntries(vsixPath)
      .filter((e) => e.startsWith('extension/'))
      .sort();
    assertSameFiles(path.relative(root, vsixPath), entries, expected.map(vsixEntryOf).sort());
  } catch (err) {
    fs.rmSync(vsixPath, { force: true }); // a wrong package must not be picked up later
    throw err;
  }

  const bytes = fs.statSync(vsixPath).size;
  if (bytes > MAX_VSIX_BYTES) {
    fs.rmSync(vsixPath, { force: true });
    throw new Error(`${path.relative(root, vsixPath)} is ${(bytes / 1024).toFixed(1)} KB, over the ${MAX_VSIX_BYTES / 1024} KB budget (MAX_VSIX_BYTES)`);
  }
  const ms = Date.now() - started;
  log(`${path.relative(root, vsixPath)}: ${expected.length} files, ${(bytes / 1024).toFixed(1)} KB, in ${(ms / 1000).toFixed(1)} s`);
  for (const f of expected) log(`  ${f}`);
  return { vsixPath, files: expected, bytes, ms };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    packageExtension({ build: !process.argv.includes('--no-build') });
  } catch (err) {
    console.error(`[package] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}

// THIRD-PARTY-NOTICES.md: every npm package that esbuild really bundled into dist/extension.js, dist/xml.js,
// dist/cli.js and media/webview.js, with its version, licence and the full licence text from the package. The
// bundles are built with legalComments: 'none' (minified, no comment blocks); this file carries the licences, and
// the .vsix ships it. Written by esbuild.mjs after every (non-watch) build from the builds' metafiles, so it follows
// what is bundled — a package that the bundles stop using drops out, a new one comes in — and is rewritten only when
// its content changes. npm test fails if the build changed it (commit the new file then).
//
//   import { writeNotices } from './scripts/notices.mjs';
//   writeNotices(root, [{ outfile: 'dist/extension.js', metafile }, …]);
//
// A bundled package without a licence file stops the build: its notice cannot be written.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const NOTICES_FILE = 'THIRD-PARTY-NOTICES.md';

const LICENSE_FILE = /^(licen[cs]e|copying|notice)(\.(md|txt|markdown))?$/i;

/**
 * The package an esbuild input path belongs to, or undefined for the project's own files:
 * `../../main/node_modules/axios/lib/core/Axios.js` → { name: 'axios', dir: '../../main/node_modules/axios' }.
 */
export function packageOf(input) {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  const scoped = parts[at + 1].startsWith('@');
  const nameParts = parts.slice(at + 1, at + (scoped ? 3 : 2));
  return { name: nameParts.join('/'), dir: parts.slice(0, at + 1 + nameParts.length).join('/') };
}

/**
 * The bundled packages, sorted by name: `{ name, version, license, repository, text, bundles }`.
 * @param {string} root  the directory esbuild ran in (metafile paths are relative to it)
 * @param {Array<{ outfile: string, metafile: import('esbuild').Metafile }>} builds
 */
export function bundledPackages(root, builds) {
  const found = new Map();
  for (const { outfile, metafile } of builds) {
    for (const output of Object.values(metafile.outputs)) {
      for (const input of Object.keys(output.inputs)) {
        const pkg = packageOf(input);
        if (!pkg) continue;
        const entry = found.get(pkg.name) ?? { dir: path.resolve(root, pkg.dir), bundles: new Set() };
        entry.bundles.add(outfile);
        found.set(pkg.name, entry);
      }
    }
  }
  const order = builds.map((b) => b.outfile);
  return [...found]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, { dir, bundles }]) => {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const files = fs
        .readdirSync(dir)
        .filter((f) => LICENSE_FILE.test(f))
        .sort();
      const text = files.length ? files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8').replace(/\r\n/g, '\n').trim()).join('\n\n') : readmeLicence(dir);
      if (!text)
        throw new Error(
          `${name}@${manifest.version} is bundled but ships no licence text (looked for LICENSE, LICENCE, COPYING, NOTICE and README's License in ${dir})`,
        );
      const repo = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
      return {
        name,
        version: manifest.version,
        license: typeof manifest.license === 'string' ? manifest.license : (manifest.license?.type ?? 'see the licence text'),
        repository: repo ?? manifest.homepage,
        text,
        bundles: order.filter((o) => bundles.has(o)),
      };
    });
}

/**
 * The "License" section of a package's README, for packages that ship their licence text only there (agent-base 6 and
 * https-proxy-agent 5, bundled into the CLI); '' when there is none. The section ends at the next heading or at the
 * README's link definitions.
 */
export function readmeLicence(dir) {
  const readme = fs.readdirSync(dir).find((f) => /^readme(\.md)?$/i.test(f));
  if (!readme) return '';
  const lines = fs.readFileSync(path.join(dir, readme), 'utf8').replace(/\r\n/g, '\n').split('\n');
  const underline = (l) => /^(-{3,}|={3,})\s*$/.test(l ?? '');
  const heading = (i) => /^#{1,6}\s/.test(lines[i]) || (lines[i].trim() !== '' && underline(lines[i + 1]));
  const start = lines.findIndex((l, i) => /^(#{1,6}\s*)?licen[cs]e\s*$/i.test(l) && (l.startsWith('#') || underline(lines[i + 1])));
  if (start < 0) return '';
  const out = [];
  for (let i = start + (lines[start].startsWith('#') ? 1 : 2); i < lines.length && !heading(i) && !/^\[[^\]]+\]:\s/.test(lines[i]); i++) out.push(lines[i]);
  return out.join('\n').trim();
}

/** The Markdown of the notices file. */
export function renderNotices(packages) {
  const fenceFor = (text) => '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  const lines = [
    '# Third-party notices',
    '',
    'API Auth Explorer bundles the npm packages below into its JavaScript files; their licences follow.',
    'Generated by `scripts/notices.mjs` from the esbuild metafiles of the build: do not edit by hand.',
    '',
    '| Package | Version | Licence | Bundled into |',
    '|---|---|---|---|',
    ...packages.map((p) => `| ${p.name} | ${p.version} | ${p.license} | ${p.bundles.join(', ')} |`),
  ];
  for (const p of packages) {
    const fence = fenceFor(p.text);
    lines.push(
      '',
      `## ${p.name} ${p.version}`,
      '',
      `Licence: ${p.license}${p.repository ? ` · Source: ${p.repository}` : ''}`,
      '',
      `${fence}text`,
      p.text,
      fence,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes <root>/THIRD-PARTY-NOTICES.md when its content changes. Returns `{ file, packages, changed }`.
 * @param {string} root
 * @param {Array<{ outfile: string, metafile: import('esbuild').Metafile }>} builds
 */
export function writeNotices(root, builds) {
  const packages = bundledPackages(root, builds);
  const file = path.join(root, NOTICES_FILE);
  const content = renderNotices(packages);
  const changed = !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content;
  if (changed) fs.writeFileSync(file, content);
  return { file, packages, changed };
}

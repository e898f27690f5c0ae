// Journey: the packaged extension as a user gets it. The .vsix built by scripts/package.mjs is installed into a
// fresh extensions dir with code-server's own CLI, the demo starts WITHOUT the development path, and the API Auth
// view must list the demo connections and log in (the packaged bundle activates and its lazy XML chunk loads).
// Last, the extension's details page (Extensions view) shows the icon and every README image.
//
// README images: VS Code's extension page renders the README in a webview whose sanitizer keeps only http(s) image
// URLs (relative paths and data: URIs are dropped, checked on 1.139) and whose CSP allows https: and data:. So the
// images cannot come from the installed folder; vsce rewrites the README's relative image paths to the repository's
// https://github.com/…/raw/HEAD/… URLs (package.json "repository"). This run is offline: GitHub is stood in for by a
// route that answers those URLs from this checkout, which proves the page asks for exactly those URLs, lets them
// through, and that every file exists at its path.
/* global describe, it, before, after */
import { spawnSync } from 'node:child_process';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDemo } from '../../scripts/demo.mjs';
import { ensureVSCode } from '../../scripts/vscode/install.mjs';
import {
  checkNotStopping,
  connectionDescription,
  connectionRow,
  CONNECTIONS_LIST,
  ctx,
  escapeRe,
  loginViaPalette,
  prepareWorkbench,
  ROOT,
  runCommand,
  until,
  webviewFrame,
} from './lib.mjs';

/** Where vsce points the README's relative image paths: the repository's raw files at HEAD. */
function rawBase(pkg) {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const m = /^(?:git\+)?https:\/\/github\.com\/([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(url ?? '');
  if (!m) throw new Error(`package.json "repository" is not a GitHub https URL: ${url}`);
  return `https://github.com/${m[1]}/raw/HEAD/`;
}

/** The relative image paths of README.md (Markdown images and <img src>). */
function readmeImages() {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const refs = [...readme.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|<img\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
  return refs.filter((r) => !/^[a-z][a-z0-9+.-]*:/i.test(r)).map((r) => path.posix.normalize(r.replace(/^\.?\//, '')));
}

/** code-server's CLI, with its state kept in `scratch` (not in ~). */
function installVsix(node24Bin, codeServerEntry, vsix, extensionsDir, scratch) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|VSCODE_|ELECTRON_)/i.test(k)) env[k] = v;
  Object.assign(env, {
    EXTENSIONS_GALLERY: '{}',
    TMPDIR: scratch,
    XDG_CONFIG_HOME: path.join(scratch, 'config'),
    XDG_DATA_HOME: path.join(scratch, 'data'),
    XDG_CACHE_HOME: path.join(scratch, 'cache'),
    XDG_STATE_HOME: path.join(scratch, 'state'),
  });
  const res = spawnSync(
    node24Bin,
    [codeServerEntry, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', path.join(scratch, 'user-data')],
    {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  const out = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  if (res.status !== 0 || !/successfully installed/i.test(out))
    throw new Error(`code-server --install-extension failed (exit ${res.status ?? res.signal}):\n${out}`);
  return out;
}

describe('Installed .vsix (no development path)', () => {
  /** @type {import('playwright-core').Page} */
  let page;
  let demo;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await page?.close().catch(() => {});
    await demo?.stop();
  };

  before(async function () {
    this.timeout(120_000);
    if (ctx.vsix.error) throw new Error(`no .vsix to install: ${ctx.vsix.error.message}`);
    const vsix = ctx.vsix.path;
    assert.ok(vsix && fs.existsSync(vsix), `the .vsix exists (${vsix})`);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

    checkNotStopping();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aae-e2e-vsix-'));
    // Stop the demo before its workspace goes away (cleanups run last-registered first).
    ctx.addCleanup(() => fs.rmSync(scratch, { recursive: true, force: true }));
    const extensionsDir = path.join(scratch, 'extensions');
    fs.mkdirSync(extensionsDir);
    const { node24Bin, codeServerEntry } = await ensureVSCode();
    installVsix(node24Bin, codeServerEntry, vsix, extensionsDir, scratch);
    const installed = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
    assert.ok(fs.existsSync(path.join(installed, 'dist', 'extension.js')), `installed into ${installed}`);
    assert.ok(!fs.existsSync(path.join(installed, 'src')), 'no sources in the package');

    checkNotStopping();
    const workspaceDir = path.join(scratch, 'api-auth-demo');
    fs.mkdirSync(workspaceDir);
    // `developmentPath: null`, not undefined: startDemo's default parameter (`developmentPath = root`) turns an
    // explicit undefined back into the repo, and the workbench would load this folder as a development extension.
    demo = await startDemo({ root: ROOT, workspaceDir, developmentPath: null, extensionsDir, log: (l) => ctx.log(`      ${l}`) });
    ctx.addCleanup(stop);
    checkNotStopping();
    page = await ctx.context.newPage();
    page.setDefaultTimeout(15_000);
    this.page = page; // for the failure screenshot
    await page.goto(demo.workbenchUrl, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await prepareWorkbench(page);
  });

  after(stop);

  it('is a regular install (not a development host) and lists the demo connections', async () => {
    const title = await page.title();
    assert.match(title, /api-auth-demo/, `window title: ${title}`);
    assert.doesNotMatch(title, /Extension Development Host/);
    assert.doesNotMatch(demo.workbenchUrl, /extensionDevelopmentPath/);
    await page.locator(`${CONNECTIONS_LIST} .monaco-list-row`).first().waitFor();
    for (const conn of demo.connections) {
      await connectionRow(page, conn.label).waitFor();
      assert.match(await connectionDescription(page, conn.label), /not logged in$/);
    }
  });

  it('logs in to the XML Commvault connection (lazy dist/xml.js, self-signed TLS)', async () => {
    const label = 'SnapProtect (XML, self-signed TLS)';
    const state = await loginViaPalette(page, label, demo.credentials['commvault-xml-demo'], { store: 'Not Now' });
    assert.match(state, /^Commvault \/ SnapProtect · \d{2}:\d{2} left$/, state);
  });

  it('shows the icon and every README image on the extension page', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const base = rawBase(pkg);
    const images = readmeImages();
    assert.ok(images.length > 0, 'the README shows images');
    // GitHub, offline: the repository's raw files at HEAD are this checkout's (page routes win over the run's
    // context route that blocks everything but loopback).
    const served = new Set();
    await page.route(new RegExp(`^${escapeRe(base)}`), (route) => {
      const rel = decodeURIComponent(route.request().url().slice(base.length).split(/[?#]/)[0]);
      const file = path.resolve(ROOT, rel);
      if (!file.startsWith(ROOT + path.sep) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: `${rel}: no such file in the checkout` });
      served.add(rel);
      return route.fulfill({ path: file });
    });

    await runCommand(page, 'Extensions: Show Installed Extensions');
    const item = page.locator('.extensions-viewlet .monaco-list-row', { hasText: pkg.displayName }).first();
    await item.click();
    const header = page.locator('.extension-editor .header');
    await header.locator('.name', { hasText: pkg.displayName }).waitFor();
    // The icon comes from the installed folder (media/icon.png, 128×128).
    const icon = await until('the extension icon to load', () =>
      header.locator('img.icon').evaluate((img) => img.complete && img.naturalWidth > 0 && { w: img.naturalWidth, h: img.naturalHeight, src: img.src }),
    );
    assert.deepEqual([icon.w, icon.h], [128, 128], `icon ${icon.src}`);

    // The README webview: the frame whose page has the README's title.
    const readme = await until('the README in the extension page', async () => {
      const n = await page.locator('iframe.webview').count();
      for (let i = n - 1; i >= 0; i--) {
        const f = webviewFrame(page, i);
        if (
          (await f
            .locator('h1', { hasText: pkg.displayName })
            .count()
            .catch(() => 0)) > 0
        )
          return f;
      }
      return false;
    });
    const loaded = await until(`the ${images.length} README images to load`, async () => {
      const imgs = await readme
        .locator('img')
        .evaluateAll((els) => els.map((e) => ({ alt: e.alt, src: e.getAttribute('src'), done: e.complete, w: e.naturalWidth })));
      return imgs.length >= images.length && imgs.every((i) => i.done) && imgs;
    });
    assert.deepEqual(
      loaded.map((i) => i.src),
      images.map((rel) => `${base}${rel}`),
      'every README image is on the page, in order, pointing at the repository (none dropped by the sanitizer)',
    );
    const broken = loaded.filter((i) => !(i.w > 0));
    assert.deepEqual(broken, [], 'every README image loaded (naturalWidth > 0)');
    assert.deepEqual([...served].sort(), [...new Set(images)].sort(), 'the page asked for each image');
  });
});

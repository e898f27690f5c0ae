// Journey: the packaged extension as a user gets it. The .vsix built by scripts/package.mjs is installed into a
// fresh extensions dir with code-server's own CLI, the demo starts WITHOUT the development path, and the API Auth
// view must list the demo connections and log in (the packaged bundle activates and its lazy XML chunk loads).
/* global describe, it, before, after */
import { spawnSync } from 'node:child_process';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDemo } from '../../scripts/demo.mjs';
import { ensureVSCode } from '../../scripts/vscode/install.mjs';
import { checkNotStopping, connectionDescription, connectionRow, CONNECTIONS_LIST, ctx, loginViaPalette, prepareWorkbench, ROOT } from './lib.mjs';

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
  const res = spawnSync(node24Bin, [codeServerEntry, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', path.join(scratch, 'user-data')], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const out = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  if (res.status !== 0 || !/successfully installed/i.test(out)) throw new Error(`code-server --install-extension failed (exit ${res.status ?? res.signal}):\n${out}`);
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
});

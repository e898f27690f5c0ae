// Journey: an on-prem server with its own CA that demands a client certificate, on 127.0.0.2 (an address VS Code's
// network layer does not exempt, as a real host name). F1 → "API Auth: Add Connection…" → datarhei Core → name →
// https URL → password login → admin → TLS: "Trust a CA certificate file…" (file dialog) → "Client certificate
// (PKCS#12 …)" (file dialog) → workspace settings → password; then Login asks the certificate's passphrase once, and
// the row turns logged in. The settings entry holds the file paths, never the passphrase.
/* global describe, it, before, after */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { ctx, exactly, openApiAuthView, pick, QUICK_INPUT, QUICK_WIDGET, ROOT, runCommand, screenshot, until, waitLoggedIn } from './lib.mjs';

const require = createRequire(import.meta.url);
const LABEL = 'Core (mutual TLS)';
const TLS_DIR = path.join(ROOT, 'test', 'fixtures', 'tls');
const PASSPHRASE = 'fixture-pass';

/** Waits for the input box showing `prompt`, replaces its text with `text`, presses Enter, waits until it moved on. */
async function enterText(page, prompt, text) {
  const message = page.locator(`${QUICK_WIDGET} .quick-input-message`, { hasText: prompt });
  await message.waitFor({ state: 'visible' });
  const input = page.locator(QUICK_INPUT);
  await input.fill(text);
  await input.press('Enter');
  await message.waitFor({ state: 'hidden' });
}

/** Answers VS Code's own (simple) file dialog, a quick input holding a path: the file's full path, then Enter. */
async function chooseFile(page, openLabel, file) {
  await page.locator(`${QUICK_WIDGET} .quick-input-action`, { hasText: exactly(openLabel) }).waitFor({ state: 'visible' });
  const input = page.locator(QUICK_INPUT);
  // The dialog puts its starting folder into the input once it has read it, which can land after our text: wait for
  // that folder first, and type again should the input not hold exactly the file (it completes paths as they come).
  await until('the starting folder of the dialog', async () => (await input.inputValue()).endsWith('/'));
  await until('the typed path', async () => {
    if ((await input.inputValue()) === file) return true;
    await input.fill(file);
    await new Promise((r) => setTimeout(r, 300));
    return (await input.inputValue()) === file;
  });
  await input.press('Enter');
  await page.locator(`${QUICK_WIDGET} .quick-input-action`, { hasText: exactly(openLabel) }).waitFor({ state: 'hidden' });
}

describe('A server that demands a client certificate', () => {
  let server;

  before(async () => {
    const { startMockVendors } = require(path.join(ROOT, 'out', 'test', 'mock-vendors', 'server.js'));
    server = await startMockVendors({ host: '127.0.0.2', httpsCert: 'ca', requireClientCert: true });
  });

  after(async () => {
    await server?.close();
  });

  it('is added with its CA and PKCS#12 file in the wizard, and logs in after one passphrase prompt', async () => {
    const { page, demo } = ctx;
    await openApiAuthView(page);
    await runCommand(page, 'API Auth: Add Connection…', { then: (o) => pick(page, 'datarhei Core', { filter: 'datarhei', ...o }) });
    await enterText(page, 'A name for this connection', LABEL);
    const baseUrl = server.baseUrl('datarhei', true);
    await enterText(page, 'Base URL of the API', baseUrl);
    await pick(page, 'Username and password');
    await enterText(page, 'Username', demo.ACCOUNTS.datarhei.username);
    await page.locator(`${QUICK_WIDGET} .monaco-list-row`, { hasText: 'Trust a CA certificate file…' }).waitFor({ state: 'visible' });
    await screenshot(page, 'add-connection-tls.png');
    await pick(page, 'Trust a CA certificate file…');
    await chooseFile(page, 'Trust this CA', path.join(TLS_DIR, 'ca-cert.pem'));
    await pick(page, 'Client certificate (PKCS#12 .pfx / .p12)…');
    await chooseFile(page, 'Use this certificate', path.join(TLS_DIR, 'client.pfx'));
    await pick(page, 'Workspace settings');
    await enterText(page, "Stored only in VS Code's secret storage", demo.ACCOUNTS.datarhei.password);

    const settingsFile = path.join(demo.workspaceDir, '.vscode', 'settings.json');
    const entry = await until('the new settings entry', () =>
      JSON.parse(fs.readFileSync(settingsFile, 'utf8'))['authExplorer.connections'].find((c) => c.label === LABEL),
    );
    assert.deepEqual(entry.tls, { caFile: path.join(TLS_DIR, 'ca-cert.pem'), pfxFile: path.join(TLS_DIR, 'client.pfx') });
    assert.ok(!fs.readFileSync(settingsFile, 'utf8').includes(PASSPHRASE));

    await runCommand(page, 'API Auth: Login', { then: (o) => pick(page, LABEL, { filter: 'mutual', ...o }) });
    const title = page.locator(`${QUICK_WIDGET} .quick-input-title`, { hasText: `Passphrase of the client certificate for ${LABEL}` });
    await title.waitFor({ state: 'visible' });
    await screenshot(page, 'client-certificate-passphrase.png');
    await page.locator(QUICK_INPUT).fill(PASSPHRASE);
    await page.locator(QUICK_INPUT).press('Enter');
    const state = await waitLoggedIn(page, LABEL);
    assert.match(state, /left$/, state);
    await screenshot(page, 'client-certificate-logged-in.png');
  });
});

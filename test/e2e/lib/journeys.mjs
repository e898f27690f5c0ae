// The journeys' building blocks (re-exported by ../lib.mjs): the status bar, logging in through the palette,
// the Token Details webview, JWTs and the clipboard.
import { STATUS_ITEM, until } from './base.mjs';
import { answerInputBox, pick, runCommand } from './quickpick.mjs';
import { connectionDescription, waitLoggedIn } from './tree.mjs';
import { answerNotification, openApiAuthView } from './workbench.mjs';

/** The status-bar countdown text ("datarhei Core: 09:58"), without the icon. */
export async function statusText(page) {
  return (await page.locator(STATUS_ITEM).innerText()).trim();
}

/**
 * F1 → API Auth: Login → pick the connection → type its password (→ two-factor code) → Enter. `atCodePrompt` runs
 * while the two-factor prompt is up and still empty (a screenshot must never show a code: it is a secret).
 */
export async function loginViaPalette(page, label, secret, { totp, store = 'Not Now', atCodePrompt } = {}) {
  await runCommand(page, 'API Auth: Login', { then: (o) => pick(page, label, { filter: label, ...o }) });
  await answerInputBox(page, `Log in to ${label}`, secret);
  // The code is generated as it is typed, after the hook: as fresh as a person's.
  if (totp) await answerInputBox(page, `${label}: two-factor code`, totp, { beforeType: atCodePrompt });
  const state = await waitLoggedIn(page, label);
  if (store) await answerNotification(page, `Logged in to "${label}"`, store);
  return state;
}

/** Logs in unless the tree already shows the connection logged in (lets a journey run on its own). */
export async function ensureLoggedIn(page, demo, label, options) {
  await openApiAuthView(page);
  const d = await connectionDescription(page, label);
  if (/left$/.test(d)) return d;
  const conn = demo.connections.find((c) => c.label === label);
  if (!conn) throw new Error(`no demo connection "${label}"`);
  return loginViaPalette(page, label, demo.credentials[conn.id], options);
}

/** The content frame of the newest webview (Token Details). */
export function webviewFrame(page, index = -1) {
  const frames = page.frameLocator('iframe.webview');
  return (index === -1 ? frames.last() : frames.nth(index)).frameLocator('#active-frame');
}

/** The content frame of the Token Details webview titled with `label` (several may be open). */
export async function tokenDetailsFrame(page, label) {
  const frame = await until(`the Token Details of "${label}"`, async () => {
    const n = await page.locator('iframe.webview').count();
    for (let i = n - 1; i >= 0; i--) {
      const f = webviewFrame(page, i);
      const visible = await page.locator('iframe.webview').nth(i).isVisible();
      if (!visible) continue;
      const title = await f
        .locator('#label')
        .innerText({ timeout: 500 })
        .catch(() => '');
      if (title === label) return f;
    }
    return false;
  });
  return frame;
}

/** Decodes the payload of a JWT (no verification: the test only reads it). */
export function jwtPayload(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error(`not a JWT (${parts.length} parts)`);
  return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
}

/** The clipboard of the browser (permissions granted by the runner). */
export async function readClipboard(page) {
  return page.evaluate(() => globalThis.navigator.clipboard.readText());
}

export async function writeClipboard(page, text) {
  await page.evaluate((t) => globalThis.navigator.clipboard.writeText(t), text);
}

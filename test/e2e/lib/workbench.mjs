// The workbench around the journeys (re-exported by ../lib.mjs): layout, the API Auth view, screenshots,
// and answering notifications.
/* global document, window, MutationObserver */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACTIVITY_ENTRY, CONNECTIONS_LIST, ctx, exactly, ROOT, SCREENSHOTS_DIR } from './base.mjs';

/** Waits until the workbench is up with its activity bar, then makes the layout screenshot-ready. */
export async function prepareWorkbench(page, { sidebarWidth = 470, settleMs = 0 } = {}) {
  await page.locator('.monaco-workbench').first().waitFor({ timeout: 60_000 });
  await page.locator(ACTIVITY_ENTRY).waitFor({ timeout: 60_000 });
  await closeSecondarySideBar(page);
  // Time for VS Code to finish starting its own extensions, when the first click is to be timed.
  if (settleMs) await page.waitForTimeout(settleMs);
  const firstView = await timeViewFill(page, ACTIVITY_ENTRY, CONNECTIONS_LIST);
  await openApiAuthView(page);
  await setSidebarWidth(page, sidebarWidth);
  return { firstView };
}

/**
 * Clicks an activity-bar entry and returns `{ ms, downAt, shownAt }`: the milliseconds from the click (pointerdown,
 * the browser's own clock) to the first change after which the view's list shows a top-level row, and both moments
 * as epoch milliseconds; null when that list was showing already.
 * With the extension not yet active, this is what a person waits on the first command: VS Code starts the
 * extension, it activates, the tree answers, the workbench draws the rows.
 */
export async function timeViewFill(page, entrySelector, listSelector) {
  if (
    await page
      .locator(listSelector)
      .isVisible()
      .catch(() => false)
  )
    return null;
  const row = `${listSelector} .monaco-list-row[aria-level="1"]`;
  await page.locator(entrySelector).waitFor();
  await page.evaluate((rowSelector) => {
    const t = {};
    window.__viewFill = t;
    const shown = () => [...document.querySelectorAll(rowSelector)].some((r) => r.checkVisibility());
    const down = () => {
      t.down ??= performance.now();
      t.downAt ??= Date.now();
    };
    document.addEventListener('pointerdown', down, { capture: true, once: true });
    // Rows are added (first time) or their pane is unhidden (later): both are mutations under the workbench.
    const watch = new MutationObserver(() => {
      if (t.down === undefined || !shown()) return;
      t.filled = performance.now();
      t.shownAt = Date.now();
      watch.disconnect();
    });
    watch.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['class', 'style'] });
  }, row);
  await page.locator(entrySelector).click();
  await page.locator(row).first().waitFor();
  const t = await page.evaluate(() => window.__viewFill);
  return typeof t?.filled === 'number' && typeof t.down === 'number' ? { ms: t.filled - t.down, downAt: t.downAt, shownAt: t.shownAt } : null;
}

/** VS Code 1.139 may open the Chat panel in the secondary side bar: close it with its title-bar toggle. */
export async function closeSecondarySideBar(page) {
  const aux = page.locator('.part.auxiliarybar');
  if (!(await aux.isVisible().catch(() => false))) return;
  const toggle = page.locator('.titlebar .action-label[aria-label^="Toggle Secondary Side Bar"]');
  if (await toggle.isVisible().catch(() => false)) await toggle.click();
  else await page.keyboard.press('Control+Alt+B');
  await aux.waitFor({ state: 'hidden' });
}

/** Drags the side bar's sash so that tree descriptions are not cut off. */
export async function setSidebarWidth(page, width) {
  const sidebar = page.locator('.part.sidebar');
  const box = await sidebar.boundingBox();
  if (!box || Math.abs(box.width - width) < 4) return;
  const sash = await page.locator('.monaco-sash.primary-sidebar-sash').boundingBox();
  if (!sash) return;
  const y = sash.y + sash.height / 2;
  const x = sash.x + sash.width / 2;
  const target = x + (width - box.width);
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move((x + target) / 2, y, { steps: 4 });
  await page.mouse.move(target, y, { steps: 4 });
  await page.mouse.up();
  await restMouse(page);
}

/** Moves the mouse to an empty editor spot so that no hover is left open (before screenshots and clicks). */
export async function restMouse(page) {
  const editor = await page.locator('.part.editor').boundingBox();
  if (editor) await page.mouse.move(editor.x + editor.width - 40, editor.y + editor.height - 40);
  await page
    .locator('.monaco-hover.workbench-hover')
    .first()
    .waitFor({ state: 'hidden', timeout: 3000 })
    .catch(() => {});
}

/** Shows the API Auth view container (a click on an already active entry would close the side bar). */
export async function openApiAuthView(page) {
  const list = page.locator(CONNECTIONS_LIST);
  if (!(await list.isVisible().catch(() => false))) await page.locator(ACTIVITY_ENTRY).click();
  await list.waitFor({ state: 'visible' });
  return list;
}

/** Saves a full-window screenshot into SCREENSHOTS_DIR. */
export async function screenshot(page, name, { keepHover = false } = {}) {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  if (!keepHover) await restMouse(page);
  const file = path.join(SCREENSHOTS_DIR, name);
  await page.screenshot({ path: file });
  ctx.log(`      [screenshot] ${path.relative(ROOT, file)}`);
  return file;
}

// ---------------------------------------------------------------------------------------------------- notifications

/**
 * Answers the notification whose message contains `text` by clicking `button`. Works with a toast, and with the
 * notification center (the workbench does not show toasts when it runs with the smoke-test driver: then the
 * bell shows a dot and a person opens the center).
 */
export async function answerNotification(page, text, button, { timeoutMs = 15_000 } = {}) {
  const toastButton = page.locator('.notification-toast', { hasText: text }).locator('.monaco-button', { hasText: exactly(button) });
  const bellDot = page.locator('[id="status.notifications"] .codicon-bell-dot');
  const center = page.locator('.notifications-center.visible');
  await toastButton.or(bellDot).or(center).first().waitFor({ state: 'visible', timeout: timeoutMs });
  if (await toastButton.isVisible()) {
    await toastButton.click();
    return 'toast';
  }
  if (!(await center.isVisible())) {
    await page.locator('[id="status.notifications"]').click();
    await restMouse(page); // the bell's hover would cover the buttons
  }
  const item = center.locator('.notification-list-item', { hasText: text });
  await item.first().waitFor({ state: 'visible', timeout: timeoutMs });
  await item
    .first()
    .locator('.monaco-button', { hasText: exactly(button) })
    .click();
  await item
    .first()
    .waitFor({ state: 'detached', timeout: timeoutMs })
    .catch(() => {});
  if (await center.isVisible()) await center.locator('.codicon-notifications-hide').click();
  await center.waitFor({ state: 'hidden' });
  return 'center';
}

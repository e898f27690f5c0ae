// Shared state and UI helpers of the end-to-end journeys (test/e2e/*.test.mjs), run by scripts/e2e/run.mjs.
// The journeys drive the real workbench in the browser like a person: mouse and keyboard only, reading the DOM;
// they never call extension APIs. The runner fills `ctx` before mocha loads the test files.
/* global document, MutationObserver, Element */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * Where the journeys save their screenshots: test-results/e2e/screenshots (git-ignored, cleared by each run), so
 * that a test run never rewrites tracked files. `npm run screenshots` sets API_AUTH_SCREENSHOTS_DIR=docs/screenshots
 * to refresh the README's images on purpose.
 */
export const SCREENSHOTS_DIR = process.env.API_AUTH_SCREENSHOTS_DIR
  ? path.resolve(ROOT, process.env.API_AUTH_SCREENSHOTS_DIR)
  : path.join(ROOT, 'test-results', 'e2e', 'screenshots');

/**
 * Filled by scripts/e2e/run.mjs.
 * @type {{
 *   page: import('playwright-core').Page,
 *   context: import('playwright-core').BrowserContext,
 *   demo: Awaited<ReturnType<typeof import('../../scripts/demo.mjs').startDemo>>,
 *   vsix: { path?: string, error?: Error },
 *   addCleanup: (fn: () => unknown) => void,
 *   log: (line: string) => void,
 *   stopping: boolean,
 *   retries: Array<{ title: string, reason: string }>,
 * }}
 */
export const ctx = /** @type {any} */ ({ vsix: {}, addCleanup: () => {}, log: (l) => console.log(l), stopping: false, retries: [] });

/** Throws when the runner is stopping (interrupt, timeout): a journey must not start servers then. */
export function checkNotStopping() {
  if (ctx.stopping) throw new Error('the e2e run is stopping');
}

// ---------------------------------------------------------------------------------------------------- selectors

export const QUICK_INPUT = '.quick-input-widget .quick-input-box input';
export const QUICK_WIDGET = '.quick-input-widget';
export const CONNECTIONS_LIST = '.monaco-list[aria-label="Connections"]';
export const STATUS_ITEM = '.statusbar-item[id="api-auth-explorer.api-auth-explorer.authExplorer.status"]';
export const ACTIVITY_ENTRY = '.activitybar a[aria-label^="API Auth"]';
/** "mm:ss" or "h:mm:ss" */
export const COUNTDOWN_RE = /\b(?:\d+:)?\d{2}:\d{2}\b/;

export function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Text that is exactly `s` (give or take surrounding whitespace). */
export function exactly(s) {
  return new RegExp(`^\\s*${escapeRe(s)}\\s*$`);
}

// ---------------------------------------------------------------------------------------------------- waiting

/** Polls fn until it returns a truthy value; throws with `what` after timeoutMs. */
export async function until(what, fn, { timeoutMs = 15_000, intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err instanceof Error ? err.message.split('\n')[0] : String(err);
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last !== undefined ? ` (last: ${JSON.stringify(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// ---------------------------------------------------------------------------------------------------- workbench

/** Waits until the workbench is up with its activity bar, then makes the layout screenshot-ready. */
export async function prepareWorkbench(page, { sidebarWidth = 470 } = {}) {
  await page.locator('.monaco-workbench').first().waitFor({ timeout: 60_000 });
  await page.locator(ACTIVITY_ENTRY).waitFor({ timeout: 60_000 });
  await closeSecondarySideBar(page);
  await openApiAuthView(page);
  await setSidebarWidth(page, sidebarWidth);
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

// ---------------------------------------------------------------------------------------------------- quick input

/**
 * Watches the quick input in the page (installed once per page): every time the widget shows or hides, and where
 * the focus went whenever it left the widget. runCommand reads this log to tell the one race it may retry from a
 * real failure.
 */
async function watchQuickInput(page) {
  await page.evaluate(() => {
    if (globalThis.__aaeQuickInput) return;
    const events = [];
    const push = (e) => {
      events.push({ t: performance.now(), ...e });
      if (events.length > 200) events.shift();
    };
    const describe = (el) => {
      if (!el) return 'nothing';
      const where = el.closest('.part.sidebar')
        ? 'side bar'
        : el.closest('.quick-input-widget')
          ? 'quick input'
          : el.closest('.part.editor')
            ? 'editor'
            : 'workbench';
      return `${where}: ${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList]
        .slice(0, 2)
        .map((c) => `.${c}`)
        .join('')}`;
    };
    let visible = false;
    const check = () => {
      const w = document.querySelector('.quick-input-widget');
      const v = !!w && w.checkVisibility();
      if (v === visible) return;
      visible = v;
      push({ kind: v ? 'show' : 'hide' });
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['style', 'class'] });
    check();
    // Where the focus goes when it leaves the quick input (the widget hides on blur).
    document.addEventListener(
      'focusout',
      (e) => {
        if (!(e.target instanceof Element) || !e.target.closest('.quick-input-widget')) return;
        const to = e.relatedTarget instanceof Element ? e.relatedTarget : null;
        if (to?.closest('.quick-input-widget')) return;
        // Still open when the focus left: the focus was taken from it (and the widget closes because of that).
        // A widget that is closed on purpose (Enter, Escape, a click on a row, hide()) is already inert and
        // `quick-input-widget-closing` when it gives the focus back.
        const w = document.querySelector('.quick-input-widget');
        const open = !!w && w.checkVisibility() && !w.inert && !w.classList.contains('quick-input-widget-closing');
        push({ kind: 'blur', to: describe(to), toSideBar: !!to?.closest('.part.sidebar'), whileOpen: open });
      },
      true,
    );
    globalThis.__aaeQuickInput = {
      events,
      now: () => performance.now(),
      focus: () => describe(document.activeElement),
      visible: () => !!document.querySelector('.quick-input-widget')?.checkVisibility(),
    };
  });
}

/**
 * Is `err` the known VS Code race, and nothing else? The command's quick pick (the palette, or the first prompt of
 * the command) closed by itself right as it opened because the focus was still returning to the side bar: after
 * `since` (our last action that closes a quick pick on purpose: F1, or the click on the palette's row), the side bar
 * took the focus from the open widget, and the widget then hid; the step that failed was a Playwright wait on the
 * quick input (timed out: inert / not visible); the widget is hidden now. Returns what happened, or null.
 */
async function quickPickClosedOnOpen(page, err, since) {
  if (!(err instanceof Error) || err.name !== 'TimeoutError' || !/quick-input/.test(err.message)) return null;
  const seen = await page
    .evaluate((t0) => {
      const q = globalThis.__aaeQuickInput;
      return q ? { events: q.events.filter((e) => e.t >= t0), visible: q.visible(), focus: q.focus() } : null;
    }, since)
    .catch(() => null);
  if (!seen || seen.visible) return null;
  // The focus taken from the open widget by the side bar, then the widget hidden: in that order, after the mark.
  const taken = seen.events.findIndex((e) => e.kind === 'blur' && e.whileOpen && (e.toSideBar || (e.to === 'nothing' && seen.focus.startsWith('side bar'))));
  if (taken < 0 || !seen.events.slice(taken + 1).some((e) => e.kind === 'hide')) return null;
  const to = seen.events[taken].to;
  return `the quick pick lost the focus to the ${to !== 'nothing' ? to : seen.focus} as it opened, and closed`;
}

/**
 * F1, type the command's title, pick it; then `then` (the command's first prompt). Retried (up to three attempts)
 * only for the VS Code race described at quickPickClosedOnOpen; any other error fails at once. Every retry is
 * recorded in ctx.retries and reported in the run's summary line.
 */
export async function runCommand(page, title, { then } = {}) {
  const input = page.locator(QUICK_INPUT);
  await watchQuickInput(page);
  // Focus in a webview can come back late and close a quick pick that just opened (the next one the command shows,
  // too): start from the side bar (Ctrl+0, "Focus into Primary Side Bar").
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape'); // nothing half-open in the way
    await page.keyboard.press('Control+0');
    // From inside a webview the key travels through the webview's message channel: wait until it arrived.
    await until('the focus in the side bar', () => page.evaluate(() => !!document.activeElement?.closest('.part.sidebar')), {
      timeoutMs: 2000,
      intervalMs: 50,
    }).catch(() => {});
    const now = () => page.evaluate(() => globalThis.__aaeQuickInput.now());
    // The time of our last action that closes a quick pick on purpose (here: F1 replaces anything open).
    let mark = await now();
    await page.keyboard.press('F1');
    try {
      await input.fill(`>${title}`, { timeout: 4000 });
      const beforeAccept = await now();
      await acceptRow(page, quickPickRow(page, title), { timeout: 4000 });
      mark = beforeAccept; // the palette closed because we picked the command
      if (then) await then({ timeout: 4000 });
      return;
    } catch (err) {
      const race = attempt < 3 ? await quickPickClosedOnOpen(page, err, mark) : null;
      if (!race) throw err;
      ctx.retries.push({ title, reason: 'quick pick closed on open' });
      ctx.log(`      (retry ${attempt}: running "${title}" again: ${race})`);
    }
  }
}

/** The row of the open quick pick whose label is exactly `label` (icons aside). */
export function quickPickRow(page, label) {
  return page
    .locator(`${QUICK_WIDGET} .monaco-list-row`)
    .filter({ has: page.locator('.label-name', { hasText: exactly(label) }) })
    .first();
}

/**
 * Picks `row` of the open quick pick with the keyboard, as a person does after typing a filter: arrow keys until the
 * row is the list's focused one, then Enter. Not a click: the mouse left over the list from the step before makes
 * VS Code open a hover on the row under it (e.g. its description), and the hover takes the click.
 */
export async function acceptRow(page, row, { timeout } = {}) {
  const input = page.locator(QUICK_INPUT);
  await row.waitFor({ state: 'visible', timeout });
  const total = await page.locator(`${QUICK_WIDGET} .monaco-list-row`).count();
  for (let moves = 0; !(await row.evaluate((el) => el.classList.contains('focused'), undefined, { timeout })); moves++) {
    if (moves > total) throw new Error(`the quick pick row "${(await row.innerText({ timeout })).split('\n')[0]}" did not get the focus with the arrow keys`);
    await input.press('ArrowDown', { timeout });
  }
  await input.press('Enter', { timeout });
}

/** Waits for the open quick pick, types `filter` (optional), picks the row `label` (see acceptRow). */
export async function pick(page, label, { filter, timeout } = {}) {
  const input = page.locator(QUICK_INPUT);
  await input.waitFor({ state: 'visible', timeout });
  if (filter !== undefined) await input.fill(filter, { timeout });
  await acceptRow(page, quickPickRow(page, label), { timeout });
}

/** Waits for the input box whose title contains `title`, types `text`, presses Enter (unless enter is false). */
export async function answerInputBox(page, title, text, { enter = true, beforeType } = {}) {
  const widget = page.locator(QUICK_WIDGET);
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible' });
  const input = page.locator(QUICK_INPUT);
  await beforeType?.();
  await input.focus();
  await page.keyboard.type(typeof text === 'function' ? text() : text);
  if (enter) {
    await input.press('Enter');
    await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'hidden' });
  }
}

// ---------------------------------------------------------------------------------------------------- the tree

/** The top-level row of a connection in the Connections view. */
export function connectionRow(page, label) {
  return page.locator(`${CONNECTIONS_LIST} .monaco-list-row[aria-level="1"]`).filter({ has: page.locator('.label-name', { hasText: exactly(label) }) });
}

/** Its description, e.g. "datarhei Core · 09:58 left" or "Code42 · not logged in". */
export async function connectionDescription(page, label) {
  return (await connectionRow(page, label).locator('.label-description').innerText()).trim();
}

/** Waits until the connection's row says it is logged in with a countdown ("… mm:ss left"); returns the text. */
export async function waitLoggedIn(page, label, { timeoutMs = 20_000 } = {}) {
  return until(
    `"${label}" to show "… left" in the tree`,
    async () => {
      const d = await connectionDescription(page, label);
      if (/error/.test(d)) throw new Error(`"${label}": ${d}`);
      return /\d{2}:\d{2} left$/.test(d) ? d : false;
    },
    { timeoutMs },
  );
}

/**
 * Expands (or leaves expanded) a row and waits until its children are rendered (they load asynchronously). A row
 * under a connection that counts down is re-rendered every second with its parent (VS Code refreshes a tree element
 * with its children), and a click that lands in that moment is lost: as a person would, the twistie is clicked again
 * when the row is still collapsed a second later.
 */
export async function expand(page, row) {
  let clickedAt = 0;
  const clickIfCollapsed = async () => {
    if ((await row.getAttribute('aria-expanded')) === 'true' || Date.now() - clickedAt < 1000) return;
    await row.locator('.monaco-tl-twistie').click();
    clickedAt = Date.now();
  };
  await clickIfCollapsed();
  await until('the row to expand and show its children', async () => {
    await clickIfCollapsed();
    return row.evaluate((el) => {
      if (el.getAttribute('aria-expanded') !== 'true') return false;
      const next = el.parentElement?.querySelector(`.monaco-list-row[data-index="${Number(el.dataset.index) + 1}"]`);
      return !!next && Number(next.getAttribute('aria-level')) > Number(el.getAttribute('aria-level'));
    });
  });
  return row;
}

/** The rendered rows under an expanded row (all deeper levels), in order: `{ index, level, label, description }`. */
export async function descendants(row) {
  return row.evaluate((el) => {
    const rows = [...(el.parentElement?.querySelectorAll('.monaco-list-row') ?? [])].sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
    const level = Number(el.getAttribute('aria-level'));
    const out = [];
    for (const r of rows.slice(rows.indexOf(el) + 1)) {
      const l = Number(r.getAttribute('aria-level'));
      if (l <= level) break;
      out.push({
        index: Number(r.dataset.index),
        level: l,
        label: r.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: r.querySelector('.label-description')?.textContent?.trim() ?? '',
      });
    }
    return out;
  });
}

/** The row directly under an expanded `row` labelled `label` (throws when there is none). */
export async function childRow(page, row, label) {
  const level = Number(await row.getAttribute('aria-level'));
  const child = (await descendants(row)).find((d) => d.level === level + 1 && d.label === label);
  if (!child) throw new Error(`no row "${label}" under "${await row.locator('.label-name').innerText()}"`);
  return page.locator(`${CONNECTIONS_LIST} .monaco-list-row[data-index="${child.index}"]`);
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

// ---------------------------------------------------------------------------------------------------- journeys' building blocks

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

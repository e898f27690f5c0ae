// The command palette, quick picks and input boxes (re-exported by ../lib.mjs), with runCommand's one retry.
/* global document, MutationObserver, Element */
import { ctx, exactly, QUICK_INPUT, QUICK_WIDGET, until } from './base.mjs';

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

// Guard of runCommand's one retry (test/e2e/lib.mjs): it may run a command again only when VS Code's race closed the
// command's quick pick as it opened (the side bar took the focus from the open widget). The race is provoked here by
// moving the focus from inside the page, and so are its look-alikes, which must fail at once: a quick pick closed on
// purpose (the focus given back to the side bar by the closing widget), the focus taken by something else, a command
// that does not exist. The retries provoked here are taken off ctx.retries: the summary line counts the journeys'.
/* global describe, it, afterEach, document, KeyboardEvent, MutationObserver */
import * as assert from 'node:assert/strict';
import { ctx, openApiAuthView, pick, runCommand, until } from './lib.mjs';

const LABEL = 'Code42';

/**
 * The next time the quick input opens (showing a placeholder that contains `placeholder`, when given), `action`
 * runs in the page right after the task that opened it — before the test's next step can reach the page:
 * 'sideBar' focuses the side bar's list (the race), 'statusBar' focuses a status-bar item, 'close' sends Escape to
 * the widget (it closes itself and gives the focus back). `globalThis.__aaeGuardFired` says when it ran.
 */
async function arm(page, action, { placeholder } = {}) {
  await page.evaluate(
    ({ action, placeholder }) => {
      globalThis.__aaeGuard?.disconnect();
      globalThis.__aaeGuardFired = false;
      const openNow = () => {
        const w = document.querySelector('.quick-input-widget');
        return !!w?.checkVisibility() && !w.classList.contains('quick-input-widget-closing');
      };
      let wasOpen = openNow();
      const observer = new MutationObserver(() => {
        const open = openNow();
        const text = document.querySelector('.quick-input-widget .quick-input-box input')?.getAttribute('placeholder') ?? '';
        const hit = placeholder ? open && text.includes(placeholder) : open && !wasOpen;
        wasOpen = open;
        if (!hit) return;
        observer.disconnect();
        setTimeout(() => {
          if (action === 'sideBar') document.querySelector('.part.sidebar .monaco-list')?.focus();
          if (action === 'statusBar') document.querySelector('.part.statusbar a')?.focus();
          if (action === 'close') {
            const input = document.querySelector('.quick-input-widget .quick-input-box input');
            input?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', keyCode: 27, bubbles: true }));
          }
          globalThis.__aaeGuardFired = true;
        }, 0);
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['style', 'class', 'placeholder'] });
      globalThis.__aaeGuard = observer;
    },
    { action, placeholder },
  );
}

/** Show Token Details for LABEL; the first prompt is answered only once the armed action ran (the first time). */
async function showDetailsAfterArmed() {
  let waited = false;
  await runCommand(ctx.page, 'API Auth: Show Token Details', {
    then: async (o) => {
      if (!waited) {
        waited = true;
        await until('the armed action', () => ctx.page.evaluate(() => globalThis.__aaeGuardFired), { timeoutMs: 5000, intervalMs: 20 });
      }
      return pick(ctx.page, LABEL, { filter: LABEL, ...o });
    },
  });
}

/**
 * Runs `provoke` until VS Code's race happened once: on a loaded machine the widget can outlive the focus move (then
 * there was no race and nothing to retry). Returns how many retries the attempt that raced made (it must be 1).
 */
async function retriesOfFirstRace(provoke) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const start = ctx.retries.length;
    await provoke();
    const made = ctx.retries.length - start;
    if (made > 0) return made;
    await ctx.page.keyboard.press('Escape');
  }
  return 0;
}

describe('runCommand retries only the quick pick that closed on open', () => {
  let before = 0;
  const provoked = () => ctx.retries.length - before;

  afterEach(async () => {
    await ctx.page.evaluate(() => globalThis.__aaeGuard?.disconnect()).catch(() => {});
    ctx.retries.splice(before);
    await ctx.page.keyboard.press('Escape');
  });

  it('runs the command again when the side bar takes the focus from the palette as it opens', async () => {
    await openApiAuthView(ctx.page);
    before = ctx.retries.length;
    const made = await retriesOfFirstRace(async () => {
      await ctx.page.keyboard.press('Escape');
      await arm(ctx.page, 'sideBar');
      await runCommand(ctx.page, 'View: Close All Editors');
    });
    assert.equal(made, 1);
  });

  it('runs the command again when the side bar takes the focus from its first prompt', async () => {
    before = ctx.retries.length;
    const made = await retriesOfFirstRace(async () => {
      await arm(ctx.page, 'sideBar', { placeholder: 'which connection' });
      await showDetailsAfterArmed();
    });
    assert.equal(made, 1);
  });

  it('fails at once when the first prompt closes itself (the focus given back to the side bar)', async () => {
    before = ctx.retries.length;
    await arm(ctx.page, 'close', { placeholder: 'which connection' });
    await assert.rejects(showDetailsAfterArmed(), { name: 'TimeoutError' });
    assert.equal(provoked(), 0);
  });

  it('fails at once when something other than the side bar takes the focus', async () => {
    before = ctx.retries.length;
    await ctx.page.keyboard.press('Escape');
    await arm(ctx.page, 'statusBar');
    await assert.rejects(runCommand(ctx.page, 'View: Close All Editors'), { name: 'TimeoutError' });
    assert.equal(provoked(), 0);
  });

  it('fails at once on a command that does not exist', async () => {
    before = ctx.retries.length;
    await assert.rejects(runCommand(ctx.page, 'API Auth: No Such Command'), { name: 'TimeoutError' });
    assert.equal(provoked(), 0);
  });
});

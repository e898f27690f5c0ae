// Journey: log in to Cove, open its Token Details, "API Auth: Send Request…" → EnumeratePartners; the response opens
// (HTTP 200) and the token history in the webview grows by the call (Cove renews the visa on every call).
/* global describe, it, before */
import * as assert from 'node:assert/strict';
import { ctx, ensureLoggedIn, pick, runCommand, screenshot, tokenDetailsFrame, until } from './lib.mjs';

const LABEL = 'Cove (Acme)';

describe('Send Request (Cove)', () => {
  before(async () => {
    await ensureLoggedIn(ctx.page, ctx.demo, LABEL, { store: 'Store' });
  });

  it('sends EnumeratePartners, shows HTTP 200, and the history grows', async () => {
    const { page } = ctx;
    // A clean editor area: only Cove's details and the response.
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.part.editor .tab').first().waitFor({ state: 'detached' });

    await runCommand(page, 'API Auth: Show Token Details', { then: (o) => pick(page, LABEL, { filter: 'Cove', ...o }) });
    const frame = await tokenDetailsFrame(page, LABEL);
    const history = frame.locator('#history li[data-event]');
    await history.first().waitFor();
    const before = await history.count();
    assert.ok(before >= 1, 'at least the login');
    assert.equal(await history.last().getAttribute('data-event'), 'login');

    // The webview that just opened may take the focus back late, which closes the connection pick.
    await runCommand(page, 'API Auth: Send Request…', { then: (o) => pick(page, LABEL, { filter: 'Cove', ...o }) });
    await pick(page, 'EnumeratePartners');
    const response = page.locator('.part.editor .editor-instance .view-lines', { hasText: 'EnumeratePartners' });
    await response.first().waitFor({ timeout: 20_000 });
    const text = (await response.first().innerText()).replace(/\u00a0/g, ' '); // the editor renders spaces as NBSP
    assert.match(text, /Cove \(Acme\) — EnumeratePartners/);
    assert.match(text, /HTTP 200\b/);
    await page.locator('.part.editor .tab[aria-label*="EnumeratePartners"]').first().waitFor();

    const after = await until('the history to grow', async () => {
      const n = await history.count();
      return n > before && n;
    });
    assert.ok(after >= 2, `history has ${after} entries`);
    assert.equal(await history.first().getAttribute('data-event'), 'call', 'the newest entry is the call');
    // Scroll the details down to the timeline for the screenshot: login, then the call that renewed the visa.
    await frame.locator('#history-section').scrollIntoViewIfNeeded();
    await screenshot(page, 'send-request.png');
  });
});

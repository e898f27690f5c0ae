// Journey: with several sessions live, expand connections in the tree to see token, expiry, claims and history;
// hover the status-bar countdown to see every live session. Takes the README's tree and status-bar screenshots.
/* global describe, it, before */
import * as assert from 'node:assert/strict';
import { childRow, connectionRow, ctx, descendants, ensureLoggedIn, expand, openApiAuthView, restMouse, screenshot, STATUS_ITEM } from './lib.mjs';

describe('Connections tree with live sessions', () => {
  before(async () => {
    const { page, demo } = ctx;
    await ensureLoggedIn(page, demo, 'datarhei Core', { store: 'Not Now' });
    await ensureLoggedIn(page, demo, 'Cove (Acme)', { store: 'Not Now' });
  });

  it('expands a session into token, expiry, claims and history', async () => {
    const { page } = ctx;
    await openApiAuthView(page);

    const datarhei = await expand(page, connectionRow(page, 'datarhei Core'));
    const rows = await descendants(datarhei);
    const labels = rows.filter((r) => r.level === 2).map((r) => r.label);
    assert.deepEqual(labels, ['Token', 'User', 'Expires', 'Refresh token', 'Claims', 'Refresh token claims', 'History']);
    const desc = (label) => rows.find((r) => r.level === 2 && r.label === label).description;
    assert.match(desc('Token'), /^eyJ\S*…\S+$/, 'the token is masked');
    assert.match(desc('Expires'), /· \d{2}:\d{2} left$/);
    assert.equal(desc('History'), '1');

    const claims = await descendants(await expand(page, await childRow(page, datarhei, 'Claims')));
    const claim = (name) => claims.find((c) => c.label === name)?.description ?? '';
    assert.match(claim('exi'), /^600 — 10 min/);
    assert.match(claim('usefor'), /"access"/);
    assert.match(claim('exp'), /^\d+ — /);
    const history = await descendants(await expand(page, await childRow(page, datarhei, 'History')));
    assert.equal(history.length, 1);
    assert.match(history[0].description, /^login · eyJ/);

    const cove = await expand(page, connectionRow(page, 'Cove (Acme)'));
    const visaChain = await expand(page, await childRow(page, cove, 'Visa chain'));
    // Newest first: the EnumeratePartners call of the Send Request journey (when it ran), then the login.
    const visas = await descendants(visaChain);
    assert.equal(visas.length, Number(await visaChain.locator('.label-description').innerText()), 'one row per visa of the chain');
    assert.match(visas.at(-1).description, /^login · /, JSON.stringify(visas));
    // Escape clears the tree's selection: no focus outline on a row in the screenshot.
    await page.keyboard.press('Escape');
    await screenshot(page, 'tree.png');
  });

  it('a row keeps its hover open while other rows count down, and the Expires row keeps counting', async () => {
    const { page } = ctx;
    await openApiAuthView(page);
    await restMouse(page);
    const expires = await childRow(page, await expand(page, connectionRow(page, 'datarhei Core')), 'Expires');
    const first = await expires.locator('.label-description').innerText();
    await connectionRow(page, 'Commvault (JSON)').locator('.label-name').hover();
    const hover = page.locator('.monaco-hover', { hasText: 'Commvault / SnapProtect' });
    await hover.first().waitFor({ state: 'visible' });
    // Over two ticks of the countdown: the tree refreshes the counting rows only, not the hovered one.
    await page.waitForTimeout(2200);
    assert.ok(await hover.first().isVisible(), 'the hover is still open after two ticks');
    assert.notEqual(await expires.locator('.label-description').innerText(), first, 'the Expires row counted down meanwhile');
    await restMouse(page);
  });

  it('the status-bar item tells every live session on hover', async () => {
    const { page, demo } = ctx;
    const item = page.locator(STATUS_ITEM);
    await item.hover();
    const hover = page.locator('.monaco-hover', { hasText: 'live sessions' });
    await hover.first().waitFor({ state: 'visible' });
    const text = await hover.first().innerText();
    for (const label of ['datarhei Core', 'Cove (Acme)']) assert.ok(text.includes(label), `${label} in the tooltip: ${text}`);
    assert.ok(!text.includes(demo.connections.find((c) => c.id === 'commvault-demo').label), 'only live sessions');
    await screenshot(page, 'status-bar.png', { keepHover: true });
  });
});

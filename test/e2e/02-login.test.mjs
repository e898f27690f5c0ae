// Journey: F1 → "API Auth: Login" → pick datarhei Core → type its password → Enter; the tree row turns logged in,
// the status bar counts down, and the "keep the password?" notification is answered.
/* global describe, it */
import * as assert from 'node:assert/strict';
import {
  answerInputBox,
  answerNotification,
  connectionDescription,
  COUNTDOWN_RE,
  ctx,
  openApiAuthView,
  pick,
  quickPickRow,
  runCommand,
  screenshot,
  STATUS_ITEM,
  statusText,
  waitLoggedIn,
} from './lib.mjs';

const LABEL = 'datarhei Core';

describe('Login from the command palette', () => {
  it('logs in to datarhei Core with the typed password', async () => {
    const { page, demo } = ctx;
    await openApiAuthView(page);
    assert.match(await connectionDescription(page, LABEL), /not logged in$/);
    await runCommand(page, 'API Auth: Login');
    // Every connection is offered, with its state.
    for (const c of demo.connections) await quickPickRow(page, c.label).waitFor({ state: 'attached' });
    await screenshot(page, 'login-palette.png');
    await pick(page, LABEL, { filter: 'datarhei' });
    await answerInputBox(page, `Log in to ${LABEL}`, demo.credentials['datarhei-demo']);
    const state = await waitLoggedIn(page, LABEL);
    assert.match(state, /^datarhei Core · (09:[0-5]\d|10:00) left$/, state);
    // After a typed password: "Keep the password in VS Code's secret storage?" → Store.
    await answerNotification(page, `Logged in to "${LABEL}"`, 'Store');
  });

  it('shows a live countdown in the status bar', async () => {
    const { page } = ctx;
    await page.locator(STATUS_ITEM).waitFor({ state: 'visible' });
    const first = await statusText(page);
    assert.match(first, new RegExp(`^${LABEL}: ${COUNTDOWN_RE.source}$`), first);
    // The one fixed wait of the suite: the countdown must move on its own.
    await new Promise((r) => setTimeout(r, 2200));
    const second = await statusText(page);
    assert.match(second, new RegExp(`^${LABEL}: ${COUNTDOWN_RE.source}$`), second);
    assert.notEqual(second, first, 'the countdown did not change in 2.2 s');
    const toSeconds = (t) =>
      t
        .match(COUNTDOWN_RE)[0]
        .split(':')
        .reduce((acc, n) => acc * 60 + Number(n), 0);
    const diff = toSeconds(first) - toSeconds(second);
    assert.ok(diff >= 1 && diff <= 4, `counted down ${diff} s in 2.2 s (${first} → ${second})`);
  });
});

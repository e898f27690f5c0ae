// Journey: "API Auth: Show Token Details" for datarhei Core; read the claims (exi, exp) and the countdown in the
// webview; copy the token (webview button and command) and check the clipboard against the revealed token.
/* global describe, it, before */
import * as assert from 'node:assert/strict';
import {
  COUNTDOWN_RE,
  ctx,
  ensureLoggedIn,
  jwtPayload,
  pick,
  quickPickRow,
  readClipboard,
  runCommand,
  screenshot,
  tokenDetailsFrame,
  until,
  writeClipboard,
} from './lib.mjs';

const LABEL = 'datarhei Core';

describe('Token Details (datarhei Core)', () => {
  /** @type {import('playwright-core').FrameLocator} */
  let frame;

  before(async () => {
    await ensureLoggedIn(ctx.page, ctx.demo, LABEL, { store: 'Not Now' });
  });

  it('shows exi (600 s = 10 min), exp (ISO time) and the time left', async () => {
    const { page } = ctx;
    await runCommand(page, 'API Auth: Show Token Details', { then: (o) => pick(page, LABEL, { filter: 'datarhei', ...o }) });
    frame = await tokenDetailsFrame(page, LABEL);
    const exi = frame.locator('#claims-table tr[data-claim="exi"]');
    await exi.waitFor();
    assert.equal((await exi.locator('td.value').innerText()).trim(), '600');
    assert.match(await exi.locator('td.time').innerText(), /10 min total lifetime/);

    const exp = frame.locator('#claims-table tr[data-claim="exp"]');
    const expValue = Number((await exp.locator('td.value').innerText()).trim());
    const iso = (await exp.locator('td.time .iso').innerText()).trim();
    assert.match(iso, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    assert.equal(new Date(iso).getTime(), expValue * 1000, 'the ISO time is the exp claim');
    const ahead = new Date(iso).getTime() - Date.now();
    assert.ok(ahead > 0 && ahead <= 600_000, `exp is ${Math.round(ahead / 1000)} s ahead, within the 10-minute lifetime`);

    const timeLeft = (await frame.locator('#time-left').innerText()).trim();
    assert.match(timeLeft, new RegExp(`^${COUNTDOWN_RE.source}$`));
    assert.equal(await frame.locator('#state').getAttribute('data-state'), 'loggedIn');
    assert.match(await frame.locator('#token-value').innerText(), /…/, 'the token is masked until revealed');
    await screenshot(page, 'token-details.png');
  });

  it('copies the token (webview button and command) and it is the revealed access JWT', async () => {
    const { page } = ctx;
    await writeClipboard(page, 'nothing copied yet');
    await frame.locator('#copy-token').click();
    const copied = await until('the token on the clipboard', async () => {
      const text = await readClipboard(page);
      return text !== 'nothing copied yet' && text;
    });
    const payload = jwtPayload(copied);
    assert.equal(payload.usefor, 'access');
    assert.equal(payload.sub, ctx.demo.ACCOUNTS.datarhei.username);

    await frame.locator('#reveal').click();
    await frame.locator('#token-value.revealed').waitFor();
    assert.equal((await frame.locator('#token-value').innerText()).trim(), copied, 'clipboard = revealed token');
    await frame.locator('#reveal').click(); // Hide again
    await frame.locator('#token-value:not(.revealed)').waitFor();

    await writeClipboard(page, 'nothing copied yet');
    await runCommand(page, 'API Auth: Copy Token');
    // With more than one live session it asks which; with one it copies at once.
    const row = quickPickRow(page, LABEL);
    const again = await until('the token on the clipboard', async () => {
      const text = await readClipboard(page);
      if (text !== 'nothing copied yet') return text;
      if (await row.isVisible()) await row.click();
      return false;
    });
    assert.equal(again, copied, '"API Auth: Copy Token" copies the same token');
  });
});

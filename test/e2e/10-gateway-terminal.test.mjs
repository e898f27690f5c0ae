// Journey: the auth gateway as a user meets it. Log in to datarhei Core, F1 → "API Auth: Start Gateway" (the status bar
// shows it), open an integrated terminal and there run curl against $API_AUTH_URL_DATARHEI_DEMO and `api-auth token`
// (the bin/ shim on PATH, VS Code's own runtime): the vendor's answer and the tree's token, with no login and no
// prompt. The terminal's environment, read back from the real shell, holds the gateway's URLs and no secret; the
// connection's Traffic node lists what went through (the curl call, the token the terminal took); "API Auth: Stop Gateway" closes the port.
/* global describe, it, before, after */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  childRow,
  connectionRow,
  ctx,
  descendants,
  ensureLoggedIn,
  expand,
  jwtPayload,
  quickPickRow,
  readClipboard,
  runCommand,
  screenshot,
  until,
  writeClipboard,
} from './lib.mjs';

const LABEL = 'datarhei Core';
const ID = 'datarhei-demo';
const GATEWAY_ITEM = '.statusbar-item[id="api-auth-explorer.api-auth-explorer.authExplorer.gateway"]';

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
  });
}

/** Types one shell line into the focused terminal and waits for the file it writes last. */
async function shell(page, line, doneFile) {
  await page.keyboard.type(line, { delay: 2 });
  await page.keyboard.press('Enter');
  return until(`the terminal to write ${path.basename(doneFile)}`, () => fs.existsSync(doneFile) && fs.readFileSync(doneFile, 'utf8'), { timeoutMs: 30_000 });
}

describe('The auth gateway in a real terminal', () => {
  let out;

  before(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'api-auth-e2e-gw-'));
    await ensureLoggedIn(ctx.page, ctx.demo, LABEL, { store: 'Store' });
  });

  after(async () => {
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('starts from the palette; curl and api-auth token in a terminal use the window session; Traffic shows them', async () => {
    const { page, demo } = ctx;
    await runCommand(page, 'API Auth: Start Gateway');
    const item = page.locator(GATEWAY_ITEM);
    await item.waitFor({ state: 'visible' });
    const port = Number(/:(\d+)/.exec(await item.innerText())?.[1]);
    assert.ok(port > 0, 'the status bar shows the port');
    assert.ok(await listening(port), 'the gateway listens');

    // The token the tree holds, as Copy Token gives it.
    // With one connection logged in it copies at once; with several (earlier journeys) it asks which.
    await writeClipboard(page, '');
    await runCommand(page, 'API Auth: Copy Token');
    let ranAt = Date.now();
    const token = await until(
      'the copied token',
      async () => {
        const text = await readClipboard(page);
        if (/^eyJ/.test(text) && jwtPayload(text).usefor === 'access') return text;
        // A click on the row, not a typed filter. The pick can close as it opens (the focus returning): then the
        // command runs again.
        const row = quickPickRow(page, LABEL);
        if (await row.isVisible()) await row.click({ timeout: 2000 }).catch(() => undefined);
        else if (Date.now() - ranAt > 3000) {
          await runCommand(page, 'API Auth: Copy Token');
          ranAt = Date.now();
        }
        return false;
      },
      { timeoutMs: 40_000 },
    );

    await runCommand(page, 'Terminal: Create New Terminal');
    await page.locator('.terminal-wrapper.active .xterm').waitFor({ state: 'visible' });
    await page.locator('.terminal-wrapper.active .xterm').click();
    const var_ = `API_AUTH_URL_${ID.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    await shell(
      page,
      `env > ${out}/env.txt; curl -sS "$${var_}/api/v3/process" -o ${out}/curl.txt -w 'HTTP %{http_code}\\n'; ` +
        `api-auth token ${ID} > ${out}/token.txt; echo "token: $(cut -c1-16 ${out}/token.txt)…"; echo ok > ${out}/done.txt`,
      path.join(out, 'done.txt'),
    );

    const env = fs.readFileSync(path.join(out, 'env.txt'), 'utf8');
    assert.match(env, new RegExp(`^API_AUTH_GATEWAY=http://127\\.0\\.0\\.1:${port}$`, 'm'));
    assert.match(env, new RegExp(`^${var_}=http://127\\.0\\.0\\.1:${port}/~[^/]+/${ID}$`, 'm'));
    for (const secret of [token, ...Object.values(demo.credentials)]) assert.ok(!env.includes(secret), 'no token or password in the terminal environment');

    const answer = fs.readFileSync(path.join(out, 'curl.txt'), 'utf8');
    assert.ok(JSON.parse(answer), 'curl got the vendor answer (JSON)');
    assert.ok(!answer.includes(token), 'the answer carries no token');
    const printed = fs.readFileSync(path.join(out, 'token.txt'), 'utf8').trim();
    assert.equal(printed, token, 'api-auth token printed the token the tree holds');
    await screenshot(page, 'gateway-terminal.png');

    // The Traffic node of the connection lists the curl call (source gateway) made through the window's gateway.
    const row = connectionRow(page, LABEL);
    await expand(page, row);
    const traffic = await childRow(page, row, 'Traffic');
    await expand(page, traffic);
    const rows = await until('the curl call in Traffic', async () => {
      const d = await descendants(traffic);
      return d.some((r) => /GET \/api\/v3\/process → 200/.test(r.label)) && d;
    });
    const handedOut = rows.find((r) => /POST \/\.api-auth\/v1\/token → 200/.test(r.label));
    assert.ok(handedOut, 'the token api-auth took is listed');
    assert.match(handedOut.description, /terminal/);
    await screenshot(page, 'gateway-traffic.png');

    await runCommand(page, 'API Auth: Stop Gateway');
    await item.waitFor({ state: 'hidden' });
    await until('the port to close', async () => !(await listening(port)));
  });
});

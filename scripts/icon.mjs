// Renders the extension's icon, media/icon.png (128×128, package.json "icon"), from the activity-bar glyph
// media/activity.svg: the key drawn in white on a rounded blue tile. Chromium (the one the tests drive through
// playwright-core) draws it; run again after changing the glyph, look at the result, commit it.
//
//   node scripts/icon.mjs
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './vscode/code-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZE = 128;
const svg = fs.readFileSync(path.join(root, 'media', 'activity.svg'), 'utf8');
const out = path.join(root, 'media', 'icon.png');

const html = `<!DOCTYPE html><html><head><style>
  html, body { margin: 0; background: transparent; }
  #tile { width: ${SIZE}px; height: ${SIZE}px; border-radius: 26px; display: grid; place-items: center;
          background: linear-gradient(135deg, #2a8ae6 0%, #0b5cad 100%); color: #fff; }
  #tile svg { width: 100px; height: 100px; }
</style></head><body><div id="tile">${svg}</div></body></html>`;

const browser = await launchBrowser({ viewport: { width: SIZE, height: SIZE } });
try {
  await browser.page.setContent(html);
  await browser.page.locator('#tile').screenshot({ path: out, omitBackground: true });
} finally {
  await browser.close();
}
console.log(`[icon] ${path.relative(root, out)}: ${SIZE}×${SIZE}, ${fs.statSync(out).size} bytes`);

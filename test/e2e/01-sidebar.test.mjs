// Journey: open the API Auth side bar and see every demo connection, none logged in yet.
/* global describe, it */
import * as assert from 'node:assert/strict';
import { connectionDescription, connectionRow, CONNECTIONS_LIST, ctx, openApiAuthView } from './lib.mjs';

describe('API Auth side bar', () => {
  it('lists every demo connection as "not logged in"', async () => {
    const { page, demo } = ctx;
    await openApiAuthView(page);
    await page.locator(`${CONNECTIONS_LIST} .monaco-list-row`).first().waitFor();
    const header = await page.locator('.part.sidebar .composite.title').innerText();
    assert.match(header, /API Auth/i);
    for (const conn of demo.connections) {
      await connectionRow(page, conn.label).waitFor();
      const description = await connectionDescription(page, conn.label);
      assert.match(description, /· not logged in$/, `${conn.label}: ${description}`);
    }
    const rows = await page.locator(`${CONNECTIONS_LIST} .monaco-list-row[aria-level="1"]`).count();
    assert.equal(rows, demo.connections.length, 'one row per demo connection, nothing else');
  });
});

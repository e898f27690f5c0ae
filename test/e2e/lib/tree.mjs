// The Connections view (re-exported by ../lib.mjs): rows, their descriptions, expanding and children.
import { CONNECTIONS_LIST, exactly, until } from './base.mjs';

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

// Shared state, selectors and waiting of the end-to-end journeys (re-exported by ../lib.mjs). The runner
// (scripts/e2e/run.mjs) fills `ctx` before mocha loads the test files.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/**
 * Where the journeys save their screenshots: test-results/e2e/screenshots (git-ignored, cleared by each run), so
 * that a test run never rewrites tracked files. `npm run screenshots` sets API_AUTH_SCREENSHOTS_DIR=docs/screenshots
 * to refresh the README's images on purpose.
 */
export const SCREENSHOTS_DIR = process.env.API_AUTH_SCREENSHOTS_DIR
  ? path.resolve(ROOT, process.env.API_AUTH_SCREENSHOTS_DIR)
  : path.join(ROOT, 'test-results', 'e2e', 'screenshots');

/**
 * Filled by scripts/e2e/run.mjs.
 * @type {{
 *   page: import('playwright-core').Page,
 *   context: import('playwright-core').BrowserContext,
 *   demo: Awaited<ReturnType<typeof import('../../scripts/demo.mjs').startDemo>>,
 *   vsix: { path?: string, error?: Error },
 *   addCleanup: (fn: () => unknown) => void,
 *   log: (line: string) => void,
 *   stopping: boolean,
 *   retries: Array<{ title: string, reason: string }>,
 * }}
 */
export const ctx = /** @type {any} */ ({ vsix: {}, addCleanup: () => {}, log: (l) => console.log(l), stopping: false, retries: [] });

/** Throws when the runner is stopping (interrupt, timeout): a journey must not start servers then. */
export function checkNotStopping() {
  if (ctx.stopping) throw new Error('the e2e run is stopping');
}

// ---------------------------------------------------------------------------------------------------- selectors

export const QUICK_INPUT = '.quick-input-widget .quick-input-box input';
export const QUICK_WIDGET = '.quick-input-widget';
export const CONNECTIONS_LIST = '.monaco-list[aria-label="Connections"]';
export const STATUS_ITEM = '.statusbar-item[id="api-auth-explorer.api-auth-explorer.authExplorer.status"]';
export const ACTIVITY_ENTRY = '.activitybar a[aria-label^="API Auth"]';
/** "mm:ss" or "h:mm:ss" */
export const COUNTDOWN_RE = /\b(?:\d+:)?\d{2}:\d{2}\b/;

export function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Text that is exactly `s` (give or take surrounding whitespace). */
export function exactly(s) {
  return new RegExp(`^\\s*${escapeRe(s)}\\s*$`);
}

// ---------------------------------------------------------------------------------------------------- waiting

/** Polls fn until it returns a truthy value; throws with `what` after timeoutMs. */
export async function until(what, fn, { timeoutMs = 15_000, intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err instanceof Error ? err.message.split('\n')[0] : String(err);
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last !== undefined ? ` (last: ${JSON.stringify(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// Test-side half of the UI bridge: lets a mocha test running INSIDE the VS Code extension host ask the
// Playwright runner (scripts/vscode/run-integration.mjs) to act on the real workbench in the browser —
// type into an input box, press a key, click, read text, take a screenshot — and wait for the answer.
//
// Protocol (one step):
//   1. the test prints one console line:  UI_STEP {"id":"<unique>","action":"type","text":"hello"}
//      (the extension host forwards its console to the workbench page, where the runner listens);
//   2. the runner performs the step with Playwright and writes the answer atomically to
//      <harness dir>/ui/<id>.json  as  {"id":…,"ok":true,"value":…,"ms":…}  or  {"id":…,"ok":false,"error":"…"};
//   3. uiStep() polls for that file, deletes it, and resolves (or throws the runner's error).
// The harness dir is $API_AUTH_HARNESS_DIR (set by the runner on code-server, inherited by the extension host),
// else `<first workspace folder>/.harness`; the runner creates it with a `bridge.json` in it. Without the
// runner (e.g. under @vscode/test-electron) there is no bridge: check uiBridgeAvailable() and skip.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

/** Workbench selector of the quick input's text field (command palette, showInputBox, showQuickPick). */
export const QUICK_INPUT = '.quick-input-widget .quick-input-box input';

interface StepCommon {
  /**
   * Chain of iframe selectors to descend into first (the last match of each is used), e.g.
   * ['iframe.webview', '#active-frame'] for the newest webview's content.
   */
  frames?: string[];
  /** How long the runner waits for the selector / action (default 10 s). */
  timeoutMs?: number;
}

export type UiAction = StepCommon &
  (
    | { action: 'type'; text: string; /** default QUICK_INPUT */ selector?: string; /** default true */ enter?: boolean }
    | { action: 'press'; key: string; /** focus this element first; default: the page's focus */ selector?: string }
    | { action: 'click'; selector: string }
    | { action: 'hover'; selector: string }
    | { action: 'screenshot'; /** relative to the repo root */ path: string; /** only this element */ selector?: string }
    | { action: 'text'; selector: string }
    | { action: 'count'; selector: string }
    | { action: 'waitFor'; selector: string; state?: 'attached' | 'detached' | 'visible' | 'hidden' }
  );

export interface UiResult {
  id: string;
  ok: boolean;
  /** `text`: the innerText; `count`: the number of matches; `screenshot`: the absolute file path. */
  value?: string | number;
  error?: string;
  /** How long the runner took to perform the step. */
  ms?: number;
}

export const UI_STEP_MARKER = 'UI_STEP';
const BRIDGE_FILE = 'bridge.json';

/** The directory the runner and the tests share, or undefined when no runner set one up. */
export function harnessDir(): string | undefined {
  const candidates: string[] = [];
  if (process.env.API_AUTH_HARNESS_DIR) candidates.push(process.env.API_AUTH_HARNESS_DIR);
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder?.uri.scheme === 'file') candidates.push(path.join(folder.uri.fsPath, '.harness'));
  return candidates.find((dir) => fs.existsSync(dir));
}

/** True when a runner that answers UI steps is attached (run-integration.mjs writes bridge.json). */
export function uiBridgeAvailable(): boolean {
  const dir = harnessDir();
  return dir !== undefined && fs.existsSync(path.join(dir, BRIDGE_FILE));
}

let counter = 0;

/**
 * Asks the runner to perform one UI step in the workbench and waits for its answer.
 * Throws when the runner reports a failure, or when no answer arrives within `waitMs`
 * (default: the step's own timeout + 20 s).
 */
export async function uiStep(step: UiAction, options: { waitMs?: number } = {}): Promise<UiResult> {
  const dir = harnessDir();
  if (dir === undefined || !fs.existsSync(path.join(dir, BRIDGE_FILE))) {
    throw new Error(
      `UI bridge not available (no ${BRIDGE_FILE} in $API_AUTH_HARNESS_DIR or <workspace>/.harness): ` +
        'UI steps need the Playwright runner, `npm run test:integration`. Guard the test with uiBridgeAvailable().',
    );
  }
  const id = `${Date.now().toString(36)}-${process.pid}-${++counter}`;
  const resultFile = path.join(dir, 'ui', `${id}.json`);
  const waitMs = options.waitMs ?? (step.timeoutMs ?? 10_000) + 20_000;
  console.log(`${UI_STEP_MARKER} ${JSON.stringify({ id, ...step })}`);

  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    let raw: string | undefined;
    try {
      raw = fs.readFileSync(resultFile, 'utf8');
    } catch {
      raw = undefined;
    }
    if (raw !== undefined) {
      fs.rmSync(resultFile, { force: true });
      const result = JSON.parse(raw) as UiResult;
      if (!result.ok) throw new Error(`UI step ${step.action} (${id}) failed: ${result.error ?? 'unknown error'}`);
      return result;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(
    `UI step ${step.action} (${id}) got no answer within ${waitMs} ms: expected ${resultFile}. ` +
      'Is the runner still attached, and did it see the UI_STEP line on the console?',
  );
}

/** innerText of the first element matching `selector`. */
export async function uiText(selector: string, frames?: string[]): Promise<string> {
  const result = await uiStep({ action: 'text', selector, frames });
  return String(result.value ?? '');
}

/** Number of elements matching `selector` right now. */
export async function uiCount(selector: string, frames?: string[]): Promise<number> {
  const result = await uiStep({ action: 'count', selector, frames });
  return Number(result.value ?? 0);
}

/** Waits until the quick input is visible, types `text` into it and presses Enter. */
export async function uiTypeInQuickInput(text: string): Promise<void> {
  await uiStep({ action: 'waitFor', selector: QUICK_INPUT, state: 'visible' });
  await uiStep({ action: 'type', selector: QUICK_INPUT, text });
}

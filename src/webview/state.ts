// The page's state and its line to the extension: what is shown, the extension's clock, and posting messages.
import type { FromPage, PageState, SessionState, TokenView } from '../shared/protocol';

interface VsCodeApi {
  postMessage(msg: FromPage): void;
  getState(): unknown;
  setState(state: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export const vscode = acquireVsCodeApi();

/** What the page shows. `revealed` is held in memory only, never in the page state. */
export const page: {
  view: TokenView | null | undefined;
  /** extension clock − page clock, from the last message */
  skew: number;
  revealed: string | null;
  busy: 'refresh' | 'login' | null;
  timer: number | undefined;
  noticeTimer: number | undefined;
  /** The notice on screen; kept here so a re-render right after it does not wipe it. */
  noticeText: string;
  /** Last announced phase of the countdown (screen readers hear changes of phase, not every second). */
  phase: string;
} = { view: undefined, skew: 0, revealed: null, busy: null, timer: undefined, noticeTimer: undefined, noticeText: '', phase: '' };

export const STATE_TEXT: Record<SessionState, string> = {
  loggedOut: 'Logged out',
  loggingIn: 'Logging in…',
  loggedIn: 'Logged in',
  expired: 'Expired',
  error: 'Error',
};

/** The extension's clock (the page's clock corrected by the skew of the last message). */
export const now = (): number => Date.now() + page.skew;

export function post(msg: FromPage): void {
  vscode.postMessage(msg);
}

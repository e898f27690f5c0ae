// The typed message protocol between the Token Details webview and the extension. Shared by both sides:
// `src/ext/webview/panel.ts` (extension) and `src/webview/main.ts` (page, bundled to media/webview.js). Type imports
// only: the page bundles nothing from `core` but time formatting.
// No secret ever travels in these messages except `revealed`, sent only when the user clicks Reveal.
import type { ClaimRow } from '../core/jwt';
import type { AuthKind, ExpiryReason, HistoryEvent, VendorId } from '../core/types';

/** A claim or header field: see {@link ClaimRow}. */
export type ClaimView = ClaimRow;

export interface JwtView {
  header: ClaimView[];
  claims: ClaimView[];
}

export interface HistoryView {
  at: number;
  event: HistoryEvent;
  method: string;
  tokenMasked: string;
  replacedMasked: string | null;
  expiresAt: number | null;
}

export type SessionState = 'loggedOut' | 'loggingIn' | 'loggedIn' | 'expired' | 'error';

export interface TokenView {
  connectionId: string;
  label: string;
  vendor: VendorId;
  vendorName: string;
  authKind: AuthKind;
  /** How the auth kind is named to users (core's AUTH_KIND_TEXT: the page does not bundle core/types). */
  authText: string;
  state: SessionState;
  /** One-sentence error when state is 'error'. */
  error: string | null;
  user: string | null;
  /** null when there is no session. */
  token: {
    masked: string;
    length: number;
    /** How it is attached: "header Authorization", "cookie Red60urne", "JSON-RPC field visa", "body auth.key". */
    attachDescription: string;
    issuedAt: number;
    expiresAt: number | null;
    expiresBecause: ExpiryReason;
    expiresBecauseText: string;
    slidingWindowMs: number | null;
    lastUsedAt: number;
    /** Total lifetime for the time-left bar: exp − iat, the sliding window, or null. */
    lifetimeMs: number | null;
    /** Claim times (`timeMs`) are on this computer's clock, converted from the server's when the two differ. */
    jwt: JwtView | null;
    /** Said when the server's clock is more than a minute from this computer's (else null). */
    serverClockNote: string | null;
  } | null;
  refresh: { masked: string; expiresAt: number | null; jwt: JwtView | null } | null;
  history: HistoryView[];
}

/** Extension → page. */
export type ToPage = { type: 'session'; view: TokenView | null; now: number } | { type: 'revealed'; token: string } | { type: 'notice'; text: string };

/** Page → extension. */
export type FromPage = { type: 'ready' } | { type: 'reveal' } | { type: 'copy'; what: 'token' | 'header' | 'curl' } | { type: 'refresh' } | { type: 'login' };

/** What the page keeps with `vscode.setState` so a reload (or a revived panel) shows the same connection. */
export interface PageState {
  connectionId: string;
}

const COPY_WHATS: readonly string[] = ['token', 'header', 'curl'];

/** Validates a message from the page; undefined for anything that is not a known FromPage (ignored by the panel). */
export function parseFromPage(msg: unknown): FromPage | undefined {
  if (typeof msg !== 'object' || msg === null) return undefined;
  const m = msg as { type?: unknown; what?: unknown };
  switch (m.type) {
    case 'ready':
    case 'reveal':
    case 'refresh':
    case 'login':
      return { type: m.type };
    case 'copy':
      return typeof m.what === 'string' && COPY_WHATS.includes(m.what) ? { type: 'copy', what: m.what as 'token' | 'header' | 'curl' } : undefined;
    default:
      return undefined;
  }
}

/** Validates a message from the extension (the page ignores anything else). */
export function parseToPage(msg: unknown): ToPage | undefined {
  if (typeof msg !== 'object' || msg === null) return undefined;
  const m = msg as { type?: unknown; view?: unknown; now?: unknown; token?: unknown; text?: unknown };
  switch (m.type) {
    case 'session':
      return typeof m.now === 'number' && (m.view === null || (typeof m.view === 'object' && m.view !== undefined))
        ? { type: 'session', view: m.view as TokenView | null, now: m.now }
        : undefined;
    case 'revealed':
      return typeof m.token === 'string' ? { type: 'revealed', token: m.token } : undefined;
    case 'notice':
      return typeof m.text === 'string' ? { type: 'notice', text: m.text } : undefined;
    default:
      return undefined;
  }
}

// The Token Details page (bundled to media/webview.js, runs inside the webview). It only renders what the extension
// posts. Everything is built with DOM APIs and textContent, never innerHTML: claims come from servers.
// Live parts (countdown, time-left bar, relative times) are recomputed from absolute times every second, using the
// extension's clock (`now` of the last message) so a skewed page clock does not matter.
import { formatDuration, formatLocal, formatRemaining, relative } from '../core/time';
import type { ClaimView, FromPage, HistoryView, PageState, SessionState, TokenView } from '../shared/protocol';
import { parseToPage } from '../shared/protocol';

type TokenInfo = NonNullable<TokenView['token']>;
type RefreshInfo = NonNullable<TokenView['refresh']>;

interface VsCodeApi {
  postMessage(msg: FromPage): void;
  getState(): unknown;
  setState(state: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') ?? document.body.appendChild(el('main', { id: 'app' }));

/** What the page shows. `revealed` is held in memory only, never in the page state. */
const page: {
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

const STATE_TEXT: Record<SessionState, string> = {
  loggedOut: 'Logged out',
  loggingIn: 'Logging in…',
  loggedIn: 'Logged in',
  expired: 'Expired',
  error: 'Error',
};

const EVENT_TEXT: Record<HistoryView['event'], string> = {
  login: 'Logged in',
  call: 'New token from a call',
  refresh: 'Refreshed',
  renew: 'Renewed',
  relogin: 'Logged in again',
  restore: 'Restored after reload',
};

const now = (): number => Date.now() + page.skew;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseToPage(event.data);
  if (!msg) return;
  switch (msg.type) {
    case 'session': {
      const previous = page.view;
      page.skew = msg.now - Date.now();
      page.view = msg.view;
      page.busy = null;
      // A different token (or none) hides a revealed one.
      if (previous?.token?.masked !== msg.view?.token?.masked || previous?.connectionId !== msg.view?.connectionId) page.revealed = null;
      if (msg.view) vscode.setState({ connectionId: msg.view.connectionId });
      render();
      return;
    }
    case 'revealed':
      page.revealed = msg.token;
      showToken();
      return;
    case 'notice':
      page.busy = null;
      syncBusy();
      notice(msg.text);
      return;
  }
});

vscode.postMessage({ type: 'ready' });

// ---------------------------------------------------------------------------------------------------------------
// Rendering

function render(): void {
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.id : '';
  const open = new Set([...document.querySelectorAll('details[open]')].map((d) => d.id));
  const view = page.view;
  const children: Node[] = [];
  if (view === undefined) {
    children.push(el('p', { class: 'loading' }, 'Loading…'));
  } else if (view === null) {
    children.push(
      el('section', { class: 'empty', id: 'removed' }, [
        el('h1', {}, 'This connection no longer exists'),
        el('p', {}, 'It was removed from the connections setting. You can close this tab.'),
      ]),
    );
  } else {
    children.push(renderHeader(view), noticeBox());
    if (view.error) children.push(el('div', { class: 'error-box', role: 'alert', id: 'error' }, view.error));
    const t = view.token;
    if (!t) children.push(renderLoggedOut(view));
    else {
      children.push(renderExpiry(t), renderToken(view, t));
      if (t.jwt) {
        children.push(
          section('claims', 'Claims', [claimsTable('claims-table', 'Claim', t.jwt.claims, true)]),
          section('header', 'Header', [claimsTable('header-table', 'Field', t.jwt.header, false)]),
        );
      } else {
        children.push(section('claims', 'Claims', [el('p', { class: 'muted' }, 'This token is not a JWT: it carries no readable claims.')]));
      }
      if (view.refresh) children.push(renderRefresh(view.refresh));
    }
    children.push(renderHistory(view.history));
  }
  app.replaceChildren(...children);
  app.removeAttribute('aria-busy');
  for (const id of open) document.getElementById(id)?.setAttribute('open', '');
  // Give the focus back to the control that had it, but only while the page has the focus: a re-render while the
  // user is in the Command Palette or an editor must not pull the focus into the webview (that closes a quick pick).
  if (focused && document.hasFocus()) document.getElementById(focused)?.focus();
  page.phase = '';
  showToken();
  syncBusy();
  tick();
  syncTimer();
}

function renderHeader(view: TokenView): HTMLElement {
  const meta: string[] = [view.vendorName];
  if (view.user) meta.push(view.user);
  meta.push(AUTH_TEXT[view.authKind] ?? view.authKind);
  return el('header', { class: 'head' }, [
    el('div', { class: 'title-row' }, [
      el('h1', { id: 'label' }, view.label),
      el('span', { id: 'state', class: `badge state-${view.state}`, 'data-state': view.state }, STATE_TEXT[view.state]),
    ]),
    el('p', { class: 'meta', id: 'meta' }, meta.join(' · ')),
  ]);
}

const AUTH_TEXT: Record<string, string> = {
  password: 'username and password',
  apiKey: 'API key',
  basic: 'HTTP Basic on every request',
  token: 'token from Basic login',
  auth0: 'Auth0 access token',
};

function renderLoggedOut(view: TokenView): HTMLElement {
  const loggingIn = view.state === 'loggingIn';
  return el('section', { class: 'empty card', id: 'logged-out', 'aria-labelledby': 'logged-out-title' }, [
    el('h2', { id: 'logged-out-title', class: 'empty-title' }, loggingIn ? 'Logging in…' : 'Not logged in'),
    el(
      'p',
      { class: 'muted' },
      loggingIn
        ? `Waiting for ${view.vendorName} to answer.`
        : `There is no token for this connection yet. Log in to get one from ${view.vendorName}; it will show here with its claims, expiry and history.`,
    ),
    el('div', { class: 'actions' }, [button('login', 'Log in', 'primary', () => act('login'), loggingIn)]),
  ]);
}

function renderExpiry(t: TokenInfo): HTMLElement {
  if (t.expiresAt === null) {
    return el('section', { class: 'card expiry', id: 'expiry', 'aria-labelledby': 'expiry-title' }, [
      el('h2', { id: 'expiry-title', class: 'visually-hidden' }, 'Expiry'),
      el('div', { class: 'countdown-row' }, [
        el('span', { class: 'countdown-label' }, 'Time left'),
        el('span', { id: 'time-left', class: 'countdown none', role: 'timer' }, formatRemaining(null)),
      ]),
      el('p', { class: 'muted' }, `No known expiry: ${t.expiresBecauseText}.`),
    ]);
  }
  const bar = el('div', {
    id: 'time-left-bar',
    class: 'bar',
    role: 'progressbar',
    'aria-label': 'Share of the token lifetime left',
    'aria-valuemin': '0',
    'aria-valuemax': '100',
  });
  bar.append(el('div', { class: 'bar-fill', id: 'time-left-fill' }));
  return el('section', { class: 'card expiry', id: 'expiry', 'aria-labelledby': 'expiry-title' }, [
    el('h2', { id: 'expiry-title', class: 'visually-hidden' }, 'Expiry'),
    el('div', { class: 'countdown-row' }, [
      el('span', { class: 'countdown-label' }, 'Time left'),
      el('span', { id: 'time-left', class: 'countdown', role: 'timer', 'aria-atomic': 'true' }, ''),
      t.lifetimeMs !== null ? el('span', { class: 'muted of' }, `of ${formatDuration(t.lifetimeMs)}`) : null,
    ]),
    t.lifetimeMs !== null ? bar : null,
    el('p', { class: 'expiry-detail' }, [
      'Expires ',
      el('time', { dateTime: new Date(t.expiresAt).toISOString() }, formatLocal(new Date(t.expiresAt))),
      ' (',
      relTime(t.expiresAt),
      ') · ',
      el('span', { class: 'muted' }, `set by ${t.expiresBecauseText}`),
    ]),
    el('span', { id: 'time-left-status', class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' }),
  ]);
}

function renderToken(view: TokenView, t: TokenInfo): HTMLElement {
  const facts: [string, Node | string][] = [
    ['Length', `${t.length} characters`],
    ['Sent as', t.attachDescription],
    ['Issued', timeInline(t.issuedAt)],
    ['Last used', timeInline(t.lastUsedAt)],
  ];
  if (t.slidingWindowMs) facts.push(['Idle window', `${formatDuration(t.slidingWindowMs)}, restarted by every call`]);
  facts.push(['Expiry from', t.expiresBecauseText]);
  const busyLogin = view.state === 'loggingIn';
  return section('token', 'Token', [
    el('div', { class: 'token-row' }, [
      el('code', { id: 'token-value', class: 'token', 'aria-label': 'Token' }, t.masked),
      button('reveal', 'Reveal', 'secondary', toggleReveal),
    ]),
    el(
      'dl',
      { class: 'facts' },
      facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, [v])]),
    ),
    el('div', { class: 'actions', role: 'group', 'aria-label': 'Token actions' }, [
      button('copy-token', 'Copy token', 'secondary', () => post({ type: 'copy', what: 'token' })),
      button('copy-header', copyHeaderLabel(t.attachDescription), 'secondary', () => post({ type: 'copy', what: 'header' })),
      button('copy-curl', 'Copy as curl', 'secondary', () => post({ type: 'copy', what: 'curl' })),
      el('span', { class: 'spacer' }),
      button('refresh', 'Refresh', 'primary', () => act('refresh'), busyLogin),
      button('login', 'Log in again', 'secondary', () => act('login'), busyLogin),
    ]),
  ]);
}

function copyHeaderLabel(attach: string): string {
  const header = /^header (.+)$/.exec(attach)?.[1];
  if (header) return `Copy ${header} header`;
  if (attach.startsWith('cookie ')) return 'Copy Cookie header';
  return 'Copy Authorization header';
}

function claimsTable(id: string, firstColumn: string, rows: ClaimView[], withTime: boolean): HTMLElement {
  const head = [firstColumn, 'Value', 'Meaning'];
  if (withTime) head.push('Time');
  return el('div', { class: 'table-wrap' }, [
    el('table', { id, class: 'claims' }, [
      el('thead', {}, [el('tr', {}, head.map((h) => el('th', { scope: 'col' }, h)))]),
      el(
        'tbody',
        {},
        rows.map((c) => {
          const cells: HTMLElement[] = [
            el('th', { scope: 'row', class: 'name' }, [el('code', {}, c.name)]),
            el('td', { class: 'value', 'data-label': 'Value' }, [el('code', {}, c.raw)]),
            el('td', { class: 'meaning', 'data-label': 'Meaning' }, c.meaning || '—'),
          ];
          if (withTime) cells.push(el('td', { class: 'time', 'data-label': 'Time' }, claimTime(c)));
          return el('tr', { 'data-claim': c.name }, cells);
        }),
      ),
    ]),
  ]);
}

function claimTime(c: ClaimView): Node[] {
  if (c.timeMs !== null) return timeBlock(c.timeMs);
  if (c.lifetimeMs !== null) {
    return [
      el('div', { class: 'duration' }, `${formatDuration(c.lifetimeMs)} total lifetime`),
      el('div', { class: 'muted small' }, 'fixed at issue; not a countdown'),
    ];
  }
  return [el('span', { class: 'muted' }, '—')];
}

function renderRefresh(r: RefreshInfo): HTMLElement {
  const parts: Node[] = [
    el('div', { class: 'token-row' }, [el('code', { id: 'refresh-value', class: 'token', 'aria-label': 'Refresh token' }, r.masked)]),
    el('dl', { class: 'facts' }, [
      el('dt', {}, 'Expires'),
      el('dd', {}, r.expiresAt !== null ? timeInline(r.expiresAt) : 'not stated'),
    ]),
  ];
  if (r.jwt) {
    parts.push(
      el('details', { id: 'refresh-claims' }, [
        el('summary', {}, 'Claims of the refresh token'),
        claimsTable('refresh-claims-table', 'Claim', r.jwt.claims, true),
      ]),
    );
  }
  return section('refresh-token', 'Refresh token', parts);
}

function renderHistory(history: HistoryView[]): HTMLElement {
  if (history.length === 0) {
    return section('history-section', 'History', [
      el('ol', { id: 'history', class: 'timeline' }),
      el('p', { class: 'muted', id: 'history-empty' }, 'No tokens yet.'),
    ]);
  }
  const items = history.map((h, i) =>
    el('li', { class: `event event-${h.event}${i === 0 ? ' current' : ''}`, 'data-event': h.event }, [
      el('span', { class: 'dot', 'aria-hidden': 'true' }),
      el('div', { class: 'when' }, [
        el('time', { dateTime: new Date(h.at).toISOString() }, formatLocal(new Date(h.at))),
        ' · ',
        relTime(h.at),
      ]),
      el('div', { class: 'what' }, [
        el('span', { class: 'event-name' }, EVENT_TEXT[h.event] ?? h.event),
        el('code', { class: 'method' }, h.method),
        i === 0 ? el('span', { class: 'badge current-badge' }, 'current') : null,
      ]),
      el('div', { class: 'tok' }, [
        el('code', { class: 'token small' }, h.tokenMasked),
        h.replacedMasked ? el('span', { class: 'muted replaced' }, [' replaced ', el('code', { class: 'token small' }, h.replacedMasked)]) : null,
        h.expiresAt !== null ? el('span', { class: 'muted' }, ` · expires ${formatLocal(new Date(h.expiresAt))}`) : null,
      ]),
    ]),
  );
  return section('history-section', 'History', [el('ol', { id: 'history', class: 'timeline' }, items)]);
}

function section(id: string, title: string, children: Child[]): HTMLElement {
  return el('section', { id, class: 'card', 'aria-labelledby': `${id}-title` }, [el('h2', { id: `${id}-title` }, title), ...children]);
}

function noticeBox(): HTMLElement {
  const box = el('div', { id: 'notice', class: 'notice', role: 'status', 'aria-live': 'polite' }, page.noticeText);
  box.hidden = page.noticeText === '';
  return box;
}

/** Local time, ISO and a live relative time, one per line. */
function timeBlock(ms: number): Node[] {
  const d = new Date(ms);
  return [
    el('div', { class: 'local' }, [el('time', { dateTime: d.toISOString() }, formatLocal(d))]),
    el('div', { class: 'iso muted small' }, d.toISOString()),
    el('div', { class: 'rel-line' }, [relTime(ms)]),
  ];
}

function timeInline(ms: number): Node {
  const d = new Date(ms);
  return el('span', {}, [el('time', { dateTime: d.toISOString(), title: d.toISOString() }, formatLocal(d)), ' · ', relTime(ms)]);
}

function relTime(ms: number): HTMLElement {
  return el('span', { class: 'rel', 'data-rel-ms': String(ms) }, relative(ms, now()));
}

// ---------------------------------------------------------------------------------------------------------------
// Live parts

/** One interval, only while a token with an expiry is shown. */
function syncTimer(): void {
  const needed = !!page.view?.token && page.view.token.expiresAt !== null;
  if (needed && page.timer === undefined) page.timer = window.setInterval(tick, 1000);
  else if (!needed && page.timer !== undefined) {
    window.clearInterval(page.timer);
    page.timer = undefined;
  }
}

function tick(): void {
  const t = page.view?.token;
  const at = now();
  for (const span of document.querySelectorAll<HTMLElement>('[data-rel-ms]')) {
    span.textContent = relative(Number(span.dataset.relMs), at);
  }
  if (!t || t.expiresAt === null) return;
  const left = Math.max(0, t.expiresAt - at);
  const countdown = document.getElementById('time-left');
  if (countdown) {
    countdown.textContent = formatRemaining(left);
    countdown.classList.toggle('expired', left === 0);
  }
  const fraction = t.lifetimeMs ? Math.min(1, left / t.lifetimeMs) : 0;
  const bar = document.getElementById('time-left-bar');
  const fill = document.getElementById('time-left-fill');
  const level = left === 0 ? 'expired' : fraction < 0.2 || left < 60_000 ? 'warn' : 'ok';
  if (bar && fill) {
    fill.style.width = `${(fraction * 100).toFixed(2)}%`;
    bar.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
    bar.setAttribute('aria-valuetext', left === 0 ? 'expired' : `${formatRemaining(left)} left`);
    bar.dataset.level = level;
  }
  // The badge follows the clock: a logged-in token that runs out is shown as expired without waiting for a message.
  const badge = document.getElementById('state');
  if (badge && page.view && page.view.state === 'loggedIn') {
    const state: SessionState = left === 0 ? 'expired' : 'loggedIn';
    badge.className = `badge state-${state}`;
    badge.dataset.state = state;
    badge.textContent = STATE_TEXT[state];
  }
  announce(left);
}

/** Tells screen readers about phases (more than 5 min, under 5 min, under 1 min, expired), not every second. */
function announce(left: number): void {
  const phase = left === 0 ? 'expired' : left <= 60_000 ? '1min' : left <= 300_000 ? '5min' : 'ok';
  if (phase === page.phase) return;
  page.phase = phase;
  const status = document.getElementById('time-left-status');
  if (!status) return;
  status.textContent =
    phase === 'expired'
      ? 'The token has expired.'
      : phase === '1min'
        ? 'The token expires in less than a minute.'
        : phase === '5min'
          ? 'The token expires in less than 5 minutes.'
          : `The token expires in ${formatDuration(left)}.`;
}

// ---------------------------------------------------------------------------------------------------------------
// Actions

function post(msg: FromPage): void {
  vscode.postMessage(msg);
}

function act(what: 'refresh' | 'login'): void {
  page.busy = what;
  syncBusy();
  post({ type: what });
}

function toggleReveal(): void {
  if (page.revealed) {
    page.revealed = null;
    showToken();
  } else {
    post({ type: 'reveal' });
  }
}

function showToken(): void {
  const code = document.getElementById('token-value');
  const btn = document.getElementById('reveal');
  const t = page.view?.token;
  if (!code || !btn || !t) return;
  code.textContent = page.revealed ?? t.masked;
  code.classList.toggle('revealed', page.revealed !== null);
  btn.textContent = page.revealed ? 'Hide' : 'Reveal';
  btn.setAttribute('aria-pressed', page.revealed ? 'true' : 'false');
}

function syncBusy(): void {
  const loggingIn = page.view?.state === 'loggingIn';
  for (const [id, label, busyLabel] of [
    ['refresh', 'Refresh', 'Refreshing…'],
    ['login', page.view?.token ? 'Log in again' : 'Log in', 'Logging in…'],
  ] as const) {
    const b = document.getElementById(id);
    if (!(b instanceof HTMLButtonElement)) continue;
    const busy = page.busy === id || (id === 'login' && loggingIn);
    b.disabled = page.busy !== null || loggingIn;
    b.textContent = busy ? busyLabel : label;
    b.setAttribute('aria-busy', busy ? 'true' : 'false');
  }
}

function notice(text: string): void {
  page.noticeText = text;
  showNotice();
  if (page.noticeTimer !== undefined) window.clearTimeout(page.noticeTimer);
  page.noticeTimer = window.setTimeout(() => {
    page.noticeText = '';
    page.noticeTimer = undefined;
    showNotice();
  }, 5000);
}

function showNotice(): void {
  const box = document.getElementById('notice');
  if (!box) return;
  box.textContent = page.noticeText;
  box.hidden = page.noticeText === '';
}

// ---------------------------------------------------------------------------------------------------------------
// DOM helpers: attributes by name, text as text nodes. No HTML is ever parsed from data.

/** null: nothing (lets optional parts sit inline in a children list). */
type Child = Node | string | null;

function el(tag: string, attrs: Record<string, string> = {}, children: Child | Child[] = []): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'dateTime') e.setAttribute('datetime', v);
    else e.setAttribute(k, v);
  }
  for (const c of Array.isArray(children) ? children : [children]) if (c !== null) e.append(c);
  return e;
}

function button(id: string, label: string, kind: 'primary' | 'secondary', onClick: () => void, disabled = false): HTMLButtonElement {
  const b = el('button', { id, type: 'button', class: `btn ${kind}` }, label) as HTMLButtonElement;
  b.disabled = disabled;
  b.addEventListener('click', onClick);
  return b;
}

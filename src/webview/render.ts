// Renders the Token Details page from the view the extension posted. Everything is built with DOM APIs and
// textContent, never innerHTML: claims come from servers.
import { formatDuration, formatInstant, formatRemaining } from '../core/time';
import type { ClaimView, HistoryView, TokenView } from '../shared/protocol';
import { act, showToken, syncBusy, toggleReveal } from './actions';
import { button, el, section } from './dom';
import { relTime, syncTimer, tick, timeBlock, timeInline } from './live';
import { now, page, post, STATE_TEXT } from './state';

type TokenInfo = NonNullable<TokenView['token']>;
type RefreshInfo = NonNullable<TokenView['refresh']>;

const app = document.getElementById('app') ?? document.body.appendChild(el('main', { id: 'app' }));

const EVENT_TEXT: Record<HistoryView['event'], string> = {
  login: 'Logged in',
  call: 'New token from a call',
  refresh: 'Refreshed',
  renew: 'Renewed',
  relogin: 'Logged in again',
  restore: 'Restored after reload',
};

export function render(): void {
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
    if (!t) {
      children.push(renderLoggedOut(view));
    } else {
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
  meta.push(view.authText);
  return el('header', { class: 'head' }, [
    el('div', { class: 'title-row' }, [
      el('h1', { id: 'label' }, view.label),
      el('span', { id: 'state', class: `badge state-${view.state}`, 'data-state': view.state }, STATE_TEXT[view.state]),
    ]),
    el('p', { class: 'meta', id: 'meta' }, meta.join(' · ')),
  ]);
}

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
      serverClockNote(t),
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
      el('time', { dateTime: formatInstant(t.expiresAt) }, formatInstant(t.expiresAt, 'local')),
      ' (',
      relTime(t.expiresAt),
      ') · ',
      el('span', { class: 'muted' }, `set by ${t.expiresBecauseText}`),
    ]),
    serverClockNote(t),
    el('span', { id: 'time-left-status', class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' }),
  ]);
}

/** "The clock of HOST is 7 min behind this computer's; …" when the server's clock is off, else nothing. */
function serverClockNote(t: TokenInfo): HTMLElement | null {
  return t.serverClockNote ? el('p', { id: 'server-clock', class: 'muted' }, t.serverClockNote) : null;
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
      el('thead', {}, [
        el(
          'tr',
          {},
          head.map((h) => el('th', { scope: 'col' }, h)),
        ),
      ]),
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
  // Why a time claim is not used ("not a date (1e+300)", "looks like milliseconds …"): said, never thrown on.
  if (c.note !== null) return [el('div', { class: 'claim-note' }, c.note)];
  if (c.timeMs !== null && c.name === 'nbf' && c.timeMs > now()) {
    return [el('div', { class: 'claim-note' }, 'not valid yet'), ...timeBlock(c.timeMs)];
  }
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
    el('dl', { class: 'facts' }, [el('dt', {}, 'Expires'), el('dd', {}, r.expiresAt !== null ? timeInline(r.expiresAt) : 'not stated')]),
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
      el('div', { class: 'when' }, [el('time', { dateTime: formatInstant(h.at) }, formatInstant(h.at, 'local')), ' · ', relTime(h.at)]),
      el('div', { class: 'what' }, [
        el('span', { class: 'event-name' }, EVENT_TEXT[h.event] ?? h.event),
        el('code', { class: 'method' }, h.method),
        i === 0 ? el('span', { class: 'badge current-badge' }, 'current') : null,
      ]),
      el('div', { class: 'tok' }, [
        el('code', { class: 'token small' }, h.tokenMasked),
        h.replacedMasked ? el('span', { class: 'muted replaced' }, [' replaced ', el('code', { class: 'token small' }, h.replacedMasked)]) : null,
        h.expiresAt !== null ? el('span', { class: 'muted' }, ` · expires ${formatInstant(h.expiresAt, 'local')}`) : null,
      ]),
    ]),
  );
  return section('history-section', 'History', [el('ol', { id: 'history', class: 'timeline' }, items)]);
}

function noticeBox(): HTMLElement {
  const box = el('div', { id: 'notice', class: 'notice', role: 'status', 'aria-live': 'polite' }, page.noticeText);
  box.hidden = page.noticeText === '';
  return box;
}

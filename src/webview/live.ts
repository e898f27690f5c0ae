// The live parts of the page: countdown, time-left bar, relative times and the phase announcements, recomputed from
// absolute times on the extension's clock once a second, and only while a token with an expiry is shown.
import { formatDuration, formatInstant, formatLocal, formatRemaining, isDateMs, relative } from '../core/time';
import type { SessionState } from '../shared/protocol';
import { el } from './dom';
import { now, page, STATE_TEXT } from './state';

export /** One interval, only while a token with an expiry is shown. */
function syncTimer(): void {
  const needed = !!page.view?.token && page.view.token.expiresAt !== null;
  if (needed && page.timer === undefined) {
    page.timer = window.setInterval(tick, 1000);
  } else if (!needed && page.timer !== undefined) {
    window.clearInterval(page.timer);
    page.timer = undefined;
  }
}

export function tick(): void {
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

export /** Local time, ISO and a live relative time, one per line. */
function timeBlock(ms: number): Node[] {
  // Claims and expiries come from servers: a time no Date can hold is said so, never thrown on.
  if (!isDateMs(ms)) return [el('div', { class: 'muted' }, formatInstant(ms))];
  const d = new Date(ms);
  return [
    el('div', { class: 'local' }, [el('time', { dateTime: d.toISOString() }, formatLocal(d))]),
    el('div', { class: 'iso muted small' }, d.toISOString()),
    el('div', { class: 'rel-line' }, [relTime(ms)]),
  ];
}

export function timeInline(ms: number): Node {
  if (!isDateMs(ms)) return el('span', { class: 'muted' }, formatInstant(ms));
  const d = new Date(ms);
  return el('span', {}, [el('time', { dateTime: d.toISOString(), title: d.toISOString() }, formatLocal(d)), ' · ', relTime(ms)]);
}

export function relTime(ms: number): HTMLElement {
  return el('span', { class: 'rel', 'data-rel-ms': String(ms) }, relative(ms, now()));
}

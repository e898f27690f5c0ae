// The page's buttons: refresh / log in, reveal, and the busy and notice states they show.
import { page, post } from './state';

export function act(what: 'refresh' | 'login'): void {
  page.busy = what;
  syncBusy();
  post({ type: what });
}

export function toggleReveal(): void {
  if (page.revealed) {
    page.revealed = null;
    showToken();
  } else {
    post({ type: 'reveal' });
  }
}

export function showToken(): void {
  const code = document.getElementById('token-value');
  const btn = document.getElementById('reveal');
  const t = page.view?.token;
  if (!code || !btn || !t) return;
  code.textContent = page.revealed ?? t.masked;
  code.classList.toggle('revealed', page.revealed !== null);
  btn.textContent = page.revealed ? 'Hide' : 'Reveal';
  btn.setAttribute('aria-pressed', page.revealed ? 'true' : 'false');
}

export function syncBusy(): void {
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

export function notice(text: string): void {
  page.noticeText = text;
  showNotice();
  if (page.noticeTimer !== undefined) window.clearTimeout(page.noticeTimer);
  page.noticeTimer = window.setTimeout(() => {
    page.noticeText = '';
    page.noticeTimer = undefined;
    showNotice();
  }, 5000);
}

export function showNotice(): void {
  const box = document.getElementById('notice');
  if (!box) return;
  box.textContent = page.noticeText;
  box.hidden = page.noticeText === '';
}

// Time formatting shared by every surface, the webview page included (so this file imports nothing).

/** "mm:ss" below an hour, "h:mm:ss" above, "expired" at or below zero. */
export function formatRemaining(ms: number | null): string {
  if (ms === null) return 'no expiry';
  if (ms <= 0) return 'expired';
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const p = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${p(m)}:${p(s)}` : `${p(m)}:${p(s)}`;
}

/** The most milliseconds from the epoch, either way, that a Date holds (ECMAScript: 100,000,000 days). */
export const MAX_DATE_MS = 8.64e15;

/** A number of ms since the epoch that a Date can hold: finite and within ±{@link MAX_DATE_MS}. */
export function isDateMs(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS;
}

/**
 * The one safe way to turn a time from a server into text: ISO (default) or local "YYYY-MM-DD hh:mm:ss", or
 * "not a date (VALUE)" where `new Date(ms).toISOString()` would throw "Invalid time value" (NaN, ±Infinity, |ms|
 * beyond the Date range, e.g. an `exp` of 1e300).
 */
export function formatInstant(ms: number, style: 'iso' | 'local' = 'iso'): string {
  if (!isDateMs(ms)) return `not a date (${ms})`;
  const d = new Date(ms);
  return style === 'iso' ? d.toISOString() : formatLocal(d);
}

/** "2026-11-23 18:10:28 (local) · 2026-11-23T18:10:28.000Z · in 9 min 58 s"; "not a date (…)" outside the Date range. */
export function describeTime(ms: number, now: number): string {
  if (!isDateMs(ms)) return formatInstant(ms);
  const d = new Date(ms); // one Date for both forms: the claims of every token are described on each tree render
  return `${formatLocal(d)} · ${d.toISOString()} · ${relative(ms, now)}`;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

export function formatLocal(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

export function relative(ms: number, now: number): string {
  const diff = ms - now;
  if (Math.abs(diff) < 1000) return 'now';
  return diff > 0 ? `in ${formatDuration(diff)}` : `${formatDuration(-diff)} ago`;
}

/** 600000 → "10 min", 86400000 → "1 d", 61000 → "1 min 1 s". */
export function formatDuration(ms: number): string {
  let s = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s || parts.length === 0) parts.push(`${s} s`);
  return parts.slice(0, 2).join(' ');
}

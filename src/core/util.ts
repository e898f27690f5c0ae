// Small helpers every layer needs.

/** A plain object (not null, not an array): what a parsed JSON object is. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A number that is not NaN or ±Infinity. */
export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * A name fit for an id or a file name: the ASCII letters and digits of `s`, every other run as one `-`, no `-` at
 * either end, at most 40 characters; '' when nothing is left (callers pick their own fallback).
 */
export function slug(s: string): string {
  return s
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

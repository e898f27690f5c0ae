// Small helpers for the vendor handlers.
import type { MockReply } from './types';

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** JSON reply helper for vendor handlers. */
export function json(status: number, value: unknown, headers: Record<string, string | string[]> = {}): MockReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

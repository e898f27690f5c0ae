// The trace line of one HTTP exchange, as the log and the CLI's trace show it: secrets masked and redacted, the
// server's parts marked as outside text.
import type { RawAxiosRequestHeaders } from 'axios';
import { truncate } from './errors';
import { maskBodyText } from './mask';
import { redactHeaders, redactText } from './redact';
import { outside, type Wording, wording } from './wording';

/** What a trace shows of a request (src/core/http.ts HttpRequest). */
export interface TracedRequest {
  method: string;
  url: string;
  headers?: RawAxiosRequestHeaders;
  data?: string | Buffer;
}

/** Longest body kept in a trace line (after redaction). */
export const TRACE_BODY_MAX = 500;

/**
 * One redacted trace line of an exchange. Secret-named fields of JSON and XML bodies are masked ({@link maskBodyText},
 * the same masking as the views and the CLI), then secret-looking values redacted; both run on the whole body BEFORE
 * it is cut to {@link TRACE_BODY_MAX}: cut first, a token split at the limit (a JWT without its signature, the start
 * of a visa) would no longer match the patterns and would be logged.
 */
export function traceLine(req: TracedRequest, status: number, durationMs: number, responseText: string): string {
  return String(traceWording(req, status, durationMs, responseText));
}

/** {@link traceLine} with the exchange's parts (URL, headers, bodies) marked as outside text. */
export function traceWording(req: TracedRequest, status: number, durationMs: number, responseText: string): Wording {
  const sent = `${req.method} ${req.url} ${JSON.stringify(redactHeaders(flatHeaders(req.headers)))} ${typeof req.data === 'string' || req.data === undefined ? traceBody(req.data ?? '') : `‹${req.data.length} bytes›`}`;
  return wording`${outside(sent)} → ${status} in ${durationMs} ms ${outside(truncate(traceBody(responseText), TRACE_BODY_MAX))}`;
}

/** A body as a trace shows it: secret-named fields masked, then secret-looking values redacted. */
function traceBody(text: string): string {
  return redactText(maskBodyText(text).value);
}

function flatHeaders(h: RawAxiosRequestHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) if (v !== undefined && v !== null) out[k] = String(v);
  return out;
}

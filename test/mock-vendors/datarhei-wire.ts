// How the real datarhei Core (Go net/http + Echo) frames its answers, apart from the routes (datarhei.ts):
// - CORS on /api (Echo's CORS middleware, origins "*"): `OPTIONS` answers 204 before any token check; with an
//   `Origin` it carries Access-Control-Allow-Origin/-Methods/-Headers (the requested headers echoed) and two more
//   `Vary` lines; other answers to a request with an `Origin` carry Access-Control-Allow-Origin: *;
// - answers that vary by Accept-Encoding (v3) are gzip-compressed from 1000 bytes on when the client accepts gzip;
// - no `Connection: keep-alive` / `Keep-Alive` header (Go keeps HTTP/1.1 connections open without saying so).
// The exact preflight header set was not captured from the real server: it is Echo's default (chosen here).
import { gzipSync } from 'node:zlib';
import type { MockReply, MockRequest } from './types';

/** Echo's CORS default AllowMethods. */
const ALLOW_METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE';
/** The real server's compress middleware threshold (bytes of the uncompressed body). */
export const GZIP_MIN_BYTES = 1000;

const isApi = (path: string) => path === '/api' || path.startsWith('/api/');

/** Go writes the handler's headers sorted by name, then Date and Content-Length. */
function goHeaders(headers: Record<string, string | string[]>): Record<string, string | string[]> {
  const { Date: date, 'Content-Length': length, ...rest } = headers;
  const sorted: Record<string, string | string[]> = {};
  for (const name of Object.keys(rest).sort()) sorted[name] = rest[name];
  if (date !== undefined) sorted.Date = date;
  if (length !== undefined) sorted['Content-Length'] = length;
  return sorted;
}

/** The CORS preflight (any OPTIONS under /api), or null for other requests. */
export function preflight(req: MockRequest, now: number): MockReply | null {
  if (req.method.toUpperCase() !== 'OPTIONS' || !isApi(req.path)) return null;
  const headers: Record<string, string | string[]> = { Vary: 'Origin', Date: new Date(now).toUTCString() };
  if (req.headers.origin !== undefined) {
    headers.Vary = ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'];
    headers['Access-Control-Allow-Origin'] = '*';
    headers['Access-Control-Allow-Methods'] = ALLOW_METHODS;
    const asked = req.headers['access-control-request-headers'];
    if (typeof asked === 'string' && asked) headers['Access-Control-Allow-Headers'] = asked;
  }
  return { status: 204, headers: goHeaders(headers), connectionHeader: false };
}

/** Adds what the real server's middleware adds to a route's answer: CORS origin, gzip, no Connection header. */
export function frame(req: MockRequest, reply: MockReply): MockReply {
  const headers = { ...(reply.headers ?? {}) };
  if (req.headers.origin !== undefined && isApi(req.path)) headers['Access-Control-Allow-Origin'] = '*';
  let body = reply.body;
  const vary = ([] as string[]).concat(headers.Vary ?? []);
  // Echo's compress middleware looks for the word, as here.
  const accepts = String(req.headers['accept-encoding'] ?? '').includes('gzip');
  if (body !== undefined && vary.includes('Accept-Encoding') && accepts && Buffer.byteLength(body) >= GZIP_MIN_BYTES && req.method.toUpperCase() !== 'HEAD') {
    body = gzipSync(body, { level: 1 });
    headers['Content-Encoding'] = 'gzip';
    headers['Content-Length'] = String(body.length);
  }
  return { ...reply, headers: goHeaders(headers), body, connectionHeader: false };
}

/** `/api/swagger/index.html`: served without a token (the swagger group has no JWT middleware). */
export function swagger(path: string, now: number): MockReply | null {
  if (!path.startsWith('/api/swagger/')) return null;
  const date = new Date(now).toUTCString();
  if (path !== '/api/swagger/index.html') {
    const body = '{"message":"Not Found"}\n';
    return { status: 404, headers: { 'Content-Type': 'application/json', Vary: 'Origin', Date: date, 'Content-Length': String(body.length) }, body };
  }
  const body =
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta charset="UTF-8">\n  <title>Swagger UI</title>\n</head>\n<body>\n<div id="swagger-ui"></div>\n' +
    '<script src="./swagger-ui-bundle.js"></script>\n<script>window.onload = function () { SwaggerUIBundle({ url: "doc.json", dom_id: "#swagger-ui" }); };</script>\n</body>\n</html>\n';
  return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', Vary: 'Origin', Date: date, 'Content-Length': String(body.length) }, body };
}

/** Go's encoding/json: HTML-safe escapes and a trailing newline. */
export function goJsonText(value: unknown): string {
  return `${JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** ISO time without milliseconds, as Go prints it: 2026-11-23T18:10:23Z. */
export function goTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

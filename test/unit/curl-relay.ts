// Shared by the curl tests: the adapter's wire request and its curl line, a loopback relay that records what
// reaches the mocks, and running a curl line with the system curl.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { curlCommand as curlOf } from '../../src/engine/curl';
import type { ConnectionConfig, ExploreRequest, Session } from '../../src/core/types';
import { TLS_DIR } from '../mock-vendors/server';
import { ADAPTERS } from '../../src/vendors';

/** What the adapter puts on the wire for `req`, and the curl line that sends the same. */
export const wireRequest = (conn: ConnectionConfig, s: Session, req: ExploreRequest) => ADAPTERS[conn.vendor].wire(conn, s, req);
export const curlCommand = (conn: ConnectionConfig, s: Session, req: ExploreRequest) => curlOf(conn, wireRequest(conn, s, req));

export const CERT = path.join(TLS_DIR, 'selfsigned-cert.pem');
export const KEY = path.join(TLS_DIR, 'selfsigned-key.pem');

export interface Seen {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A loopback relay that records each request and forwards it to the mock vendors' plain-HTTP port. */
export interface Relay {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

export async function startRelay(target: string, secure: boolean): Promise<Relay> {
  const seen: Seen[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers, body: body.toString('utf8') });
      const out = http.request(`${target}${req.url ?? '/'}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      out.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      out.end(body);
    });
  };
  const server = secure ? https.createServer({ key: fs.readFileSync(KEY), cert: fs.readFileSync(CERT) }, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `${secure ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Headers that differ between clients without changing the request's meaning. */
export const TRANSPORT_HEADERS = new Set(['host', 'connection', 'user-agent', 'accept-encoding', 'content-length', 'transfer-encoding']);

/**
 * The request minus transport headers. One known difference is left out too: for a POST/PUT/PATCH without a body,
 * axios (dispatchRequest) adds `Content-Type: application/x-www-form-urlencoded` that the adapters never asked for
 * (they set a Content-Type only with a body); curl sends none, which is what the adapters mean. Once src/core/http.ts
 * tells axios not to add it, this exception never applies.
 */
export function meaningful(s: Seen): Seen {
  const headers = Object.fromEntries(Object.entries(s.headers).filter(([k]) => !TRANSPORT_HEADERS.has(k)));
  if (s.body === '' && headers['content-type'] === 'application/x-www-form-urlencoded') delete headers['content-type'];
  return { method: s.method, url: s.url, headers, body: s.body };
}

export interface CurlRun {
  code: number;
  status: number;
  body: string;
  stderr: string;
}

export function runCurl(line: string, curlHome: string): Promise<CurlRun> {
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      ['-c', line],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CURL_HOME: curlHome, HOME: curlHome }, timeout: 20_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        const m = /HTTP-STATUS (\d{3})/.exec(stderr);
        resolve({ code, status: m ? Number(m[1]) : 0, body: stdout, stderr });
      },
    );
  });
}

/** The body curl sends, read back from the line (`--data-raw '…'`, undoing the shell quoting). */
export function dataOf(line: string): string | undefined {
  const m = /--data-raw ('(?:[^']|'\\'')*')/.exec(line);
  return m ? m[1].slice(1, -1).replace(/'\\''/g, "'") : undefined;
}

export function json(body: string): Record<string, unknown> {
  const v = JSON.parse(body) as unknown;
  assert.ok(typeof v === 'object' && v !== null, `not a JSON value: ${body.slice(0, 200)}`);
  return v as Record<string, unknown>;
}

// Shared by the one-origin tests: a loopback "other server" on 127.0.0.2 that records every connection and request
// reaching it, and the table of hostile request paths that point at it (or climb out of the base path).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export const OTHER_HOST = '127.0.0.2';

export interface Recorder {
  /** http://127.0.0.2:PORT */
  origin: string;
  port: number;
  /** TCP connections accepted (a TLS handshake attempt counts too). */
  connections: number;
  /** Requests received: method, URL and headers (where a leaked credential would show). */
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** The other server: answers 200 to anything, remembers everything. */
export async function startRecorder(): Promise<Recorder> {
  const server = http.createServer((req, res) => {
    rec.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
  });
  server.on('connection', () => rec.connections++);
  await new Promise<void>((resolve) => server.listen(0, OTHER_HOST, resolve));
  const port = (server.address() as AddressInfo).port;
  const rec: Recorder = {
    origin: `http://${OTHER_HOST}:${port}`,
    port,
    connections: 0,
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return rec;
}

/** The sentence for a path refused because it points at `origin`, whatever the connection's own origin. */
export const toOther = (origin: string): RegExp =>
  new RegExp(
    `^the path ".*" points to another server \\(${escape(origin)}\\); only paths on http://127\\.0\\.0\\.1:\\d+ are sent with this connection's credentials$`,
  );
const SPACES = /^the path ".*" holds spaces or control characters$/;
const OUT_OF_BASE =
  /^the path ".*" leads out of the connection's base path \(\/[^)]*\); only paths under http:\/\/127\.0\.0\.1:\d+\/.*\/ are sent with this connection's credentials$/;
const LINK =
  /^the path ".*" is a [a-z]+: link, not a path on this server; only paths on http:\/\/127\.0\.0\.1:\d+ are sent with this connection's credentials$/;

export function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Hostile paths against a connection on http://127.0.0.1:`basePort`/<vendor path>, each with the sentence that
 * refuses it. They aim at the recorder on 127.0.0.2:`port`, as a WHATWG URL parser (axios, Node, browsers) reads them.
 */
export function hostilePaths(port: number, basePort: number): [string, RegExp][] {
  const other = `${OTHER_HOST}:${port}`;
  const http2 = toOther(`http://${other}`);
  return [
    [`http://${other}/x`, http2],
    [`HtTp://${other}/x`, http2],
    [`https://${other}/x`, toOther(`https://${other}`)],
    [`http://${other}`, http2],
    [`//${other}/x`, http2],
    [`///${other}/x`, http2],
    [`\\\\${other}/x`, http2],
    [`/\\${other}/x`, http2],
    [`\\/${other}/x`, http2],
    [`http:\\\\${other}\\x`, http2],
    [`https:${other}/x`, toOther(`https://${other}`)],
    [`http://127.0.0.1:${basePort}@${other}/x`, http2],
    [`http://admin:hunter2-pw@${other}/x`, http2],
    [`http://${other}#@127.0.0.1:${basePort}/`, http2],
    [`http://${other}\\@127.0.0.1:${basePort}/`, http2],
    [`http://${other}?@127.0.0.1:${basePort}/`, http2],
    [`//2130706434:${port}/x`, http2],
    [`//0x7f.0.0.2:${port}/x`, http2],
    [`//0177.0.0.2:${port}/x`, http2],
    [`//127.2:${port}/x`, http2],
    [`//%31%32%37.0.0.2:${port}/x`, http2],
    [`//localhost:${port}/x`, toOther(`http://localhost:${port}`)],
    [`//[::ffff:127.0.0.2]:${port}/x`, toOther(`http://[::ffff:7f00:2]:${port}`)],
    [`\t//${other}/x`, SPACES],
    [`/\n/${other}/x`, SPACES],
    [`/\r\n/${other}/x`, SPACES],
    [` http://${other}/x`, SPACES],
    [`\u0000//${other}/x`, SPACES],
    [`\u001b//${other}/x`, SPACES],
    [`\u3000//${other}/x`, SPACES],
    [`file:///etc/passwd`, LINK],
    [`javascript:fetch('http://${other}/x')`, LINK],
    [`data:text/plain,x`, LINK],
    [`../../x`, OUT_OF_BASE],
    [`/..`, OUT_OF_BASE],
    [`%2e%2e/%2E%2e/x`, OUT_OF_BASE],
    [`.%2e/x`, OUT_OF_BASE],
    [`..\\..\\x`, OUT_OF_BASE],
    [`/a/../../../x`, OUT_OF_BASE],
  ];
}

/** Paths that look like another server but are paths on this one: sent to the connection's server, never elsewhere. */
export function onOriginLookalikes(port: number): string[] {
  const other = `${OTHER_HOST}:${port}`;
  return [`/%2F%2F${other}/x`, `/%5C%5C${other}/x`, `/\uFF0F\uFF0F${other}/x`, `/x?next=http://${other}/`, `/x#//${other}/`, `/a/../b`];
}

// A hostile HTTP server for the transport tests: every way a server (or a man in the middle) can make a client hang
// or swell. The first path segment picks the mode, so a vendor adapter pointed at `${url}/drip` drips on its login.
//   /drip/…      headers, then one byte every 200 ms, forever
//   /stall/…     headers, then nothing
//   /gzip/…      gzip that expands to 1 GiB of spaces (≈ 1 MiB on the wire), compressed on the fly as it is read
//   /huge/…      64 MiB of plain text, streamed
//   /deep/…      JSON nested 100 000 levels deep
//   /reset/…     a Content-Length of 1 MiB, 1 KiB of it, then a TCP reset
//   /redirect/…  302 to another origin
// Everything streams with back-pressure: the server itself stays small whatever the client does.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable, pipeline } from 'node:stream';
import * as zlib from 'node:zlib';

export interface HostileServer {
  /** http://HOST:PORT */
  url: string;
  /** Requests received, as `METHOD /path`. */
  seen: string[];
  close(): Promise<void>;
}

export const GZIP_EXPANDED_BYTES = 1024 * 1024 * 1024;
export const HUGE_BYTES = 64 * 1024 * 1024;
export const DEEP_LEVELS = 100_000;
export const REDIRECT_TARGET = 'https://other.example.test/moved/api/login?ticket=abc';

/** `total` bytes of `fill`, in chunks of 1 MiB, produced only as fast as they are read. */
function* repeated(total: number, fill: number): Generator<Buffer> {
  const chunk = Buffer.alloc(1024 * 1024, fill);
  for (let sent = 0; sent < total; sent += chunk.length) yield chunk.subarray(0, Math.min(chunk.length, total - sent));
}

export async function startHostileServer(host = '127.0.0.1'): Promise<HostileServer> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    const mode = (req.url ?? '/').split('/')[1];
    switch (mode) {
      case 'drip': {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{');
        const t = setInterval(() => res.write(' '), 200);
        timers.add(t);
        res.on('close', () => {
          clearInterval(t);
          timers.delete(t);
        });
        return;
      }
      case 'stall':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.flushHeaders();
        return;
      case 'gzip':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
        // pipeline: a client that hangs up stops the generator and the compressor too.
        pipeline(Readable.from(repeated(GZIP_EXPANDED_BYTES, 0x20)), zlib.createGzip({ level: 9 }), res, () => undefined);
        return;
      case 'huge':
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(HUGE_BYTES) });
        pipeline(Readable.from(repeated(HUGE_BYTES, 0x61)), res, () => undefined);
        return;
      case 'deep':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(`${'['.repeat(DEEP_LEVELS)}${']'.repeat(DEEP_LEVELS)}`);
        return;
      case 'reset':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(1024 * 1024) });
        res.write(Buffer.alloc(1024, 0x20), () => setTimeout(() => req.socket.resetAndDestroy(), 50));
        return;
      case 'redirect':
        res.writeHead(302, { Location: REDIRECT_TARGET, 'Content-Type': 'text/html' });
        res.end('<html><body>Moved</body></html>');
        return;
      default:
        res.writeHead(404).end();
    }
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    seen,
    close: async () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// A forward proxy written for the tests: plain-HTTP requests in absolute form (`GET http://host/path`) and CONNECT
// tunnels for HTTPS, on a loopback port. It logs one line per request ("GET http://127.0.0.2:5000/x",
// "CONNECT 127.0.0.2:5001") so a test can prove what went through it, can demand Basic proxy credentials (407
// otherwise), and can refuse every tunnel with a 502 as a proxy does when it cannot reach the server.
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TestProxyOptions {
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** `user:pass` the proxy demands in Proxy-Authorization (Basic); 407 without it. */
  credentials?: string;
  /** Answer every request and tunnel with 502 Bad Gateway, as a proxy that cannot reach the server. */
  refuse?: boolean;
}

export interface TestProxy {
  /** http://HOST:PORT */
  url: string;
  /** One line per request or tunnel, in order: "METHOD absolute-url" or "CONNECT host:port". */
  log: string[];
  /** The Proxy-Authorization headers seen, in order ('' when absent). */
  authorizations: string[];
  close(): Promise<void>;
}

export async function startTestProxy(opts: TestProxyOptions = {}): Promise<TestProxy> {
  const log: string[] = [];
  const authorizations: string[] = [];
  const expected = opts.credentials === undefined ? undefined : `Basic ${Buffer.from(opts.credentials).toString('base64')}`;
  const sockets = new Set<net.Socket>();

  /** Whether the request may pass; if not, the answer (407 or 502) has been written. */
  const admit = (req: http.IncomingMessage, refuse: (status: number, reason: string, headers?: Record<string, string>) => void): boolean => {
    const auth = req.headers['proxy-authorization'] ?? '';
    authorizations.push(auth);
    if (expected !== undefined && auth !== expected) {
      refuse(407, 'Proxy Authentication Required', { 'Proxy-Authenticate': 'Basic realm="test-proxy"' });
      return false;
    }
    if (opts.refuse) {
      refuse(502, 'Bad Gateway');
      return false;
    }
    return true;
  };

  const server = http.createServer((req, res) => {
    log.push(`${req.method} ${req.url}`);
    const ok = admit(req, (status, reason, headers) => {
      res.writeHead(status, reason, { 'Content-Type': 'text/plain', ...headers });
      res.end(`test proxy: ${reason}\n`);
    });
    if (!ok) return;
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end('test proxy: absolute URL expected\n');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request(
      { host: target.hostname.replace(/^\[|\]$/g, ''), port: target.port || 80, method: req.method, path: `${target.pathname}${target.search}`, headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.statusMessage, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end('test proxy: upstream failed\n');
    });
    req.pipe(upstream);
  });

  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    log.push(`CONNECT ${req.url}`);
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const ok = admit(req, (status, reason, headers) => {
      const extra = Object.entries(headers ?? {})
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      const body = `test proxy: ${reason}\n`;
      client.end(`HTTP/1.1 ${status} ${reason}\r\n${extra}Content-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    });
    if (!ok) return;
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(req.url ?? '');
    if (!m) {
      client.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(m[2]), m[1], () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => {
      if (client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n');
    });
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    log,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

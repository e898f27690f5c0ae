// The session manager's HTTP clients own keep-alive sockets: a client replaced after a settings change, and every
// client at dispose(), must close them (seen from a loopback server: its side of the socket closes).
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Adapters } from '../../src/core/adapter';
import type { ConnectionConfig } from '../../src/core/types';
import { SessionManager } from '../../src/engine/manager';

interface Loopback {
  url: string;
  /** The server's side of every connection made to it, in order. */
  sockets: Socket[];
  /** Resolves the request to /slow that is waiting. */
  release(): void;
  /** Resolves once a request to /slow has arrived. */
  slowArrived: Promise<void>;
  close(): Promise<void>;
}

async function loopback(): Promise<Loopback> {
  const sockets: Socket[] = [];
  let release = (): void => undefined;
  let arrived = (): void => undefined;
  const slowArrived = new Promise<void>((r) => (arrived = r));
  const server = http.createServer((req, res) => {
    if (req.url === '/slow') {
      release = () => res.end('slow');
      arrived();
      return;
    }
    res.end('ok');
  });
  server.on('connection', (s: Socket) => sockets.push(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sockets,
    release: () => release(),
    slowArrived,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

const closed = (s: Socket): Promise<unknown> => (s.closed ? Promise.resolve() : once(s, 'close'));

function idleSockets(agent: http.Agent): Socket[] {
  return Object.values(agent.freeSockets).flatMap((list) => list ?? []);
}

/** Waits until the agent has put a socket back in its free list (that happens just after the response ended). */
async function untilIdle(agent: http.Agent): Promise<Socket> {
  for (let i = 0; i < 100; i++) {
    const [s] = idleSockets(agent);
    if (s) return s;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('no idle keep-alive socket');
}

describe('session manager HTTP agents', () => {
  let server: Loopback;
  let manager: SessionManager;
  beforeEach(async () => {
    server = await loopback();
    manager = new SessionManager({ adapters: {} as Adapters, getSecret: async () => undefined });
  });
  afterEach(async () => {
    manager.dispose();
    await server.close();
  });

  const connOf = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({ id: 'x', vendor: 'datarhei', baseUrl: server.url, timeoutMs: 5000, ...over });

  it('keeps the client (and its keep-alive socket) while timeout and TLS settings stay the same', async () => {
    const first = manager.context(connOf()).http;
    await first.get(`${server.url}/`);
    const socket = await untilIdle(first.defaults.httpAgent as http.Agent);
    assert.equal(manager.context(connOf({ label: 'renamed' })).http, first);
    await first.get(`${server.url}/`);
    assert.equal(server.sockets.length, 1, 'the second request reused the socket');
    assert.equal(socket.destroyed, false);
  });

  it('closes the idle keep-alive sockets of a client replaced after a timeout or TLS change', async () => {
    const first = manager.context(connOf()).http;
    await first.get(`${server.url}/`);
    const agent = first.defaults.httpAgent as http.Agent;
    const socket = await untilIdle(agent);
    const second = manager.context(connOf({ timeoutMs: 6000 })).http;
    assert.notEqual(second, first);
    assert.equal(socket.destroyed, true, 'the client side is destroyed at once');
    await closed(server.sockets[0]);
    assert.deepEqual(idleSockets(agent), []);
    await second.get(`${server.url}/`);
    assert.equal(server.sockets.length, 2, 'the new client has its own socket');
  });

  it('lets a request in flight on the replaced client finish, then closes its socket', async () => {
    const first = manager.context(connOf()).http;
    const pending = first.get<string>(`${server.url}/slow`);
    await server.slowArrived;
    manager.context(connOf({ tls: { rejectUnauthorized: false } }));
    server.release();
    const res = await pending;
    assert.equal(res.status, 200);
    assert.equal(res.data, 'slow');
    await closed(server.sockets[0]);
    assert.deepEqual(idleSockets(first.defaults.httpAgent as http.Agent), []);
  });

  it('dispose() closes the sockets of every connection', async () => {
    const a = manager.context(connOf({ id: 'a' })).http;
    const b = manager.context(connOf({ id: 'b' })).http;
    await Promise.all([a.get(`${server.url}/`), b.get(`${server.url}/`)]);
    await Promise.all([untilIdle(a.defaults.httpAgent as http.Agent), untilIdle(b.defaults.httpAgent as http.Agent)]);
    assert.equal(server.sockets.length, 2);
    manager.dispose();
    await Promise.all(server.sockets.map(closed));
  });
});

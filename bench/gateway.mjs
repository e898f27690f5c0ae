// 2. Gateway overhead: the same client (node:http keep-alive, and curl for a cold per-request view) calling the mock
// directly (with the session's auth header, as the engine sends it) and through the gateway (startGateway,
// in-process, from out/): added p50/p99, throughput with 20 in flight, and the renewals 200 requests cause on a
// session about to expire.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as http from 'node:http';
import { ADAPTERS, newManager } from './engine.mjs';
import { startLoadClient } from './loadClient.mjs';
import { bareClient, captureExchange, fastAxios } from './requests.mjs';
import { interleave, median, noise, out, quantile, spread, throughput, us } from './util.mjs';

const { startGateway } = out('src/engine/gateway.js');
const { SecretVault } = out('src/engine/secretVault.js');
const { SessionStore, TOUCH_WRITE_DELAY_MS } = out('src/engine/sessionStore.js');
const ROUNDS = 5;
const PER_ROUND = 400;
const PAR_ROUNDS = 3;
const PAR_TOTAL = 2000;
const WIDTH = 20;

/** An in-memory SecretStorage that counts its writes (the extension's is VS Code's, shared by every window). */
function countingSecretStore() {
  const values = new Map();
  const store = {
    writes: 0,
    get: async (k) => values.get(k),
    store: async (k, v) => {
      store.writes++;
      values.set(k, v);
    },
    delete: async (k) => void values.delete(k),
    onDidChange: () => ({ dispose: () => undefined }),
  };
  return store;
}

/** datarhei with its refresh counted (the adapter's own refresh, called through). */
export function countingAdapters() {
  const counts = { refresh: 0, login: 0 };
  const dr = ADAPTERS.datarhei;
  const adapters = {
    ...ADAPTERS,
    datarhei: {
      ...dr,
      login: (...a) => (counts.login++, dr.login(...a)),
      refresh: (...a) => (counts.refresh++, dr.refresh(...a)),
    },
  };
  return { adapters, counts };
}

/** Starts the gateway over `m` for `conn` (and a TrafficLog as `traffic` when given: passed on only if supported). */
export async function gatewayFor(m, conn, extra = {}) {
  return startGateway({ manager: m, connections: () => [conn], exposed: [conn.id], ...extra });
}

/** A keep-alive client of the gateway sending `method path` (path under the connection's base) with the key. */
export function gatewayClient(gw, id, method, path) {
  const agent = new http.Agent({ keepAlive: true });
  const headers = { 'X-Api-Auth-Key': gw.key, Accept: 'application/json' };
  return {
    send: () =>
      new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: gw.port, method, path: `/${id}${path}`, headers, agent }, (res) => {
          const parts = [];
          res.on('data', (c) => parts.push(c));
          res.on('end', () =>
            res.statusCode === 200 ? resolve(parts.length) : reject(new Error(`gateway answered ${res.statusCode}: ${Buffer.concat(parts)}`)),
          );
        });
        req.on('error', reject);
        req.end();
      }),
    close: () => agent.destroy(),
  };
}

/**
 * The floor of "one more HTTP hop": a minimal pass-through reverse proxy on 127.0.0.1 (node:http, a keep-alive agent
 * to the mock, headers and body streamed as they are, no checks, no auth).
 */
export async function bareProxy(baseUrl) {
  const { hostname, port } = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const up = http.request({ host: hostname, port, method: req.method, path: req.url, headers: req.headers, agent }, (ures) => {
      res.writeHead(ures.statusCode ?? 502, ures.headers);
      ures.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  return listenLoopback(server, agent);
}

/** Listens on 127.0.0.1 (a port the system picks); `close` ends the server, its connections and the upstream agent. */
async function listenLoopback(server, agent) {
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => {
      agent.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * The floor of an axios-based gateway: the bare proxy's hop with axios ({@link fastAxios}) as the upstream client,
 * the body read whole before it is sent on and the answer sent whole, as a gateway that checks and scrubs must.
 */
export async function axiosProxy(baseUrl) {
  const { origin } = new URL(baseUrl);
  const { client, agent } = fastAxios();
  const server = http.createServer(async (req, res) => {
    const parts = [];
    for await (const c of req) parts.push(c);
    const headers = { ...req.headers };
    delete headers.host;
    delete headers.connection;
    try {
      const up = await client.request({ url: `${origin}${req.url}`, method: req.method, headers, data: parts.length ? Buffer.concat(parts) : undefined });
      res.writeHead(up.status, { 'content-type': up.headers['content-type'] ?? 'application/octet-stream', 'content-length': up.data.length });
      res.end(up.data);
    } catch {
      res.destroy();
    }
  });
  return listenLoopback(server, agent);
}

/** curl's own time_total per request (asynchronously: the gateway answers from this process's event loop). */
async function curlTimes(n, args) {
  const times = [];
  for (let i = 0; i < n; i++) {
    let stdout;
    try {
      ({ stdout } = await promisify(execFile)('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{time_total}', ...args], { encoding: 'utf8' }));
    } catch {
      return null;
    }
    const [code, t] = stdout.split(' ');
    if (code !== '200') throw new Error(`curl got HTTP ${code}`);
    times.push(Number(t) * 1000);
  }
  return times;
}

export async function benchGateway(results, mock) {
  const s = results.section('2. Gateway overhead: datarhei GET /api/v3/process, direct vs through the gateway');
  const { conn, secret, req } = mock.conns.find((c) => c.conn.vendor === 'datarhei');
  const m = newManager(secret);
  await m.login(conn, { secret });
  const ex = await captureExchange(m, conn, req);
  const direct = bareClient(conn.baseUrl, ex);
  const gw = await gatewayFor(m, conn);
  const via = gatewayClient(gw, conn.id, 'GET', req.path);
  const proxy = await bareProxy(conn.baseUrl);
  const proxied = bareClient(proxy.url, ex);
  const axHop = await axiosProxy(conn.baseUrl);
  const axProxied = bareClient(axHop.url, ex);
  for (let i = 0; i < 200; i++) for (const f of [direct.send, via.send, proxied.send, axProxied.send]) await f();
  const lat = async (one) => {
    const a = [];
    for (let i = 0; i < PER_ROUND; i++) {
      const t0 = performance.now();
      await one();
      a.push(performance.now() - t0);
    }
    return a;
  };
  const r = await interleave(ROUNDS, {
    direct: () => lat(direct.send),
    engine: () => lat(() => m.request(conn, req)),
    gateway: () => lat(via.send),
    proxy: () => lat(proxied.send),
    axHop: () => lat(axProxied.send),
  });
  const p50d = r.direct.map(median);
  const p50g = r.gateway.map(median);
  const p50p = r.proxy.map(median);
  const p50x = r.axHop.map(median);
  const ratio = p50g.map((g, i) => g / p50d[i]);
  const hop = p50p.map((p, i) => p / p50d[i]);
  const axFloor = p50x.map((x, i) => x / p50d[i]);
  const p99d = quantile(r.direct.flat(), 0.99);
  const p99g = quantile(r.gateway.flat(), 0.99);
  results.row(
    s,
    'node:http keep-alive p50 gateway / direct',
    `${us(median(p50g))} / ${us(median(p50d))} = ${spread(ratio)}×`,
    '≤ 1.5×',
    median(ratio) <= 1.5,
    `floor: a bare node:http proxy / direct = ${spread(hop)}× (one more hop alone), an axios hop / direct = ${spread(axFloor)}×; added p50 ${us(median(p50g) - median(p50d))}, p99 ${us(p99g)} vs ${us(p99d)} (added ${us(p99g - p99d)}); ${ROUNDS} runs × ${PER_ROUND}, noise ${noise(ratio)}`,
    { goal: true, floorMeets: median(axFloor) <= 1.5 },
  );
  const overProxy = p50g.map((g, i) => g / p50p[i]);
  results.row(
    s,
    'p50 gateway / bare node:http proxy (floor of one more hop)',
    `${us(median(p50g))} / ${us(median(p50p))} = ${spread(overProxy)}×`,
    '',
    undefined,
    `the bare proxy adds ${us(median(p50p) - median(p50d))} to direct at p50 (p99 ${us(quantile(r.proxy.flat(), 0.99))}); the gateway adds ${us(median(p50g) - median(p50p))} more`,
  );
  const overAx = p50g.map((g, i) => g / p50x[i]);
  results.row(
    s,
    'p50 gateway / an axios hop (the floor of an axios-based gateway)',
    `${us(median(p50g))} / ${us(median(p50x))} = ${spread(overAx)}×`,
    '',
    undefined,
    `the axios hop: the bare proxy with axios (set up as fast as it goes) as its upstream client, bodies whole; the gateway's checks, auth, renewal and scrubbing add ${us(median(p50g) - median(p50x))}`,
  );
  const p50e = r.engine.map(median);
  const own = p50g.map((g, i) => g / p50e[i]);
  results.row(
    s,
    'gateway / the engine called in-process (its own share)',
    `${us(median(p50g))} / ${us(median(p50e))} = ${spread(own)}×`,
    '',
    undefined,
    `the gateway's own HTTP hop adds ${us(median(p50g) - median(p50e))} at p50; the rest is the engine's overhead (section 1)`,
  );

  // Throughput: the load in a process of its own (as curl or a script would be), the same client for every target.
  const lc = await startLoadClient();
  const plain = { ...ex.headers };
  delete plain.host;
  // The exchange's own path (the mock's vendor prefix included) on the mock and the proxies; the gateway takes the
  // request's path under the connection's base.
  const origin = (base) => new URL(base).origin;
  const targets = {
    direct: { url: `${origin(conn.baseUrl)}${ex.path}`, method: 'GET', headers: plain },
    proxy: { url: `${origin(proxy.url)}${ex.path}`, method: 'GET', headers: plain },
    axHop: { url: `${origin(axHop.url)}${ex.path}`, method: 'GET', headers: plain },
    gateway: { url: `${gw.baseUrl(conn.id)}${req.path.slice(1)}`, method: 'GET', headers: { 'X-Api-Auth-Key': gw.key, Accept: 'application/json' } },
  };
  const t = await interleave(PAR_ROUNDS, Object.fromEntries(Object.entries(targets).map(([k, v]) => [k, () => lc.throughput(v, PAR_TOTAL, WIDTH)])));
  await lc.close();
  results.row(
    s,
    `req/s with ${WIDTH} in flight through the gateway (load from another process)`,
    `${spread(t.gateway, 0)} (direct ${median(t.direct).toFixed(0)}, bare proxy ${median(t.proxy).toFixed(0)}, axios hop ${median(t.axHop).toFixed(0)})`,
    '≥ 3,000 req/s',
    median(t.gateway) >= 3000,
    `${PAR_ROUNDS} interleaved runs of ${PAR_TOTAL}, noise ${noise(t.gateway)}; ratio to direct ${spread(t.gateway.map((g, i) => g / t.direct[i]))}×, to the bare proxy ${spread(t.gateway.map((g, i) => g / t.proxy[i]))}×, to the axios hop ${spread(t.gateway.map((g, i) => g / t.axHop[i]))}×`,
    { goal: true, floorMeets: median(t.axHop) >= 3000 },
  );

  // curl: a cold process, a new connection per request (its own time_total, without process start-up).
  const cd = await curlTimes(15, ['-H', `Authorization: ${ex.headers.authorization}`, `${conn.baseUrl}${req.path}`]);
  const cg = cd && (await curlTimes(15, ['-H', `X-Api-Auth-Key: ${gw.key}`, `${gw.baseUrl(conn.id)}${req.path.slice(1)}`]));
  if (cd && cg)
    results.row(
      s,
      'curl (new connection each) p50 gateway / direct',
      `${us(median(cg))} / ${us(median(cd))} = ${(median(cg) / median(cd)).toFixed(2)}×`,
      '',
      undefined,
      '15 each',
    );
  else results.row(s, 'curl', 'not measured (curl failed or is missing)');
  direct.close();
  via.close();
  proxied.close();
  axProxied.close();
  await proxy.close();
  await axHop.close();
  await gw.stop();
  m.dispose();

  // One renewal for 200 requests on a session about to expire (20 in flight).
  const { adapters, counts } = countingAdapters();
  const m2 = newManager(secret, adapters);
  await m2.login(conn, { secret });
  const gw2 = await gatewayFor(m2, conn);
  const c2 = gatewayClient(gw2, conn.id, 'GET', req.path);
  // The window's session storage, as the extension attaches it: how many writes the 200 requests cause.
  const storage = countingSecretStore();
  const vault = new SecretVault(storage, () => undefined);
  const store = new SessionStore(m2, vault, { all: () => [conn], get: (id) => (id === conn.id ? conn : undefined) }, { info: () => undefined });
  const cur = m2.get(conn.id);
  // 1 s left of a 10-minute token: inside the refresh lead (30 s, at most half the lifetime), so the next request
  // renews first, and the 19 others in flight wait for that renewal.
  m2.set({ ...cur, issuedAt: Date.now() - 600_000, expiresAt: Date.now() + 1000 });
  const writesBefore = storage.writes;
  await throughput(200, WIDTH, c2.send);
  const writes = storage.writes - writesBefore;
  results.row(
    s,
    "secret-storage writes for those 200 requests (the window's SessionStore attached)",
    `${writes} (the refreshed session; the last use follows within ${TOUCH_WRITE_DELAY_MS / 1000} s)`,
    '',
    undefined,
    'a session that is only used is written at most once per delay; a new token at once',
  );
  store.dispose();
  vault.dispose();
  results.row(
    s,
    'renewals for 200 requests (20 in flight) on an expiring session',
    `${counts.refresh} refresh, ${counts.login - 1} login`,
    '1 renewal',
    counts.refresh + counts.login - 1 === 1,
  );
  c2.close();
  await gw2.stop();
  m2.dispose();
}

// 1. Request overhead: the engine (SessionManager.request, the path of the CLI and the gateway) against a bare
//    node:http client with keep-alive sending the very same exchange (method, path, headers, body, as captured from
//    the engine's own request), interleaved. 3. Where the time goes: a CPU profile of the engine path.
import diagnostics from 'node:diagnostics_channel';
import * as http from 'node:http';
import { newManager } from './engine.mjs';
import { interleave, median, noise, quantile, requireFromRoot, spread, throughput, us } from './util.mjs';

const axiosModule = requireFromRoot('axios');
const axios = axiosModule.default ?? axiosModule;

const SEQ_TOTAL = 2000;
const ROUNDS = 5;
const WIDTH = 20;
const PAR_PER_ROUND = 500;
const PAR_ROUNDS = 3;

/**
 * What the engine put on the wire for one request: method, path and headers as they left Node's http client (its
 * diagnostics channel publishes once the request is written), the body as the adapter's `wire()` says it sends it.
 */
export async function captureExchange(m, conn, req) {
  let captured;
  const onStart = ({ request }) => {
    captured = { method: request.method, path: request.path, headers: { ...request.getHeaders() } };
  };
  diagnostics.subscribe('http.client.request.start', onStart);
  try {
    await m.request(conn, req);
  } finally {
    diagnostics.unsubscribe('http.client.request.start', onStart);
  }
  if (!captured) throw new Error('no request was captured');
  const data = m.adapter(conn).wire(conn, m.get(conn.id), req).data;
  captured.body = Buffer.from(data ?? '');
  if (captured.body.length) captured.headers['content-length'] = String(captured.body.length);
  return captured;
}

/** A bare keep-alive client replaying one exchange; resolves when the whole answer is read. */
export function bareClient(baseUrl, ex) {
  const agent = new http.Agent({ keepAlive: true });
  const { hostname, port } = new URL(baseUrl);
  const headers = { ...ex.headers };
  return {
    send: () =>
      new Promise((resolve, reject) => {
        const req = http.request({ host: hostname, port, method: ex.method, path: ex.path, headers, agent }, (res) => {
          const parts = [];
          res.on('data', (c) => parts.push(c));
          res.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(ex.body.length ? ex.body : undefined);
      }),
    close: () => agent.destroy(),
  };
}

/**
 * A bare axios instance as fast as axios can be set up: keep-alive with axios's own 60 s socket keep-alive (no
 * setsockopt per request), no redirects (no follow-redirects wrapper), no interceptors, no transforms, any status.
 */
export function fastAxios() {
  const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
  const client = axios.create({
    httpAgent: agent,
    proxy: false,
    maxRedirects: 0,
    transformRequest: [(d) => d],
    transformResponse: [(d) => d],
    validateStatus: () => true,
    responseType: 'arraybuffer',
  });
  return { client, agent };
}

/**
 * The same exchange through a bare axios instance (DEVELOPERS.md mandates axios for HTTP), set up as fast as axios
 * goes ({@link fastAxios}): the floor of what any axios-based engine can reach.
 */
export function bareAxios(baseUrl, ex) {
  const { client, agent } = fastAxios();
  const { origin } = new URL(baseUrl);
  const headers = { ...ex.headers };
  delete headers.host;
  delete headers.connection;
  const data = ex.body.length ? ex.body : undefined;
  return {
    send: async () => (await client.request({ url: `${origin}${ex.path}`, method: ex.method, headers, data, responseType: 'arraybuffer' })).data,
    close: () => agent.destroy(),
  };
}

async function latencies(n, one) {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await one();
    a[i] = performance.now() - t0;
  }
  return a;
}

export async function benchRequests(results, mock) {
  const seq = results.section('1. Request overhead: engine vs bare node:http keep-alive (same exchange, mock in its own process)');
  const par = results.section(`1b. Throughput with ${WIDTH} in flight: engine vs bare`);
  const perVendor = [];
  for (const { conn, secret, req } of mock.conns) {
    const m = newManager(secret);
    await m.login(conn, { secret });
    const ex = await captureExchange(m, conn, req);
    const bare = bareClient(conn.baseUrl, ex);
    const ax = bareAxios(conn.baseUrl, ex);
    const engine = () => m.request(conn, req);
    for (let i = 0; i < 200; i++) for (const f of [engine, bare.send, ax.send]) await f(); // warm-up (JIT, sockets)
    const per = SEQ_TOTAL / ROUNDS;
    const r = await interleave(ROUNDS, { engine: () => latencies(per, engine), bare: () => latencies(per, bare.send), axios: () => latencies(per, ax.send) });
    const p50e = r.engine.map((a) => median(a));
    const p50b = r.bare.map((a) => median(a));
    const p50a = r.axios.map((a) => median(a));
    const ratios = p50e.map((e, i) => e / p50b[i]);
    const axRatios = p50e.map((e, i) => e / p50a[i]);
    const floorRatios = p50a.map((a, i) => a / p50b[i]);
    const all = (runs) => runs.flatMap((a) => [...a]);
    const p99e = quantile(all(r.engine), 0.99);
    const p99b = quantile(all(r.bare), 0.99);
    const p99a = quantile(all(r.axios), 0.99);
    const name = `${conn.id} (${conn.vendor}${conn.format === 'xml' ? ', XML' : ''})`;
    const axFloor = `bare axios / bare node = ${spread(floorRatios)}×: the mandated library alone is ${median(floorRatios) > 1.3 ? 'already above' : 'within'} 1.3×`;
    results.row(
      seq,
      `${name} p50 engine / bare node`,
      `${us(median(p50e))} / ${us(median(p50b))} = ${spread(ratios)}×`,
      '≤ 1.3×',
      median(ratios) <= 1.3,
      `${axFloor}; p99 ${us(p99e)} / ${us(p99b)}; ${SEQ_TOTAL} each in ${ROUNDS} interleaved runs, ratio noise ${noise(ratios)}`,
      { goal: true, floorMeets: median(floorRatios) <= 1.3 },
    );
    results.row(
      seq,
      `${name} p50 engine / bare axios`,
      `${us(median(p50e))} / ${us(median(p50a))} = ${spread(axRatios)}×`,
      '',
      undefined,
      `our own share on top of axios (set up as fast as it goes: keep-alive, no redirects, no interceptors); p99 axios ${us(p99a)}`,
    );
    const t = await interleave(PAR_ROUNDS, {
      engine: () => throughput(PAR_PER_ROUND, WIDTH, engine),
      bare: () => throughput(PAR_PER_ROUND, WIDTH, bare.send),
      axios: () => throughput(PAR_PER_ROUND, WIDTH, ax.send),
    });
    const tr = t.engine.map((e, i) => e / t.bare[i]);
    const ta = t.engine.map((e, i) => e / t.axios[i]);
    const tf = t.axios.map((a, i) => a / t.bare[i]);
    results.row(
      par,
      `${conn.id} req/s engine / bare node`,
      `${median(t.engine).toFixed(0)} / ${median(t.bare).toFixed(0)} = ${spread(tr)}×`,
      '≥ 0.8×',
      median(tr) >= 0.8,
      `bare axios / bare node = ${spread(tf)}×; ${PAR_ROUNDS} interleaved runs of ${PAR_PER_ROUND}, noise ${noise(tr)}`,
      { goal: true, floorMeets: median(tf) >= 0.8 },
    );
    results.row(
      par,
      `${conn.id} req/s engine / bare axios`,
      `${median(t.engine).toFixed(0)} / ${median(t.axios).toFixed(0)} = ${spread(ta)}×`,
      '',
      undefined,
      'our own share on top of axios',
    );
    perVendor.push({ id: conn.id, overheadUs: (median(p50e) - median(p50b)) * 1000 });
    bare.close();
    ax.close();
    m.dispose();
  }
  return perVendor;
}

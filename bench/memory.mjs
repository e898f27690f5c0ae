// 5. Memory: the heap (after full garbage collections; node --expose-gc) after N operations against the heap after
// a first small number: Cove visa renewals (each call renews the visa), datarhei refreshes, gateway requests. What
// grows with use must be bounded (session history, the Traffic log).
import { newManager } from './engine.mjs';
import { gatewayClient, gatewayFor } from './gateway.mjs';
import { gc, out } from './util.mjs';

const MB = 1024 * 1024;
const LIMIT_MB = 5;

function heapMb() {
  gc();
  return process.memoryUsage().heapUsed / MB;
}

/**
 * Runs `step(n, until)` (n more operations, stopping early at performance.now() ≥ until; returns how many it did) to
 * `first` (at most a tenth of `total`), measures, then on to `total` or until `budgetMs` has passed, measures.
 * The time budget keeps the whole run under 10 minutes on a loaded machine; the count reached is reported.
 */
async function grows(first0, total, budgetMs, step) {
  const first = Math.min(first0, Math.round(total / 10));
  const until = performance.now() + budgetMs;
  const done0 = await step(first, Infinity);
  const a = heapMb();
  const done = done0 + (await step(total - first, until));
  const b = heapMb();
  return { a, b, d: b - a, first, done, total };
}

/** `total` calls of `one()` with `width` in flight, stopping at `until`; returns how many were made. */
async function calls(total, width, until, one) {
  let next = 0;
  const worker = async () => {
    while (next < total && performance.now() < until) {
      next++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return next;
}

const counted = (g) => `${g.first.toLocaleString('en')} → ${g.done.toLocaleString('en')}`;
const stopped = (g) => (g.done < g.total ? `; stopped at ${g.done.toLocaleString('en')} of ${g.total.toLocaleString('en')} (time budget)` : '');

export async function benchMemory(results, mock, { scale = 1, budgetS = { cove: 200, datarhei: 60, gateway: 150 } } = {}) {
  const s = results.section(`5. Memory: heap growth (after gc) between the first operations and many (limit ${LIMIT_MB} MB)`);
  const row = (what, g, extra = '') =>
    results.row(s, what, `${g.a.toFixed(1)} → ${g.b.toFixed(1)} MB (${g.d >= 0 ? '+' : ''}${g.d.toFixed(2)} MB)`, `≤ +${LIMIT_MB} MB`, g.d <= LIMIT_MB, extra);

  // Cove: every call returns a new visa (a renewal); 4 in flight to keep the run short.
  const cove = mock.conns.find((c) => c.conn.vendor === 'cove');
  const mc = newManager(cove.secret);
  await mc.login(cove.conn, { secret: cove.secret });
  const n1 = Math.round(100_000 * scale);
  const g1 = await grows(1000, n1, budgetS.cove * 1000, (n, until) => calls(n, 4, until, () => mc.request(cove.conn, cove.req)));
  row(`Cove: ${counted(g1)} visa renewals (calls, 4 in flight)`, g1, `history ${mc.get(cove.conn.id).history.length} entries${stopped(g1)}`);
  mc.dispose();

  // datarhei: refreshes (GET /api/login/refresh), one at a time.
  const dr = mock.conns.find((c) => c.conn.vendor === 'datarhei');
  const md = newManager(dr.secret);
  await md.login(dr.conn, { secret: dr.secret });
  const n2 = Math.round(10_000 * scale);
  const g2 = await grows(1000, n2, budgetS.datarhei * 1000, (n, until) => calls(n, 1, until, () => md.renew(dr.conn)));
  row(`datarhei: ${counted(g2)} refreshes`, g2, `history ${md.get(dr.conn.id).history.length} entries${stopped(g2)}`);

  // Gateway: 20 in flight; with a TrafficLog as `traffic` when the gateway takes one.
  const { TrafficLog } = out('src/engine/traffic.js');
  const traffic = new TrafficLog();
  const gw = await gatewayFor(md, dr.conn, { traffic });
  const client = gatewayClient(gw, dr.conn.id, 'GET', dr.req.path);
  const n3 = Math.round(100_000 * scale);
  let failed = 0;
  const g3 = await grows(1000, n3, budgetS.gateway * 1000, (n, until) => calls(n, 20, until, () => client.send().catch(() => failed++)));
  const logged = traffic.entries(dr.conn.id).length;
  row(
    `gateway: ${counted(g3)} requests (20 in flight)`,
    g3,
    `${logged ? `with a TrafficLog: ${logged} entries kept` : 'the gateway took no TrafficLog (no `traffic` option yet): measured without the Traffic view'}${stopped(g3)}${failed ? `; ${failed} requests failed (see the report)` : ''}`,
  );
  if (failed)
    results.note(
      `Memory run: ${failed} of ${n3} gateway requests failed (a keep-alive socket the mock server closed as it was reused: the engine does not retry a request whose reused socket was dropped).`,
    );
  client.close();
  await gw.stop();
  md.dispose();
}

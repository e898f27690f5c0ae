// 6. Scale of the views, and 7a. activate(): the production bundle in a stub VS Code host (bench/vscodeStub.mjs).
// 2,000 connections in the settings, 500 of them logged in (real sessions from the loopback vendors, one per vendor,
// copied): building every tree item, one countdown tick (and which rows it refreshes), and the intervals running.
import { newManager } from './engine.mjs';
import { fakeContext, installVscodeStub, loadExtension } from './vscodeStub.mjs';
import { interleave, median, noise, spread } from './util.mjs';

const CONNECTIONS = 2000;
const LOGGED_IN = 500;

/** Counts the intervals the code under test starts (and clears). */
function intervalCounter() {
  const live = new Set();
  const { setInterval: si, clearInterval: ci } = globalThis;
  globalThis.setInterval = (...a) => {
    const h = si(...a);
    live.add(h);
    return h;
  };
  globalThis.clearInterval = (h) => {
    live.delete(h);
    return ci(h);
  };
  return { live: () => live.size, restore: () => Object.assign(globalThis, { setInterval: si, clearInterval: ci }) };
}

export async function benchActivate(results) {
  const s = results.section('7a. activate() of the production bundle in a stub host (what our own code costs)');
  const r = await interleave(1, {
    zero: async () => activateTimes([], 40),
    many: async () => activateTimes(connectionsFor(CONNECTIONS, { cove: 'http://127.0.0.1:9/cove/jsonapi' }), 15),
  });
  const [zero] = r.zero;
  const [many] = r.many;
  results.row(s, 'activate(), no connections', `${spread(zero.act)} ms`, '≤ 10 ms', median(zero.act) <= 10, `40 fresh loads, noise ${noise(zero.act)}`);
  results.row(s, 'require(dist/extension.js)', `${spread(zero.load)} ms`);
  results.row(
    s,
    `activate(), ${CONNECTIONS.toLocaleString('en')} connections`,
    `${spread(many.act)} ms`,
    '≤ 10 ms',
    median(many.act) <= 10,
    `15 fresh loads, noise ${noise(many.act)}`,
  );
}

function activateTimes(connections, n) {
  const act = [];
  const load = [];
  for (let i = 0; i < n; i++) {
    installVscodeStub({ connections });
    const { ext, loadMs } = loadExtension();
    const ctx = fakeContext();
    const t0 = performance.now();
    ext.activate(ctx);
    act.push(performance.now() - t0);
    load.push(loadMs);
    for (const d of ctx.subscriptions) d.dispose?.();
  }
  return { act, load };
}

/** `n` valid connections spread over the five vendors (base URLs from `bases`, any address: nothing is sent). */
export function connectionsFor(n, bases) {
  const vendors = ['cove', 'commvault', 'ipcortex', 'code42', 'datarhei'];
  return Array.from({ length: n }, (_, i) => {
    const vendor = vendors[i % vendors.length];
    const baseUrl = bases[vendor] ?? `http://127.0.0.1:9/${vendor}`;
    const c = { id: `c${i}`, label: `Connection ${i}`, vendor, baseUrl, username: 'admin' };
    if (vendor === 'cove') c.partner = 'Acme';
    return c;
  });
}

export async function benchViews(results, mock) {
  const s = results.section(`6. Scale of the views: ${CONNECTIONS.toLocaleString('en')} connections, ${LOGGED_IN} logged in (production bundle, stub host)`);
  // One real session per vendor, copied to the logged-in connections of that vendor.
  const real = {};
  for (const { conn, secret } of mock.conns) {
    if (real[conn.vendor]) continue;
    const m = newManager(secret);
    real[conn.vendor] = await m.login(conn, { secret });
    m.dispose();
  }
  const conns = connectionsFor(CONNECTIONS, mock.bases);
  const timers = intervalCounter();
  try {
    installVscodeStub({ connections: conns, treeVisible: true });
    const { ext } = loadExtension();
    const ctx = fakeContext(3);
    const api = ext.activate(ctx);
    await new Promise((r) => setTimeout(r, 20)); // the deferred restore()
    const idleTimers = timers.live();
    results.row(s, 'intervals running with nothing logged in', String(idleTimers), '0', idleTimers === 0);

    const t0 = performance.now();
    for (const conn of conns.slice(0, LOGGED_IN)) api.sessions.manager.set({ ...real[conn.vendor], connectionId: conn.id }, conn);
    const setMs = performance.now() - t0;
    const liveTimers = timers.live();
    results.row(
      s,
      `intervals running with ${LOGGED_IN} logged in`,
      String(liveTimers),
      '1',
      liveTimers === 1,
      `${LOGGED_IN} sessions set in ${setMs.toFixed(0)} ms`,
    );

    const tree = api.tree;
    const build = () => {
      const t = performance.now();
      for (const node of tree.getChildren()) tree.getTreeItem(node);
      return performance.now() - t;
    };
    for (let i = 0; i < 3; i++) build();
    const builds = Array.from({ length: 15 }, build);
    results.row(
      s,
      `tree: all ${CONNECTIONS.toLocaleString('en')} root items (getChildren + getTreeItem)`,
      `${spread(builds)} ms`,
      '≤ 20 ms',
      median(builds) <= 20,
      `15 runs, noise ${noise(builds)}`,
    );

    // One tick: every ticker listener (tree + status bar), as the 1-s interval calls them; then what VS Code asks back.
    const fired = [];
    const sub = tree.onDidChangeTreeData((e) => fired.push(e));
    const listeners = [...api.ticker.listeners];
    const tick = () => {
      fired.length = 0;
      const t = performance.now();
      for (const l of listeners) l();
      return performance.now() - t;
    };
    for (let i = 0; i < 3; i++) tick();
    const ticks = Array.from({ length: 30 }, tick);
    const rows = fired.flatMap((e) => (Array.isArray(e) ? e : e ? [e] : ['(whole tree)']));
    const counting = api.sessions.manager.all().filter((x) => x.expiresAt !== null || x.refreshExpiresAt).length;
    results.row(s, 'one countdown tick (all ticker listeners)', `${spread(ticks, 3)} ms`, '≤ 1 ms', median(ticks) <= 1, `30 ticks, noise ${noise(ticks)}`);
    const onlyCounting = rows.length === counting && rows.every((r) => typeof r === 'object' && api.sessions.get(r.conn.id));
    results.row(s, 'rows a tick refreshes', `${rows.length} (of ${CONNECTIONS}; ${counting} sessions count down)`, 'only counting rows', onlyCounting);
    const rerender = Array.from({ length: 10 }, () => {
      const t = performance.now();
      for (const r of rows) if (typeof r === 'object') tree.getTreeItem(r);
      return performance.now() - t;
    });
    results.row(
      s,
      'getTreeItem for the refreshed rows (VS Code asks after a tick)',
      `${spread(rerender, 2)} ms`,
      '',
      undefined,
      'not part of the tick handler; informational',
    );
    // A row's tooltip is made only when it is hovered (resolveTreeItem): the cost of one hover.
    const hovered = rows.find((r) => typeof r === 'object');
    const hovers = Array.from({ length: 50 }, () => {
      const t = performance.now();
      tree.resolveTreeItem(tree.getTreeItem(hovered), hovered);
      return performance.now() - t;
    });
    results.row(s, 'one row hovered (getTreeItem + resolveTreeItem: its tooltip)', `${spread(hovers, 3)} ms`, '', undefined, '50 hovers; informational');
    sub.dispose();
    for (const d of ctx.subscriptions) d.dispose?.();
    results.row(s, 'intervals running after dispose', String(timers.live()), '0', timers.live() === 0);
  } finally {
    timers.restore();
  }
}

// 3. Where the time goes: a CPU profile (node:inspector) of the engine path, summarised as the functions with the
// most self time and the share of each area (our code, axios, Node's http internals, garbage collection).
import { Session } from 'node:inspector/promises';
import * as path from 'node:path';
import { root } from './util.mjs';

/** Profiles `run()`; returns { areas: [[area, %]], top: [{ fn, where, pct }] } over the samples that were not idle. */
export async function profile(run, top = 12) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  await run();
  const { profile: p } = await session.post('Profiler.stop');
  session.disconnect();
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const areas = new Map();
  let total = 0;
  const counts = new Map();
  for (const id of p.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const [id, hits] of counts) {
    const { callFrame: f } = byId.get(id);
    if (f.functionName === '(idle)' || f.functionName === '(program)') continue;
    total += hits;
    const where = short(f.url, f.lineNumber);
    const key = `${f.functionName || '(anonymous)'}\u0000${where}`;
    self.set(key, (self.get(key) ?? 0) + hits);
    const area = areaOf(f);
    areas.set(area, (areas.get(area) ?? 0) + hits);
  }
  const pct = (h) => (h / total) * 100;
  return {
    areas: [...areas].sort((a, b) => b[1] - a[1]).map(([a, h]) => [a, pct(h)]),
    top: [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, h]) => {
        const [fn, where] = k.split('\u0000');
        return { fn, where, pct: pct(h) };
      }),
  };
}

function short(url, line) {
  if (!url) return '(native)';
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const rel = file.startsWith(root) ? path.relative(root, file) : file;
  const at = rel.lastIndexOf('node_modules/'); // node_modules may be a link to another checkout
  return `${(at >= 0 ? rel.slice(at + 'node_modules/'.length) : rel).replace(/^out\//, '')}:${line + 1}`;
}

function areaOf(f) {
  const url = f.url;
  if (f.functionName === '(garbage collector)') return 'garbage collection';
  if (!url) return 'native / VM';
  if (url.includes('/node_modules/axios/')) return 'axios';
  if (url.includes('/node_modules/')) return 'other packages';
  if (url.includes('/out/src/')) return 'our code (out/src)';
  if (url.includes('/bench/')) return 'benchmark loop';
  if (url.startsWith('node:')) return 'Node internals (http, net, streams, timers)';
  return 'other';
}

/** The profile as lines for the report. */
export function profileLines({ areas, top }) {
  return [
    `areas: ${areas.map(([a, p]) => `${a} ${p.toFixed(0)} %`).join(' · ')}`,
    ...top.map((t) => `${t.pct.toFixed(1).padStart(5)} %  ${t.fn}  (${t.where})`),
  ];
}

/** 3. The engine path (SessionManager.request, sequential) profiled per vendor family; the summary goes in the notes. */
export async function benchProfile(results, mock, newManager) {
  const s = results.section('3. Where the time goes: CPU profile of 2,000 sequential engine requests (self time, idle excluded)');
  const lines = [];
  for (const id of ['dr', 'cove']) {
    const { conn, secret, req } = mock.conns.find((c) => c.conn.id === id);
    const m = newManager(secret);
    await m.login(conn, { secret });
    for (let i = 0; i < 200; i++) await m.request(conn, req);
    const pr = await profile(async () => {
      for (let i = 0; i < 2000; i++) await m.request(conn, req);
    });
    m.dispose();
    results.row(s, `${conn.vendor}: areas`, pr.areas.map(([a, p]) => `${a} ${p.toFixed(0)} %`).join(' · '));
    lines.push(`${conn.vendor} (${id}), top self time:`, '', '```text', ...profileLines(pr).slice(1), '```', '');
  }
  results.note(['### 3. Top self-time functions of the engine path', '', ...lines].join('\n'));
}

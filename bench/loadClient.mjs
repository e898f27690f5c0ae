// The load client of section 2's throughput, in a child process of its own: a gateway's clients (curl, Python, a
// script) are other processes, so the gateway's process must not also run the load. It is the same node:http
// keep-alive client for every target (direct, a bare proxy, an axios hop, the gateway).
//   const lc = await startLoadClient(); const rps = await lc.throughput({ url, method, headers, body }, 1000, 20);
import { fork } from 'node:child_process';
import * as http from 'node:http';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);

/** `total` requests to `target`, `width` in flight on one keep-alive agent; req/s (a non-200 answer fails the run). */
async function run({ url, method, headers, body }, total, width) {
  const { hostname, port, pathname, search } = new URL(url);
  const agent = new http.Agent({ keepAlive: true });
  const data = body ? Buffer.from(body, 'base64') : undefined;
  const one = () =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: hostname, port, method, path: `${pathname}${search}`, headers, agent }, (res) => {
        const parts = [];
        res.on('data', (c) => parts.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url} answered ${res.statusCode}: ${Buffer.concat(parts)}`))));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(data);
    });
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      await one();
    }
  };
  for (let i = 0; i < 50; i++) await one(); // warm sockets and JIT
  const t0 = performance.now();
  await Promise.all(Array.from({ length: width }, worker));
  const rps = total / ((performance.now() - t0) / 1000);
  agent.destroy();
  return rps;
}

if (process.argv[2] === '--child') {
  process.on('message', (m) => {
    run(m.target, m.total, m.width).then(
      (rps) => process.send({ id: m.id, rps }),
      (e) => process.send({ id: m.id, error: String(e?.message ?? e) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true });
}

export async function startLoadClient() {
  const child = fork(self, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the load client exited (${code})`)));
  });
  let ids = 0;
  return {
    /** req/s for `total` requests with `width` in flight; `target` = { url, method, headers, body (base64) }. */
    throughput: (target, total, width) =>
      new Promise((resolve, reject) => {
        const id = ++ids;
        const onMessage = (m) => {
          if (m.id !== id) return;
          child.off('message', onMessage);
          if (m.error) reject(new Error(m.error));
          else resolve(m.rps);
        };
        child.on('message', onMessage);
        child.send({ id, target, total, width });
      }),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

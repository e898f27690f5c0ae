// Process and port helpers of the code-server library (code-server.mjs): a free loopback port, a health
// check by HTTP status, and stopping a detached process group.
import * as http from 'node:http';
import * as net from 'node:net';

/** A free TCP port on 127.0.0.1 (asked from the OS; tiny race until code-server binds it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/** The HTTP status of a GET to `url`, or 0 when it fails or times out (a health check). */
export function httpGetStatus(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** SIGTERM to the whole process group, SIGKILL after 5 s. */
export async function killGroup(pid, exitPromise, hasExited) {
  if (pid === undefined || hasExited()) return;
  const signal = (sig) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timedOut = await Promise.race([exitPromise.then(() => false), new Promise((r) => setTimeout(() => r(true), 5000))]);
  // Children of the group (extension host, pty host) may outlive the leader briefly: make sure.
  signal('SIGKILL');
  if (timedOut) await Promise.race([exitPromise, new Promise((r) => setTimeout(r, 2000))]);
}

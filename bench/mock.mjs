// The loopback vendor servers for the benchmark, in a child process of their own: the client side (engine, gateway,
// bare client) is what is measured, and a real server does not share the client's thread or heap either.
//   const mock = await startMockChild(); mock.baseUrl('cove'); mock.conns; await mock.close();
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { out } from './util.mjs';

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--child') {
  const { startMockVendors, MOCK_VENDORS } = out('test/mock-vendors/server.js');
  const mock = await startMockVendors({ lifetimes: { datarheiBadLoginDelayMs: 0 } });
  process.send({ bases: Object.fromEntries(MOCK_VENDORS.map((v) => [v, mock.baseUrl(v)])) });
  process.on('disconnect', () => void mock.close().then(() => process.exit(0)));
}

/** The benchmark's connections: [conn, secret, one authenticated request] per vendor (Commvault in JSON and XML). */
export function benchConnections(bases) {
  const { ACCOUNTS } = out('test/mock-vendors/accounts.js');
  return [
    [
      { id: 'cove', vendor: 'cove', baseUrl: bases.cove, partner: ACCOUNTS.cove.partner, username: ACCOUNTS.cove.username },
      ACCOUNTS.cove.password,
      { kind: 'rpc', method: 'EnumeratePartners', params: {} },
    ],
    [
      { id: 'cv', vendor: 'commvault', baseUrl: bases.commvault, username: 'admin' },
      ACCOUNTS.commvault.password,
      { kind: 'rest', method: 'POST', path: '/WhoAmI' },
    ],
    [
      { id: 'cvx', vendor: 'commvault', baseUrl: bases.commvault, username: 'admin', format: 'xml' },
      ACCOUNTS.commvault.password,
      { kind: 'rest', method: 'POST', path: '/WhoAmI' },
    ],
    [
      { id: 'ipc', vendor: 'ipcortex', baseUrl: bases.ipcortex, username: 'alice' },
      ACCOUNTS.ipcortex.password,
      { kind: 'rest', method: 'POST', path: '/rest/user/list', body: {} },
    ],
    [
      { id: 'c42', vendor: 'code42', baseUrl: bases.code42, username: ACCOUNTS.code42.username },
      ACCOUNTS.code42.password,
      { kind: 'rest', method: 'GET', path: '/api/User/my' },
    ],
    [
      { id: 'dr', vendor: 'datarhei', baseUrl: bases.datarhei, username: 'admin' },
      ACCOUNTS.datarhei.password,
      { kind: 'rest', method: 'GET', path: '/api/v3/process' },
    ],
  ].map(([conn, secret, req]) => ({ conn, secret, req }));
}

export async function startMockChild() {
  const child = fork(self, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], cwd: path.dirname(self) });
  const bases = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.bases));
    child.once('exit', (code) => reject(new Error(`the mock vendor process exited (${code})`)));
  });
  return {
    pid: child.pid,
    bases,
    conns: benchConnections(bases),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

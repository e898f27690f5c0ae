// One origin for credentials through the engine: every vendor's SessionManager.request against the loopback mock
// vendors (127.0.0.1) refuses each hostile path, before any secret is read and with a live session alike, while a
// recording "other server" on 127.0.0.2 proves that nothing (not even a TCP connection) reached it.
import * as assert from 'node:assert/strict';
import type { VendorAdapter } from '../../src/core/adapter';
import { send } from '../../src/core/http';
import type { ConnectionConfig, ExploreRequest } from '../../src/core/types';
import { SessionManager } from '../../src/engine/manager';
import { ADAPTERS } from '../../src/vendors';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { rejects, useMockVendors } from './helpers';
import { hostilePaths, onOriginLookalikes, type Recorder, startRecorder } from './origin-fixtures';

describe('one origin for credentials: the engine, every vendor, against a recording other server', () => {
  const mock = useMockVendors();
  let other: Recorder;
  before(async () => {
    other = await startRecorder();
  });
  after(async () => other.close());
  afterEach(() => {
    assert.equal(other.connections, 0, `the other server was reached: ${JSON.stringify(other.requests)}`);
    assert.deepEqual(other.requests, []);
  });

  const SECRETS: Record<string, string> = {
    dr: ACCOUNTS.datarhei.password,
    cv: ACCOUNTS.commvault.password,
    ipc: ACCOUNTS.ipcortex.password,
    'ipc-key': ACCOUNTS.ipcortex.apiKey,
    'c42-basic': ACCOUNTS.code42.password,
    'c42-token': ACCOUNTS.code42.password,
    cove: ACCOUNTS.cove.password,
  };
  const conns = (): ConnectionConfig[] => [
    { id: 'dr', vendor: 'datarhei', baseUrl: mock().baseUrl('datarhei'), username: ACCOUNTS.datarhei.username },
    { id: 'cv', vendor: 'commvault', baseUrl: mock().baseUrl('commvault'), username: ACCOUNTS.commvault.username },
    { id: 'ipc', vendor: 'ipcortex', baseUrl: mock().baseUrl('ipcortex'), username: ACCOUNTS.ipcortex.username },
    { id: 'ipc-key', vendor: 'ipcortex', baseUrl: mock().baseUrl('ipcortex'), auth: 'apiKey', apiKeyIn: 'header' },
    { id: 'c42-basic', vendor: 'code42', baseUrl: mock().baseUrl('code42'), username: ACCOUNTS.code42.username, auth: 'basic' },
    { id: 'c42-token', vendor: 'code42', baseUrl: mock().baseUrl('code42'), username: ACCOUNTS.code42.username },
  ];
  const basePort = () => Number(new URL(mock().url).port);

  function managerWithCount(adapters = ADAPTERS): { manager: SessionManager; secretReads: () => number } {
    let reads = 0;
    const manager = new SessionManager({
      adapters,
      getSecret: async (c) => {
        reads++;
        return SECRETS[c.id];
      },
    });
    return { manager, secretReads: () => reads };
  }

  for (const id of ['dr', 'cv', 'ipc', 'ipc-key', 'c42-basic', 'c42-token']) {
    it(`${id}: refuses every hostile path before any login, and with a live session`, async () => {
      const c = conns().find((x) => x.id === id) as ConnectionConfig;
      const { manager, secretReads } = managerWithCount();
      try {
        const table = hostilePaths(other.port, basePort());
        for (const [path, sentence] of table) {
          const e = await rejects(manager.request(c, { kind: 'rest', method: 'GET', path }), 'config');
          assert.match(e.message, sentence, `${c.id} ${JSON.stringify(path)}`);
        }
        assert.equal(secretReads(), 0, 'no secret is read for a request that is refused');
        assert.equal(manager.get(c.id), undefined, 'no login happened');

        // Logged in: the same paths are still refused, and the session stays as it was.
        const sample = ADAPTERS[c.vendor].sampleRequests[0];
        const ok = await manager.request(c, sample);
        assert.ok(ok.response.status < 500, `${c.id} sample → ${ok.response.status}`);
        const token = manager.get(c.id)?.token;
        for (const [path, sentence] of table) {
          const body = c.vendor === 'ipcortex' ? {} : undefined;
          const e = await rejects(manager.request(c, { kind: 'rest', method: 'POST', path, body }), 'config');
          assert.match(e.message, sentence, `${c.id} ${JSON.stringify(path)}`);
        }
        assert.equal(manager.get(c.id)?.token, token);

        // Paths that only look like another server are paths on this one: they go to the mock, never elsewhere.
        for (const path of onOriginLookalikes(other.port)) {
          try {
            await manager.request(c, { kind: 'rest', method: 'GET', path });
          } catch (e) {
            assert.notEqual((e as { kind?: string }).kind, 'config', `${c.id} ${path}: ${String(e)}`);
          }
        }
      } finally {
        manager.dispose();
      }
    });
  }

  it('Cove: user input cannot move a JSON-RPC call; only the baseUrl is ever called', async () => {
    const cove: ConnectionConfig = {
      id: 'cove',
      vendor: 'cove',
      baseUrl: mock().baseUrl('cove'),
      partner: ACCOUNTS.cove.partner,
      username: ACCOUNTS.cove.username,
    };
    const { manager } = managerWithCount();
    try {
      const res = await manager.request(cove, { kind: 'rpc', method: `http://127.0.0.2:${other.port}/x`, params: { url: `//127.0.0.2:${other.port}/` } });
      assert.equal(res.response.status, 200);
      const rest = await rejects(manager.request(cove, { kind: 'rest', method: 'GET', path: `//127.0.0.2:${other.port}/x` }), 'config');
      assert.match(rest.message, /points to another server/);
    } finally {
      manager.dispose();
    }
  });

  it("the engine checks the adapter's wire URL before each send, even from an adapter that would leave the server", async () => {
    // A broken vendor adapter (not ours): its wire and request aim every call at the other server.
    const base = ADAPTERS.datarhei;
    const aim = (conn: ConnectionConfig, s: Parameters<VendorAdapter['wire']>[1], req: ExploreRequest) => ({
      ...base.wire(conn, s, req),
      url: `${other.origin}/api/v3/process`,
    });
    const broken: VendorAdapter = {
      ...base,
      wire: aim,
      request: async (conn, s, req, ctx) => {
        await send(ctx, aim(conn, s, req));
        throw new Error('the broken adapter was allowed to send');
      },
    };
    const { manager } = managerWithCount({ ...ADAPTERS, datarhei: broken });
    const c = conns().find((x) => x.id === 'dr') as ConnectionConfig;
    try {
      const e = await rejects(manager.request(c, { kind: 'rest', method: 'GET', path: '/api/v3/process' }), 'config');
      assert.match(e.message, new RegExp(`points to another server \\(http://127\\.0\\.0\\.2:${other.port}\\)`));
    } finally {
      manager.dispose();
    }
  });
});

// Copy-as-curl, run for real: for every vendor and credential kind, log in through the session manager, build the
// curl line for each sample request, run that exact line with the system curl (`sh -c LINE`), and check that
// (1) the mock answers 200 with its authenticated answer, and (2) curl put on the wire exactly what the adapter
// sends for the same request (method, path, headers, body bytes) — a recording relay sits in front of the mocks.
//
// curl reads its output options from a private .curlrc (CURL_HOME), so the command line is byte for byte the
// one a user pastes: the status goes to stderr, the body to stdout.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shellQuote } from '../../src/engine/curl';
import { SessionManager } from '../../src/engine/manager';
import { fillSample } from '../../src/engine/requests';
import type { ConnectionConfig, Session } from '../../src/core/types';
import { BASE_PATHS } from '../mock-vendors/server';
import { useMockVendors } from './helpers';
import { ADAPTERS } from '../../src/vendors';
import { CERT, curlCommand, dataOf, json, meaningful, type Relay, runCurl, startRelay } from './curl-relay';
import { CASES, curlPath, describeReq } from './curl-cases';

describe('Copy as curl: the line runs with the system curl and sends what the adapter sends', function () {
  this.timeout(30_000);
  const mock = useMockVendors();
  let curlHome: string;
  let plain: Relay;
  let secure: Relay;

  before(async function () {
    if (!curlPath()) {
      // mocha's skip() takes no reason: say it here so the skipped suite is explained in the output.
      console.warn('      skipped: curl is not installed (`command -v curl` found nothing); install curl to run these tests');
      this.skip();
    }
    curlHome = fs.mkdtempSync(path.join(os.tmpdir(), 'api-auth-curl-'));
    fs.writeFileSync(path.join(curlHome, '.curlrc'), 'silent\nshow-error\nwrite-out = "%{stderr}HTTP-STATUS %{http_code}\\n"\n');
    plain = await startRelay(mock().url, false);
    secure = await startRelay(mock().url, true);
  });
  after(async () => {
    await plain?.close();
    await secure?.close();
    if (curlHome) fs.rmSync(curlHome, { recursive: true, force: true });
  });

  for (const c of CASES) {
    describe(c.title, () => {
      let conn: ConnectionConfig;
      let manager: SessionManager;

      before(async () => {
        const relay = c.secure ? secure : plain;
        conn = { ...c.conn, vendor: c.vendor, baseUrl: `${relay.url}${BASE_PATHS[c.vendor]}` } as ConnectionConfig;
        manager = new SessionManager({ adapters: ADAPTERS, getSecret: async () => c.secret });
        await manager.login(conn, { secret: c.secret });
      });

      it('the line carries the connection’s TLS choice', () => {
        const line = curlCommand(conn, manager.get(conn.id) as Session, c.requests[0]);
        assert.ok(line.startsWith('curl '));
        assert.equal(line.includes(' -k '), c.secure === 'insecure');
        assert.equal(line.includes(` --cacert ${shellQuote(CERT)} `), c.secure === 'caFile');
      });

      for (const sample of c.requests) {
        it(`${describeReq(sample)}: 200 with the authenticated answer, same request as the adapter's`, async () => {
          const relay = c.secure ? secure : plain;
          const before = manager.get(conn.id) as Session;
          const req = fillSample(sample, conn, before);
          const line = curlCommand(conn, before, req);

          // The adapter's request (through the session manager), recorded by the relay.
          relay.seen.length = 0;
          const viaAdapter = await manager.request(conn, req);
          assert.equal(viaAdapter.response.status, 200);
          assert.equal(relay.seen.length, 1, 'the adapter sent exactly one request');
          const adapterSent = meaningful(relay.seen[0]);

          // The curl line, run as pasted.
          relay.seen.length = 0;
          const run = await runCurl(line, curlHome);
          assert.equal(run.code, 0, `curl failed (${run.code}): ${run.stderr}\n${line}`);
          assert.equal(run.status, 200, `HTTP ${run.status}: ${run.body.slice(0, 300)}`);
          c.proves(req, run.body);
          assert.equal(relay.seen.length, 1, 'curl sent exactly one request');
          assert.deepEqual(meaningful(relay.seen[0]), adapterSent);

          if (c.vendor === 'cove') {
            const sent = json(dataOf(line) ?? '{}');
            assert.equal(sent.visa, before.token, 'the curl body carries the session’s current visa');
            assert.equal(sent.visa, before.attach.value);
          }
          if (c.vendor === 'commvault' && req.kind === 'rest' && req.body !== undefined) {
            const xml = conn.format === 'xml';
            assert.equal(adapterSent.headers['content-type'], xml ? 'application/xml' : 'application/json');
            assert.equal(adapterSent.headers.accept, xml ? 'application/xml' : 'application/json');
            if (xml) {
              assert.match(adapterSent.body, /^<App_WhoAmIReq userName="admin" mode="4"><\/App_WhoAmIReq>$|^<App_WhoAmIReq userName="admin" mode="4"\/>$/);
            } else {
              assert.equal(adapterSent.body, JSON.stringify(req.body));
            }
          }
        });
      }
    });
  }
});

// curl and Python (clients nobody here wrote) through the auth gateway, for all five vendors and every credential
// kind: each gets the vendor's own answer, and no password, API key or session token in any answer header or body.
import * as assert from 'node:assert/strict';
import type { ConnectionConfig } from '../../src/core/types';
import { HELD_MARKER, sessionSecrets } from '../../src/engine/gatewayAnswer';
import type { SessionManager } from '../../src/engine/manager';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { commvaultRecord } from '../mock-vendors/commvault';
import { type ClientAnswer, requireClients, viaEveryClient } from './external-clients';
import { useGateway } from './gateway-fixtures';

/** Every client got `status`; no token the session held, and none of `secrets`, in any answer (headers or body). */
function assertAnswers(answers: [string, ClientAnswer][], m: SessionManager, conn: ConnectionConfig, secrets: string[], status = 200): void {
  const held = sessionSecrets(m.get(conn.id));
  assert.ok(held.length > 0, 'the session holds a token');
  for (const [label, a] of answers) {
    assert.equal(a.status, status, `${label}: ${a.body}`);
    for (const s of [...held, ...secrets]) assert.ok(!a.raw.includes(s), `${label}: a credential of ${conn.id} reached the client`);
  }
}

const json = (a: ClientAnswer): unknown => JSON.parse(a.body);

describe('auth gateway with curl and python3: every vendor and credential kind', function () {
  this.timeout(10_000);
  const { mock, secrets, start, datarhei, cove, commvault, code42, ipcortex } = useGateway();
  before(async () => {
    await requireClients();
  });

  it('datarhei Bearer: curl and python get the process list; no password or token in any answer', async () => {
    const conn = datarhei();
    const { gw, m } = await start([conn]);
    const answers = await viaEveryClient(gw, 'dr', { method: 'GET', rest: 'api/v3/process' });
    for (const [label, a] of answers) assert.deepEqual(json(a), [], label);
    assertAnswers(answers, m, conn, [ACCOUNTS.datarhei.password]);
  });

  it('Cove visa: a JSON-RPC POST from curl and python answers the partners with the marker, never a visa', async () => {
    const conn = cove();
    const { gw, m } = await start([conn]);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 'c1', method: 'EnumeratePartners', params: { parentPartnerId: 0 } });
    const answers = await viaEveryClient(gw, 'cove', { method: 'POST', rest: '', headers: { 'Content-Type': 'application/json' }, body });
    for (const [label, a] of answers) {
      const rpc = json(a) as { id: unknown; visa: unknown; result: { result: { Name: string }[] } };
      assert.equal(rpc.id, 'c1', `${label}: the client's JSON-RPC id comes back`);
      assert.equal(rpc.visa, HELD_MARKER, label);
      assert.ok(rpc.result.result.length > 0, `${label}: partners listed`);
    }
    assertAnswers(answers, m, conn, [ACCOUNTS.cove.password]);
  });

  it('Commvault Authtoken, JSON format: curl and python get the clients as JSON; no password or token', async () => {
    const conn = commvault();
    const { gw, m } = await start([conn]);
    const answers = await viaEveryClient(gw, 'cv', { method: 'GET', rest: 'Client', headers: { Accept: 'application/json' } });
    for (const [label, a] of answers) {
      assert.match(a.headers['content-type'], /json/, label);
      const names = (json(a) as { clientProperties: { client: { clientEntity: { clientName: string } } }[] }).clientProperties.map(
        (p) => p.client.clientEntity.clientName,
      );
      assert.ok(names.includes('fileserver01'), label);
    }
    assert.equal(commvaultRecord(mock().env).lastCall?.accept, 'application/json');
    assertAnswers(answers, m, conn, [ACCOUNTS.commvault.password, Buffer.from(ACCOUNTS.commvault.password).toString('base64')]);
  });

  it('Commvault Authtoken, XML format: curl and python with their default Accept get the clients as XML; no password or token', async () => {
    const conn = commvault({ id: 'cvx', format: 'xml' });
    secrets.set('cvx', ACCOUNTS.commvault.password);
    const { gw, m } = await start([conn]);
    // No Accept of ours: curl and requests send `*/*`, which must leave the connection's XML format in force.
    const answers = await viaEveryClient(gw, 'cvx', { method: 'GET', rest: 'Client' });
    for (const [label, a] of answers) {
      assert.match(a.headers['content-type'], /xml/, label);
      assert.match(a.body, /^<\?xml/, label);
      assert.match(a.body, /clientName="fileserver01"/, label);
    }
    assert.match(commvaultRecord(mock().env).lastLoginAccept, /xml/, 'the gateway logged in with the XML format');
    assertAnswers(answers, m, conn, [ACCOUNTS.commvault.password, Buffer.from(ACCOUNTS.commvault.password).toString('base64')]);
  });

  for (const auth of ['token', 'basic'] as const) {
    it(`Code42 ${auth === 'token' ? 'v3 token (JWT)' : 'HTTP Basic'}: curl and python get the user; no password, Basic value or token`, async () => {
      const conn: ConnectionConfig = { ...code42(), id: `c42${auth}`, auth };
      secrets.set(conn.id, ACCOUNTS.code42.password);
      const { gw, m } = await start([conn]);
      const answers = await viaEveryClient(gw, conn.id, { method: 'GET', rest: 'api/User/my' });
      for (const [label, a] of answers) assert.equal((json(a) as { data: { username: string } }).data.username, ACCOUNTS.code42.username, label);
      const basicValue = Buffer.from(`${ACCOUNTS.code42.username}:${ACCOUNTS.code42.password}`).toString('base64');
      assertAnswers(answers, m, conn, [ACCOUNTS.code42.password, basicValue]);
      if (auth === 'token') assert.match(m.get(conn.id)?.token ?? '', /^[\w-]+\.[\w-]+\.[\w-]+$/, 'the session holds a JWT');
    });
  }

  const IPCORTEX_KINDS = [
    ['cookie session (password)', {}],
    ['API key in the body', { auth: 'apiKey', apiKeyIn: 'body' }],
    ['API key in the header', { auth: 'apiKey', apiKeyIn: 'header' }],
  ] as const;
  for (const [kind, over] of IPCORTEX_KINDS) {
    it(`IPCortex ${kind}: curl and python list the users; no password, API key or cookie value`, async () => {
      const conn: ConnectionConfig = { ...ipcortex(), ...over };
      secrets.set(conn.id, 'auth' in over ? ACCOUNTS.ipcortex.apiKey : ACCOUNTS.ipcortex.password);
      const { gw, m } = await start([conn]);
      const answers = await viaEveryClient(gw, conn.id, {
        method: 'POST',
        rest: 'rest/user/list',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      for (const [label, a] of answers) {
        const out = json(a) as { result: string; values: { login: string }[] };
        assert.equal(out.result, 'success', `${label}: ${a.body}`);
        assert.ok(
          out.values.some((u) => u.login === 'alice'),
          label,
        );
      }
      assertAnswers(answers, m, conn, [ACCOUNTS.ipcortex.password, ACCOUNTS.ipcortex.apiKey]);
    });
  }
});

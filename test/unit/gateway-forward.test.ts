// The auth gateway forwards to every vendor with the vendor's auth attached by the engine, and answers without our
// credentials: real loopback vendor servers, a real SessionManager, plain HTTP clients.
import * as assert from 'node:assert/strict';
import type { ConnectionConfig } from '../../src/core/types';
import { HELD_MARKER, sessionSecrets } from '../../src/engine/gatewayAnswer';
import type { SessionManager } from '../../src/engine/manager';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { datarheiReceived } from '../mock-vendors/datarhei';
import { type Answer, call, useGateway } from './gateway-fixtures';

/** No token the session ever held, and no password, in the answer's headers or body. */
function assertNoCredentials(a: Answer, m: SessionManager, conn: ConnectionConfig, secret: string): void {
  const all = `${JSON.stringify(a.headers)}\n${a.text}`;
  const held = sessionSecrets(m.get(conn.id));
  assert.ok(held.length > 0, 'the session holds a token');
  for (const s of [...held, secret]) assert.ok(!all.includes(s), 'a credential reached the client');
}

describe('auth gateway: forwarding with the session attached', () => {
  const { clock, mock, secrets, start, stat, lines, datarhei, cove, commvault, code42, ipcortex } = useGateway();

  it('datarhei: the vendor receives the session Bearer token; the client sent none and sees none', async () => {
    const conn = datarhei();
    const { gw, m } = await start([conn]);
    const a = await call(gw, 'GET', '/dr/api/v3/process');
    assert.equal(a.status, 200, a.text);
    assert.deepEqual(JSON.parse(a.text), []);
    const last = datarheiReceived(mock().env).at(-1);
    assert.equal(last?.path, '/api/v3/process');
    assert.equal(last?.headers.authorization, `Bearer ${m.get('dr')?.token}`);
    assert.equal(last?.headers['x-api-auth-key'], undefined, 'the gateway key is not passed on');
    assertNoCredentials(a, m, conn, ACCOUNTS.datarhei.password);
  });

  it('Cove: the newest visa is put into the JSON-RPC body, the new one kept, the marker and the client id answered', async () => {
    const conn = cove();
    const { gw, m } = await start([conn]);
    const rpc = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'EnumeratePartners', params: { parentPartnerId: 0 } });
    const first = await call(gw, 'POST', '/cove', { body: rpc(7), headers: { 'content-type': 'application/json' } });
    assert.equal(first.status, 200, first.text);
    const body = JSON.parse(first.text) as Record<string, unknown>;
    assert.equal(body.visa, HELD_MARKER);
    assert.equal(body.id, 7, 'the client gets its own JSON-RPC id back');
    assert.ok(Array.isArray((body.result as { result: unknown[] }).result));
    const visaAfterFirst = m.get('cove')?.token;
    const second = await call(gw, 'POST', '/cove/', { body: rpc(8) });
    assert.equal(second.status, 200, second.text);
    const received = (await (await fetch(`${mock().url}/cove/__mock/received`)).json()) as { method: string; visa: string | null }[];
    // The second call went out with the visa the first answer carried: one unbroken chain held by the gateway.
    assert.equal(received.at(-1)?.visa, visaAfterFirst);
    assert.notEqual(m.get('cove')?.token, visaAfterFirst);
    assertNoCredentials(first, m, conn, ACCOUNTS.cove.password);
    assertNoCredentials(second, m, conn, ACCOUNTS.cove.password);
  });

  it('Cove: 10 sequential calls through the gateway keep one unbroken visa chain', async () => {
    const conn = cove();
    const { gw, m } = await start([conn]);
    const received = async () => (await (await fetch(`${mock().url}/cove/__mock/received`)).json()) as { visa: string | null }[];
    for (let i = 0; i < 10; i++) {
      const before = m.get('cove')?.token;
      const a = await call(gw, 'POST', '/cove', { body: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'EnumerateColumns', params: {} }) });
      assert.equal(a.status, 200, a.text);
      if (before) assert.equal((await received()).at(-1)?.visa, before, `call ${i} went out with the newest visa`);
    }
    const chain = m.get('cove')?.history ?? [];
    assert.ok(chain.length >= 10);
    assert.ok(
      chain.slice(1).every((e, i) => e.replaced === chain[i].token),
      'each visa replaced the one before',
    );
  });

  it('Commvault: Authtoken attached (the call is accepted), JSON answer passed through without the token', async () => {
    const conn = commvault();
    const { gw, m } = await start([conn]);
    const calls = stat('commvault.call');
    const a = await call(gw, 'GET', '/cv/Client');
    assert.equal(a.status, 200, a.text);
    assert.equal(stat('commvault.call'), calls + 1);
    assert.match(String(a.headers['content-type']), /json/);
    assertNoCredentials(a, m, conn, ACCOUNTS.commvault.password);
  });

  it('Code42: v3 token and HTTP Basic both attached by the engine; the client never sends an Authorization', async () => {
    const token = code42();
    const basic: ConnectionConfig = { ...code42(), id: 'c42b', auth: 'basic' };
    secrets.set('c42b', ACCOUNTS.code42.password);
    const { gw, m } = await start([token, basic]);
    for (const conn of [token, basic]) {
      const a = await call(gw, 'GET', `/${conn.id}/api/User/my`);
      assert.equal(a.status, 200, `${conn.id}: ${a.text}`);
      assertNoCredentials(a, m, conn, ACCOUNTS.code42.password);
    }
    // The Basic value is username:password in base64: it must not come back either.
    const basicValue = Buffer.from(`${ACCOUNTS.code42.username}:${ACCOUNTS.code42.password}`).toString('base64');
    assert.ok(!lines.join('\n').includes(basicValue));
  });

  it('IPCortex: the Red60urne cookie session and the API key are attached; a client Red60urne is not passed on', async () => {
    const session = ipcortex();
    const keyed: ConnectionConfig = { ...ipcortex(), id: 'ipck', auth: 'apiKey' };
    secrets.set('ipck', ACCOUNTS.ipcortex.apiKey);
    const { gw, m } = await start([session, keyed]);
    for (const conn of [session, keyed]) {
      const a = await call(gw, 'POST', `/${conn.id}/rest/user/list`, {
        body: '{}',
        headers: { 'content-type': 'application/json', cookie: 'Red60urne=forged; theme=dark' },
      });
      assert.equal(a.status, 200, `${conn.id}: ${a.text}`);
      assert.equal((JSON.parse(a.text) as { result?: string }).result, 'success');
      assertNoCredentials(a, m, conn, conn.id === 'ipck' ? ACCOUNTS.ipcortex.apiKey : ACCOUNTS.ipcortex.password);
    }
  });

  it('one redacted log line per request: method, connection, path without query values, status, duration, renewal', async () => {
    const conn = datarhei();
    const { gw } = await start([conn]);
    await call(gw, 'GET', '/dr/api/v3/process?token=s3cr3t-value&x=1');
    assert.equal(lines.length, 1);
    // The first request found no session: the log line says that it logged in, and why.
    assert.match(lines[0], /^gateway GET dr \/dr\/api\/v3\/process\?token=…&x=… → 200 \(\d+ ms, logged in: no-session\)$/);
    assert.ok(!lines[0].includes('s3cr3t-value'));
    void clock;
  });
});

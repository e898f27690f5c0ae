// The gateway's own endpoints (/.api-auth/v1/…): the list of exposed connections and a fresh token, handed only to
// a holder of the key and never to a request with an Origin; the terminal variable names.
import * as assert from 'node:assert/strict';
import { authHeaderOf, connectionVariables, envNameOf } from '../../src/engine/gatewayControl';
import { TrafficLog } from '../../src/engine/traffic';
import { call, useGateway } from './gateway-fixtures';

describe('auth gateway: control endpoints', () => {
  const { clock, secrets, start, stat, manager, datarhei, cove, commvault, ipcortex } = useGateway();

  it('GET /.api-auth/v1/connections lists the exposed connections only, with vendor and label', async () => {
    const dr = datarhei();
    const { gw } = await start([dr, { ...cove(), label: 'Acme Cove' }, commvault()], { exposed: ['dr', 'cove'] });
    const a = await call(gw, 'GET', '/.api-auth/v1/connections');
    assert.equal(a.status, 200, a.text);
    assert.match(String(a.headers['content-type']), /^application\/json/);
    assert.deepEqual(JSON.parse(a.text), {
      connections: [
        { id: 'dr', vendor: 'datarhei', label: 'dr', exposed: true },
        { id: 'cove', vendor: 'cove', label: 'Acme Cove', exposed: true },
      ],
    });
  });

  it('POST /.api-auth/v1/token/dr logs in with the stored secret when there is no session and answers the token with its Bearer header', async () => {
    const m = manager();
    const { gw } = await start([datarhei()], {}, m);
    const logins = stat('datarhei.login');
    const a = await call(gw, 'POST', '/.api-auth/v1/token/dr');
    assert.equal(a.status, 200, a.text);
    const s = m.get('dr');
    assert.ok(s, 'the gateway logged in');
    assert.equal(stat('datarhei.login'), logins + 1);
    assert.deepEqual(JSON.parse(a.text), { id: 'dr', token: s.token, expiresAt: s.expiresAt, header: { name: 'Authorization', value: `Bearer ${s.token}` } });
    assert.equal(a.headers['cache-control'], 'no-store');
  });

  it("a token handed out is recorded in Traffic under its connection, as the terminal's when the CLI says so", async () => {
    const traffic = new TrafficLog();
    const { gw } = await start([datarhei()], { traffic });
    assert.equal((await call(gw, 'POST', '/.api-auth/v1/token/dr', { headers: { 'X-Api-Auth-Client': 'terminal' } })).status, 200);
    assert.equal((await call(gw, 'GET', '/.api-auth/v1/connections')).status, 200);
    const entries = traffic.entries('dr');
    assert.equal(entries.length, 1, 'the token, not the connection list');
    assert.deepEqual(
      { method: entries[0].method, path: entries[0].path, status: entries[0].status, source: entries[0].source },
      { method: 'POST', path: '/.api-auth/v1/token', status: 200, source: 'terminal' },
    );
    assert.deepEqual(traffic.connectionIds(), ['dr']);
  });

  it('the token endpoint refreshes an expired datarhei session first, and reuses a live one without a call', async () => {
    const m = manager();
    const conn = datarhei();
    const first = await m.login(conn);
    const { gw } = await start([conn], {}, m);
    const [logins, refreshes] = [stat('datarhei.login'), stat('datarhei.refresh')];
    const live = JSON.parse((await call(gw, 'POST', '/.api-auth/v1/token/dr')).text) as { token: string };
    assert.equal(live.token, first.token);
    assert.equal(stat('datarhei.refresh'), refreshes);
    clock.advance(2100);
    const renewed = JSON.parse((await call(gw, 'POST', '/.api-auth/v1/token/dr')).text) as { token: string; expiresAt: number };
    assert.notEqual(renewed.token, first.token);
    assert.equal(renewed.token, m.get('dr')?.token);
    assert.ok(renewed.expiresAt > clock());
    assert.equal(stat('datarhei.refresh'), refreshes + 1);
    assert.equal(stat('datarhei.login'), logins);
  });

  it('the control endpoints refuse a request without the key (403 key) and the token endpoint any Origin, even an allowed one', async () => {
    const { gw } = await start([datarhei()], { allowedOrigins: ['http://localhost:5173'] });
    for (const [method, path] of [
      ['GET', '/.api-auth/v1/connections'],
      ['POST', '/.api-auth/v1/token/dr'],
    ]) {
      const a = await call(gw, method, path, { key: null });
      assert.equal(a.status, 403);
      assert.equal(a.headers['x-api-auth-error'], 'key');
    }
    const evil = await call(gw, 'POST', '/.api-auth/v1/token/dr', { headers: { origin: 'https://evil.example' } });
    assert.equal(evil.status, 403);
    assert.equal(evil.headers['x-api-auth-error'], 'origin');
    const allowed = await call(gw, 'POST', '/.api-auth/v1/token/dr', { headers: { origin: 'http://localhost:5173' } });
    assert.equal(allowed.status, 403);
    assert.equal(allowed.headers['x-api-auth-error'], 'origin');
    assert.ok(!/eyJ/.test(evil.text + allowed.text));
  });

  it('a GET of the token endpoint is 405, an unexposed id 404, an unknown endpoint 404, all as JSON errors', async () => {
    const { gw } = await start([datarhei(), commvault()], { exposed: ['dr'] });
    const get = await call(gw, 'GET', '/.api-auth/v1/token/dr');
    assert.equal(get.status, 405);
    assert.equal((JSON.parse(get.text) as { error: { kind: string } }).error.kind, 'method');
    const hidden = await call(gw, 'POST', '/.api-auth/v1/token/cv');
    assert.equal(hidden.status, 404);
    assert.equal(hidden.headers['x-api-auth-error'], 'connection');
    const unknown = await call(gw, 'GET', '/.api-auth/v2/whatever');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers['x-api-auth-error'], 'control');
  });

  it('a token for a connection without a stored secret answers 401 loginNeeded at once, naming the connection', async () => {
    secrets.delete('dr');
    const { gw } = await start([datarhei()]);
    const a = await call(gw, 'POST', '/.api-auth/v1/token/dr');
    assert.equal(a.status, 401);
    assert.equal(a.headers['x-api-auth-error'], 'loginNeeded');
    assert.match((JSON.parse(a.text) as { error: { message: string } }).error.message, /"dr"/);
  });

  it('the Commvault, IPCortex and Cove tokens come with the header the adapter attaches', async () => {
    const m = manager();
    const { gw } = await start([commvault(), ipcortex(), cove()], {}, m);
    const header = async (id: string) =>
      (JSON.parse((await call(gw, 'POST', `/.api-auth/v1/token/${id}`)).text) as { header: { name: string; value: string } }).header;
    const cv = await header('cv');
    assert.equal(cv.name, 'Authtoken');
    assert.match(cv.value, /^QSDK /);
    assert.equal(cv.value, m.get('cv')?.token);
    assert.deepEqual(await header('ipc'), { name: 'Cookie', value: `Red60urne=${m.get('ipc')?.token}` });
    assert.deepEqual(await header('cove'), { name: 'visa', value: m.get('cove')?.token });
  });

  it('terminal variable names are API_AUTH_URL_ plus the id upper-cased with other characters as _', () => {
    assert.equal(envNameOf('core'), 'API_AUTH_URL_CORE');
    assert.equal(envNameOf('dr-tls.2_b'), 'API_AUTH_URL_DR_TLS_2_B');
    assert.deepEqual(authHeaderOf({ attach: { kind: 'body', name: 'auth.key', value: 'k' } }), { name: 'auth.key', value: 'k' });
  });

  it('terminal variables: one per id, without the final slash; ids that give the same name get none', () => {
    const gw = { keyedBaseUrl: (id: string) => `http://127.0.0.1:1/~K/${id}/` };
    const { vars, ambiguous } = connectionVariables(gw, ['core', 'a-b', 'a.b', 'cove']);
    assert.deepEqual(Object.fromEntries(vars), {
      API_AUTH_URL_CORE: 'http://127.0.0.1:1/~K/core',
      API_AUTH_URL_COVE: 'http://127.0.0.1:1/~K/cove',
    });
    assert.deepEqual(ambiguous, ['a-b', 'a.b']);
  });
});

// What the auth gateway records of each request (the Traffic view's entries), what its log line says of a renewal,
// and when it tells the extension that a connection needs a person to log in.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { TrafficLog } from '../../src/engine/traffic';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { datarheiReceived } from '../mock-vendors/datarhei';
import { call, useGateway } from './gateway-fixtures';

describe('auth gateway: traffic records and log lines', () => {
  const { clock, mock, secrets, start, lines, manager, datarhei } = useGateway();

  it('each request on a connection is recorded once: time, method, path without key or query values, status, renewal', async () => {
    const traffic = new TrafficLog();
    const { gw } = await start([datarhei()], { traffic });
    const at = clock();
    const keyed = new URL(gw.keyedBaseUrl('dr')).pathname;
    assert.equal((await call(gw, 'GET', `${keyed}api/v3/process?token=s3cr3t&x=1`, { key: null })).status, 200);
    assert.equal((await call(gw, 'GET', '/dr/api/v3/process')).status, 200);
    const entries = traffic.entries('dr');
    assert.equal(entries.length, 2);
    const [first, second] = entries;
    assert.equal(first.at, at);
    assert.equal(first.source, 'gateway');
    assert.equal(first.method, 'GET');
    assert.equal(first.path, '/api/v3/process?token=…&x=…');
    assert.equal(first.status, 200);
    assert.ok(first.durationMs >= 0);
    assert.deepEqual(first.renewal, { how: 'login', why: 'no-session', joined: false });
    assert.equal(first.error, undefined);
    assert.equal(second.renewal, undefined, 'the session was fresh');
    assert.ok(!JSON.stringify(entries).includes(gw.key) && !JSON.stringify(entries).includes('s3cr3t'));
  });

  it('requests without the key are logged but never recorded under a connection', async () => {
    const traffic = new TrafficLog();
    const { gw } = await start([datarhei()], { traffic });
    assert.equal((await call(gw, 'GET', '/dr/api/v3/process', { key: null })).status, 403);
    assert.equal((await call(gw, 'GET', '/dr/api/v3/process', { key: 'not-the-key' })).status, 403);
    assert.equal(lines.length, 2);
    assert.deepEqual(traffic.connectionIds(), []);
  });

  it('a configured connection that is not exposed is recorded with its 404; an unknown id is not recorded', async () => {
    const traffic = new TrafficLog();
    const conn = datarhei();
    const { gw } = await start([conn], { traffic, exposed: [] });
    assert.equal((await call(gw, 'GET', '/dr/api/v3/process')).status, 404);
    assert.equal((await call(gw, 'GET', '/nobody/api')).status, 404);
    assert.deepEqual(traffic.connectionIds(), ['dr']);
    assert.deepEqual(
      traffic.entries('dr').map((e) => [e.status, e.error]),
      [[404, 'connection']],
    );
  });

  it('X-Api-Auth-Client: terminal is recorded as the terminal source and never reaches the vendor', async () => {
    const traffic = new TrafficLog();
    const { gw } = await start([datarhei()], { traffic });
    assert.equal((await call(gw, 'GET', '/dr/api/v3/process', { headers: { 'X-Api-Auth-Client': 'terminal' } })).status, 200);
    assert.equal(traffic.entries('dr')[0]?.source, 'terminal');
    const last = datarheiReceived(mock().env).at(-1);
    assert.equal(last?.path, '/api/v3/process');
    assert.equal(last?.headers['x-api-auth-client'], undefined);
  });

  it('an expired datarhei token refreshed for a request shows as "refreshed: expired" in the log line and the record', async () => {
    const traffic = new TrafficLog();
    const conn = datarhei();
    const m = manager();
    await m.login(conn);
    const { gw } = await start([conn], { traffic }, m);
    clock.advance(2100);
    assert.equal((await call(gw, 'GET', '/dr/api/v3/process')).status, 200);
    assert.match(lines[0], /^gateway GET dr \/dr\/api\/v3\/process → 200 \(\d+ ms, refreshed: expired\)$/);
    assert.deepEqual(traffic.entries('dr')[0]?.renewal, { how: 'refresh', why: 'expired', joined: false });
  });

  it('20 concurrent requests on an expired token are recorded with one refresh of their own, the others joined or after it', async () => {
    const traffic = new TrafficLog();
    const conn = datarhei();
    const m = manager();
    await m.login(conn);
    const { gw } = await start([conn], { traffic }, m);
    clock.advance(2100);
    await Promise.all(Array.from({ length: 20 }, () => call(gw, 'GET', '/dr/api/v3/process')));
    const entries = traffic.entries('dr');
    assert.equal(entries.length, 20);
    assert.ok(entries.every((e) => e.status === 200));
    // Each request reads its body before it asks for the session: one may arrive after the refresh has ended.
    const renewals = entries.flatMap((e) => (e.renewal ? [e.renewal] : []));
    assert.ok(renewals.every((r) => r.how === 'refresh' && r.why === 'expired'));
    assert.equal(renewals.filter((r) => !r.joined).length, 1, 'one refresh of its own');
    assert.equal(lines.filter((l) => l.endsWith('refreshed: expired, joined)')).length, renewals.length - 1);
  });

  it('a request whose client went away before the answer is recorded with status 0 and why it ended', async () => {
    const traffic = new TrafficLog();
    const { gw } = await start([datarhei()], { traffic });
    assert.equal((await call(gw, 'GET', '/dr/api/v3/process')).status, 200);
    const recorded = new Promise<void>((resolve) => traffic.onDidAdd(() => resolve()));
    mock().setFault('datarhei', { fault: { kind: 'delay', ms: 400 }, times: 1 });
    const req = http.request({ host: '127.0.0.1', port: gw.port, path: '/dr/api/v3/process', headers: { 'x-api-auth-key': gw.key }, agent: false });
    req.on('error', () => undefined);
    req.end();
    setTimeout(() => req.destroy(), 50);
    await recorded;
    const last = traffic.entries('dr').at(-1);
    assert.equal(last?.status, 0);
    assert.ok(last?.error, 'the kind that ended it');
  });

  it('an error answer is recorded with its status and kind', async () => {
    const traffic = new TrafficLog();
    secrets.delete('dr');
    const { gw } = await start([datarhei()], { traffic });
    assert.equal((await call(gw, 'GET', '/dr/api/v3/process')).status, 401);
    const [e] = traffic.entries('dr');
    assert.equal(e.status, 401);
    assert.equal(e.error, 'loginNeeded');
    assert.equal(e.renewal, undefined);
  });
});

describe('auth gateway: telling the extension that a login is needed', () => {
  const { clock, secrets, start, manager, datarhei, code42 } = useGateway();

  it('a 401 loginNeeded calls onLoginNeeded once per connection per 30 s, with the connection and the kind', async () => {
    secrets.delete('dr');
    const told: string[] = [];
    const { gw } = await start([datarhei()], { onLoginNeeded: (id, kind) => void told.push(`${id}:${kind}`) });
    for (let i = 0; i < 3; i++) assert.equal((await call(gw, 'GET', '/dr/api/v3/process')).status, 401);
    assert.deepEqual(told, ['dr:loginNeeded']);
    clock.advance(29_000);
    await call(gw, 'GET', '/dr/api/v3/process');
    assert.equal(told.length, 1, 'still within 30 s');
    clock.advance(1_000);
    await call(gw, 'GET', '/dr/api/v3/process');
    assert.deepEqual(told, ['dr:loginNeeded', 'dr:loginNeeded']);
  });

  it('a two-factor demand calls onLoginNeeded with twoFactorRequired; a 200 answer does not call it', async () => {
    const told: string[] = [];
    const mfa = code42(ACCOUNTS.code42.mfa.username);
    const { gw } = await start([mfa, datarhei()], { onLoginNeeded: (id, kind) => void told.push(`${id}:${kind}`) }, manager());
    assert.equal((await call(gw, 'GET', `/${mfa.id}/api/User/my`)).status, 401);
    assert.equal((await call(gw, 'GET', '/dr/api/v3/process')).status, 200);
    assert.deepEqual(told, [`${mfa.id}:twoFactorRequired`]);
  });

  it('onLoginNeeded is never awaited and its failure changes nothing: the 401 answer comes at once', async () => {
    secrets.delete('dr');
    const hang = { ...datarhei(), id: 'hang' };
    const { gw } = await start([datarhei(), hang], {
      onLoginNeeded: (id) => {
        if (id === 'dr') throw new Error('the prompt failed');
        return new Promise(() => undefined); // a prompt nobody answers
      },
    });
    const t0 = Date.now();
    const answers = await Promise.all([call(gw, 'GET', '/dr/api/v3/process'), call(gw, 'GET', '/hang/api/v3/process')]);
    assert.deepEqual(
      answers.map((a) => a.headers['x-api-auth-error']),
      ['loginNeeded', 'loginNeeded'],
    );
    assert.ok(Date.now() - t0 < 1000, `answered after ${Date.now() - t0} ms`);
  });

  it('a rejected onLoginNeeded promise is swallowed (no unhandled rejection)', async () => {
    secrets.delete('dr');
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { gw } = await start([datarhei()], { onLoginNeeded: () => Promise.reject(new Error('the prompt failed')) });
      assert.equal((await call(gw, 'GET', '/dr/api/v3/process')).status, 401);
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

// The auth gateway shares the engine's renewal: concurrent requests on an expiring session renew once, a renewal
// that needs a person is a clear error answer at once, and stop() leaves nothing listening.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { call, useGateway } from './gateway-fixtures';

describe('auth gateway: renewal and lifecycle', () => {
  const { clock, secrets, start, stat, manager, datarhei, code42 } = useGateway();

  it('20 concurrent requests on an expired datarhei session cause exactly one refresh, no login, no 401', async () => {
    const conn = datarhei();
    const m = manager();
    await m.login(conn);
    const { gw } = await start([conn], {}, m);
    clock.advance(2100);
    const [logins, refreshes, calls] = [stat('datarhei.login'), stat('datarhei.refresh'), stat('datarhei.call')];
    const answers = await Promise.all(Array.from({ length: 20 }, () => call(gw, 'GET', '/dr/api/v3/process')));
    assert.deepEqual(
      answers.map((a) => a.status),
      Array(20).fill(200),
    );
    assert.equal(stat('datarhei.refresh'), refreshes + 1);
    assert.equal(stat('datarhei.login'), logins);
    assert.equal(stat('datarhei.call'), calls + 20);
  });

  it('a renewal that needs a TOTP code answers 401 twoFactorRequired within a second, without asking', async () => {
    let asked = 0;
    const m = manager(() => {
      asked++;
      return new Promise(() => undefined); // a person who never answers
    });
    const conn = code42(ACCOUNTS.code42.mfa.username);
    const { gw } = await start([conn], {}, m);
    const t0 = Date.now();
    const a = await call(gw, 'GET', `/${conn.id}/api/User/my`);
    assert.ok(Date.now() - t0 < 1000, `answered after ${Date.now() - t0} ms`);
    assert.equal(a.status, 401);
    assert.equal(a.headers['x-api-auth-error'], 'twoFactorRequired');
    const err = (JSON.parse(a.text) as { error: { message: string } }).error;
    assert.match(err.message, /^Connection "c42-.*": .*code/);
    assert.ok(!a.text.includes(ACCOUNTS.code42.mfa.password));
    assert.equal(asked, 0, 'the gateway never prompts');
  });

  it('a connection without a stored secret answers 401 loginNeeded', async () => {
    secrets.delete('dr');
    const { gw } = await start([datarhei()]);
    const a = await call(gw, 'GET', '/dr/api/v3/process');
    assert.equal(a.status, 401);
    assert.equal(a.headers['x-api-auth-error'], 'loginNeeded');
    assert.match(a.text, /no password is stored/);
  });

  it('requests beyond the in-flight bound are answered 503 with Retry-After', async () => {
    const conn = datarhei();
    const { gw } = await start([conn], { limits: { maxInFlight: 1 } });
    const answers = await Promise.all(Array.from({ length: 5 }, () => call(gw, 'GET', '/dr/api/v3/process')));
    const busy = answers.filter((a) => a.status === 503);
    assert.ok(busy.length >= 1, answers.map((a) => a.status).join(','));
    assert.ok(busy.every((a) => a.headers['retry-after'] === '1'));
    assert.ok(answers.some((a) => a.status === 200));
  });

  it('stop() closes kept-alive client connections and frees the port', async () => {
    const { gw } = await start([datarhei()]);
    const agent = new http.Agent({ keepAlive: true });
    assert.equal((await call(gw, 'GET', '/dr/api/v3/process', { agent })).status, 200);
    const sockets = Object.values(agent.freeSockets).flat();
    assert.equal(sockets.length, 1, 'the client keeps its connection open');
    const closed = new Promise<void>((resolve) => sockets[0]?.once('close', () => resolve()));
    await gw.stop();
    await closed;
    const refused = await new Promise<string>((resolve) => {
      const s = net.connect(gw.port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve('connected')));
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    assert.equal(refused, 'ECONNREFUSED');
    agent.destroy();
  });
});

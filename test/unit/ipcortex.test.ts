// IPCortex: Red60urne session login/logout, API keys in body or header, typed failures and transport faults,
// against the loopback mock.
import * as assert from 'node:assert/strict';
import axios from 'axios';
import { describeError } from '../../src/core/errors';
import type { ConnectionConfig, Session } from '../../src/core/types';
import { ipcortexAdapter } from '../../src/vendors/ipcortex';
import { ACCOUNTS } from '../mock-vendors/accounts';
import type { IpcortexMockOptions } from '../mock-vendors/ipcortex';
import { ctxFor, rejects, testClock, useMockVendors } from './helpers';

const IDLE_SEC = 1;

describe('IPCortex adapter', () => {
  // The server and the client share a clock that moves only when a test moves it.
  const clock = testClock();
  const mock = useMockVendors({ lifetimes: { ipcortexIdleSec: IDLE_SEC }, clock });

  const setOptions = async (o: Partial<IpcortexMockOptions>): Promise<void> => {
    await axios.post(`${mock().url}/ipcortex/__mock/options`, o);
  };
  afterEach(async () => {
    await setOptions({});
  });

  const conn = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    id: 'ipc-test',
    vendor: 'ipcortex',
    baseUrl: mock().baseUrl('ipcortex'),
    auth: 'password',
    username: ACCOUNTS.ipcortex.username,
    ...over,
  });
  const keyConn = (apiKeyIn?: 'body' | 'header'): ConnectionConfig => conn({ auth: 'apiKey', username: undefined, apiKeyIn });

  const login = (c: ConnectionConfig = conn(), secret: string = ACCOUNTS.ipcortex.password): Promise<Session> =>
    ipcortexAdapter.login(c, { secret }, ctxFor(c, clock));
  const list = (s: Session, c: ConnectionConfig = conn(), path = '/rest/user/list', body: unknown = {}) =>
    ipcortexAdapter.request(c, s, { kind: 'rest', method: 'POST', path, body }, ctxFor(c, clock));
  const lastAuth = async (): Promise<{ via: string[]; ok: boolean }> =>
    (await axios.get<{ via: string[]; ok: boolean }>(`${mock().url}/ipcortex/__mock/last-auth`)).data;

  /** A raw login to the mock, to see what the server itself does with a cookie. */
  const rawLogin = async (cookie?: string) => {
    const res = await axios.post<{ result: string; user?: { session?: string } }>(
      `${mock().baseUrl('ipcortex')}/rest/auth/`,
      { auth: { type: 'auth', username: ACCOUNTS.ipcortex.username, password: ACCOUNTS.ipcortex.password } },
      { headers: cookie ? { Cookie: `Red60urne=${cookie}` } : {} },
    );
    return { body: res.data, setCookie: res.headers['set-cookie'] ?? [] };
  };

  describe('password login (Red60urne session)', () => {
    it('takes the session from the body, matching the Set-Cookie, and calls with the cookie', async () => {
      const before = mock().env.stats.get('ipcortex.login');
      const s = await login();
      assert.equal(mock().env.stats.get('ipcortex.login'), before + 1);
      assert.equal(s.authKind, 'password');
      assert.deepEqual(s.attach, { kind: 'cookie', name: 'Red60urne', value: s.token });
      assert.ok(s.token.length >= 16);
      assert.equal(s.expiresAt, null, 'no lifetime is documented: no countdown');
      assert.equal(s.expiresBecause, 'unknown');
      assert.equal(s.user?.name, 'Alice Example');
      assert.equal(s.user?.id, 123);
      assert.equal(s.user?.detail?.login, 'alice');
      assert.deepEqual(s.user?.detail?.perms, { admin: 'company', directory: 'yes', callcentre: 'yes' });
      assert.equal(s.user?.detail?.session, undefined, 'the session value is not shown as user detail');
      assert.equal(s.history[0].method, 'POST /rest/auth/');

      const calls = mock().env.stats.get('ipcortex.call');
      const r = await list(s);
      assert.equal(r.response.status, 200);
      const body = r.response.body as { result: string; values: { login: string }[] };
      assert.equal(body.result, 'success');
      assert.deepEqual(
        body.values.map((v) => v.login),
        ['alice', 'bob'],
      );
      assert.deepEqual(await lastAuth(), { via: ['cookie'], ok: true });
      assert.equal(mock().env.stats.get('ipcortex.call'), calls + 1);
    });

    it('takes the session from the body when no Set-Cookie comes', async () => {
      await setOptions({ sessionIn: 'body' });
      const s = await login();
      assert.equal(s.attach.kind, 'cookie');
      const r = await list(s, conn(), '/rest/line/list');
      assert.equal((r.response.body as { values: unknown[] }).values.length, 2);
    });

    it('takes the session from Set-Cookie when the body has none', async () => {
      await setOptions({ sessionIn: 'cookie' });
      const s = await login();
      assert.match(s.token, /^[0-9a-f]{40}$/);
      const r = await list(s);
      assert.equal((r.response.body as { result: string }).result, 'success');
      assert.deepEqual(await lastAuth(), { via: ['cookie'], ok: true });
    });

    it('reports a success without any session value as a protocol error', async () => {
      await setOptions({ sessionIn: 'none' });
      const e = await rejects(login());
      assert.equal(e.kind, 'protocol');
      assert.match(e.message, /no session/);
    });

    it('a login that carries a valid cookie applies to that session (server)', async () => {
      const first = await rawLogin();
      const value = first.body.user?.session;
      assert.ok(value);
      assert.deepEqual(first.setCookie, [`Red60urne=${value}; Path=/; HttpOnly`]);
      const again = await rawLogin(value);
      assert.equal(again.body.user?.session, value, 'same session back');
      const fresh = await rawLogin('stale-or-unknown');
      assert.notEqual(fresh.body.user?.session, value);
      assert.notEqual(fresh.body.user?.session, 'stale-or-unknown');
      // And the adapter can use the re-used session.
      const s = await login();
      const reused: Session = { ...s, token: value, attach: { kind: 'cookie', name: 'Red60urne', value } };
      const r = await list(reused);
      assert.equal((r.response.body as { result: string }).result, 'success');
    });

    it('slides a user-set idle window on each successful call', async () => {
      const c = conn({ lifetimeSeconds: 300 });
      const s = await login(c);
      assert.equal(s.expiresBecause, 'sliding-idle');
      assert.equal(s.expiresAt, clock() + 300_000);
      clock.advance(20);
      const r = await list(s, c);
      assert.ok(r.session.lastUsedAt > s.lastUsedAt);
      assert.equal(r.session.lastUsedAt, clock());
      assert.equal(r.session.expiresAt, clock() + 300_000);
    });

    for (const [shape, serverMessage] of [
      ['message', 'Authentication failed'],
      ['bare', undefined],
      ['http401', 'Invalid username or password'],
    ] as const) {
      it(`reports a failed login (${shape}) as credentials`, async () => {
        await setOptions({ loginFail: shape });
        const e = await rejects(login(conn(), 'wrong-password'));
        assert.equal(e.kind, 'credentials');
        assert.match(e.message, /wrong username or password/);
        assert.equal(e.details.serverMessage, serverMessage);
        assert.ok(!e.message.includes('wrong-password'));
      });
    }

    for (const shape of ['message', 'http401'] as const) {
      it(`a server that echoes the password (${shape}): scrubbed from the error, the words kept`, async () => {
        await setOptions({ loginFail: shape, echoSecret: true });
        const e = await rejects(login(conn(), 'Hunter2-ipc'), 'credentials');
        assert.match(e.details.serverMessage ?? '', /: bad password ‹redacted›$/);
        const sentence = describeError(e, conn());
        assert.match(sentence, /; check the username and password\.$/);
        assert.ok(!`${e.message} ${e.details.serverMessage} ${e.stack} ${sentence}`.includes('Hunter2-ipc'));
      });
    }

    it('refuses a password connection without a username before any request', async () => {
      const before = mock().env.stats.get('ipcortex.login');
      const e = await rejects(login(conn({ username: '' })));
      assert.equal(e.kind, 'config');
      assert.match(e.message, /username/);
      assert.equal(mock().env.stats.get('ipcortex.login'), before);
    });

    it('logout ends the session on the server', async () => {
      const s = await login();
      await list(s);
      const before = mock().env.stats.get('ipcortex.logout');
      assert.ok(ipcortexAdapter.logout);
      await ipcortexAdapter.logout(conn(), s, ctxFor(conn(), clock));
      assert.equal(mock().env.stats.get('ipcortex.logout'), before + 1);
      const e = await rejects(list(s));
      assert.equal(e.kind, 'expired');
      assert.equal(e.details.serverMessage, 'Not authenticated');
      // Logging out again is harmless: the session is already gone.
      await ipcortexAdapter.logout(conn(), s, ctxFor(conn(), clock));
    });

    it('reports an idled-out session as expired', async () => {
      const s = await login();
      // Used just inside the idle window the session lives on; left alone for the whole window, it is gone.
      clock.advance(IDLE_SEC * 1000 - 1);
      assert.equal(((await list(s)).response.body as { result: string }).result, 'success');
      clock.advance(IDLE_SEC * 1000);
      const e = await rejects(list(s));
      assert.equal(e.kind, 'expired');
      assert.match(e.message, /session/);
    });

    it('treats HTTP 401 "not authenticated" answers as expired too', async () => {
      await setOptions({ notAuthStatus: 401 });
      const s = await login();
      const bad: Session = { ...s, token: 'bogus', attach: { kind: 'cookie', name: 'Red60urne', value: 'bogus' } };
      const e = await rejects(list(bad));
      assert.equal(e.kind, 'expired');
      assert.equal(e.details.status, 401);
    });

    it('returns other answers as responses', async () => {
      const s = await login();
      const r = await list(s, conn(), '/rest/nosuch/thing');
      assert.equal(r.response.status, 404);
      assert.equal((r.response.body as { message: string }).message, 'Unknown request');
    });

    it('refuses a JSON-RPC request: IPCortex is REST', async () => {
      const s = await login();
      const e = await rejects(ipcortexAdapter.request(conn(), s, { kind: 'rpc', method: 'Login' }, ctxFor(conn(), clock)));
      assert.equal(e.kind, 'config');
    });
  });

  describe('API key', () => {
    it('sends the key in the Authorization header by default and checks it at login', async () => {
      const c = keyConn();
      const calls = mock().env.stats.get('ipcortex.call');
      const s = await login(c, ACCOUNTS.ipcortex.apiKey);
      assert.equal(mock().env.stats.get('ipcortex.call'), calls + 1, 'one real read call proves the key');
      assert.deepEqual(await lastAuth(), { via: ['header'], ok: true });
      assert.equal(s.authKind, 'apiKey');
      assert.equal(s.expiresBecause, 'per-request');
      assert.equal(s.expiresAt, null);
      assert.deepEqual(s.attach, { kind: 'header', name: 'Authorization', value: `token auth=${ACCOUNTS.ipcortex.apiKey}` });
      const r = await list(s, c, '/rest/phone/list');
      assert.equal((r.response.body as { values: unknown[] }).values.length, 1);
      assert.deepEqual(await lastAuth(), { via: ['header'], ok: true });
      // Nothing to end on the server for a key.
      const logouts = mock().env.stats.get('ipcortex.logout');
      await ipcortexAdapter.logout?.(c, s, ctxFor(c, clock));
      assert.equal(mock().env.stats.get('ipcortex.logout'), logouts);
    });

    it('merges the key into the JSON body when apiKeyIn is "body"', async () => {
      const c = keyConn('body');
      const s = await login(c, ACCOUNTS.ipcortex.apiKey);
      assert.deepEqual(await lastAuth(), { via: ['body'], ok: true });
      assert.deepEqual(s.attach, { kind: 'body', name: 'auth.key', value: ACCOUNTS.ipcortex.apiKey });
      const r = await list(s, c, '/rest/line/list', { filter: { type: 'sip' } });
      assert.equal((r.response.body as { result: string }).result, 'success');
      assert.deepEqual(await lastAuth(), { via: ['body'], ok: true });
      // A JSON string body works too; a body that is not an object cannot carry the key.
      await list(s, c, '/rest/line/list', '{"x":1}');
      const e = await rejects(list(s, c, '/rest/line/list', '[1,2]'));
      assert.equal(e.kind, 'config');
    });

    for (const where of ['header', 'body'] as const) {
      it(`reports a wrong API key (${where}) at login as credentials`, async () => {
        const e = await rejects(login(keyConn(where), 'ipck-wrong-key'));
        assert.equal(e.kind, 'credentials');
        assert.match(e.message, /API key/);
        assert.equal(e.details.serverMessage, 'Not authenticated');
        assert.ok(!e.message.includes('ipck-wrong-key'));
      });
    }

    it('a key check the server answers with a 401 is a refused key too', async () => {
      await setOptions({ notAuthStatus: 401 });
      const e = await rejects(login(keyConn(), 'ipck-wrong-key'), 'credentials');
      assert.equal(e.message, 'the API key was not accepted');
      assert.equal(e.details.status, 401);
    });

    it('a key check refused for its section is forbidden with the server words, not a wrong key', async () => {
      await setOptions({ denySections: ['user'] });
      const e = await rejects(login(keyConn(), ACCOUNTS.ipcortex.apiKey), 'forbidden');
      assert.doesNotMatch(e.message, /not accepted/);
      assert.match(e.message, /POST \/rest\/user\/list/);
      assert.equal(e.details.serverMessage, 'Permission denied for section user');
      assert.match(describeError(e, keyConn()), /\(server said: "Permission denied for section user"\); use an account whose role allows this call\.$/);
    });

    it('a server that echoes a wrong API key: scrubbed from the error', async () => {
      await setOptions({ echoSecret: true });
      for (const where of ['header', 'body'] as const) {
        const e = await rejects(login(keyConn(where), 'ipck-wrong-key-0123456789'), 'credentials');
        assert.equal(e.details.serverMessage, 'Not authenticated: bad key ‹redacted›');
        const sentence = describeError(e, keyConn(where));
        assert.match(sentence, /; check the API key\.$/);
        assert.ok(!`${e.message} ${e.stack} ${sentence}`.includes('ipck-wrong-key-0123456789'));
      }
    });

    it('reports a key that stopped working as expired', async () => {
      const c = keyConn();
      const s = await login(c, ACCOUNTS.ipcortex.apiKey);
      const revoked: Session = { ...s, token: 'ipck-revoked', attach: { kind: 'header', name: 'Authorization', value: 'token auth=ipck-revoked' } };
      const e = await rejects(list(revoked, c));
      assert.equal(e.kind, 'expired');
      assert.match(e.message, /API key/);
    });

    it('names the secret by auth kind and offers read calls', () => {
      assert.equal(ipcortexAdapter.secretLabel('apiKey'), 'API key');
      assert.equal(ipcortexAdapter.secretLabel('password'), 'password');
      assert.deepEqual([...ipcortexAdapter.authKinds], ['password', 'apiKey']);
      assert.ok(ipcortexAdapter.sampleRequests.length >= 2);
      assert.ok(ipcortexAdapter.sampleRequests.every((r) => r.kind === 'rest' && r.path.startsWith('/rest/')));
    });
  });

  describe('transport faults', () => {
    for (const [fault, kind] of [
      ['status500', 'server'],
      ['html', 'protocol'],
      ['notJson', 'protocol'],
      ['drop', 'network'],
    ] as const) {
      it(`maps the ${fault} fault to ${kind}`, async () => {
        mock().setFault('ipcortex', { fault: { kind: fault } });
        const e = await rejects(login());
        assert.equal(e.kind, kind);
      });
    }

    it('maps a slow answer to timeout', async () => {
      mock().setFault('ipcortex', { fault: { kind: 'delay', ms: 600 } });
      const e = await rejects(login(conn({ timeoutMs: 150 })));
      assert.equal(e.kind, 'timeout');
    });

    it('maps a fault on the API key check the same way', async () => {
      mock().setFault('ipcortex', { fault: { kind: 'html' }, times: 1 });
      const e = await rejects(login(keyConn(), ACCOUNTS.ipcortex.apiKey));
      assert.equal(e.kind, 'protocol');
    });

    it('rejects the self-signed certificate by default and accepts it when told to', async () => {
      const e = await rejects(login(conn({ baseUrl: mock().baseUrl('ipcortex', true) })));
      assert.equal(e.kind, 'tls');
      const s = await login(conn({ baseUrl: mock().baseUrl('ipcortex', true), tls: { rejectUnauthorized: false } }));
      assert.equal(s.user?.name, 'Alice Example');
    });
  });
});

// N-able Cove: JSON-RPC login, the visa chain, typed failures and transport faults, against the loopback mock.
import * as assert from 'node:assert/strict';
import axios from 'axios';
import { describeError } from '../../src/core/errors';
import type { ConnectionConfig, Session } from '../../src/core/types';
import { coveAdapter } from '../../src/vendors/cove';
import { ACCOUNTS } from '../mock-vendors/accounts';
import type { CoveReceived } from '../mock-vendors/cove';
import { ctxFor, rejects, testClock, useMockVendors } from './helpers';

const VISA_SEC = 1;

describe('N-able Cove adapter', () => {
  // The server and the client share a clock that moves only when a test moves it.
  const clock = testClock();
  const mock = useMockVendors({ lifetimes: { coveVisaSec: VISA_SEC }, clock });

  afterEach(async () => {
    await axios.post(`${mock().url}/cove/__mock/options`, {});
  });

  const conn = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    id: 'cove-test',
    vendor: 'cove',
    baseUrl: mock().baseUrl('cove'),
    auth: 'password',
    partner: ACCOUNTS.cove.partner,
    username: ACCOUNTS.cove.username,
    ...over,
  });

  const login = (c: ConnectionConfig = conn(), secret: string = ACCOUNTS.cove.password): Promise<Session> => coveAdapter.login(c, { secret }, ctxFor(c, clock));

  /** What the mock server was sent, newest last. */
  const received = async (): Promise<CoveReceived[]> => (await axios.get<CoveReceived[]>(`${mock().url}/cove/__mock/received`)).data;
  const lastReceived = async (): Promise<CoveReceived> => {
    const all = await received();
    const last = all[all.length - 1];
    assert.ok(last, 'the mock received nothing');
    return last;
  };

  describe('login', () => {
    it('reads the top-level visa and the user record, records Login in the history, and slides 15 min', async () => {
      const before = mock().env.stats.get('cove.Login');
      const t0 = clock();
      const s = await login();
      assert.equal(mock().env.stats.get('cove.Login'), before + 1);
      assert.equal(s.vendor, 'cove');
      assert.equal(s.authKind, 'password');
      assert.ok(s.token.length > 40, 'a visa is long and opaque');
      assert.deepEqual(s.attach, { kind: 'jsonrpc', name: 'visa', value: s.token });
      assert.equal(s.user?.name, 'Ada Admin');
      assert.equal(s.user?.id, 50193);
      assert.equal(s.user?.detail?.PartnerId, 33491);
      assert.equal(s.user?.detail?.RoleId, 1);
      assert.deepEqual(s.user?.detail?.Flags, ['AllowApiAuthentication']);
      assert.equal(s.user?.detail?.TwoFactorAuthenticationStatus, 'Enabled');
      assert.equal(s.user?.detail?.SecurityCode, undefined, 'secret-looking fields are left out');
      assert.equal(s.history.length, 1);
      assert.equal(s.history[0].event, 'login');
      assert.equal(s.history[0].method, 'Login');
      assert.equal(s.history[0].token, s.token);
      assert.equal(s.history[0].replaced, null);
      assert.equal(s.expiresBecause, 'sliding-idle');
      assert.equal(s.slidingWindowMs, 900_000);
      assert.equal(s.expiresAt, t0 + 900_000, 'expiry: now + 15 min');
      const sent = await lastReceived();
      assert.equal(sent.method, 'Login');
      assert.equal(sent.id, '1', 'request ids are strings');
    });

    it('honours lifetimeSeconds as the visa window', async () => {
      const s = await login(conn({ lifetimeSeconds: 120 }));
      assert.equal(s.slidingWindowMs, 120_000);
      assert.equal(s.expiresAt, clock() + 120_000);
    });

    it('logs in an API user with its token as the password', async () => {
      const s = await login(conn({ username: ACCOUNTS.cove.apiUser.username }), ACCOUNTS.cove.apiUser.password);
      assert.equal(s.user?.name, 'Api User');
    });

    for (const [what, over, secret] of [
      ['a wrong password', {}, 'not-the-password'],
      ['a wrong partner', { partner: 'Acme Corp' }, ACCOUNTS.cove.password],
      ['an unknown username', { username: 'nobody@acme.com' }, ACCOUNTS.cove.password],
    ] as const) {
      it(`reports ${what} as credentials (2100) with the server's words`, async () => {
        const e = await rejects(login(conn(over), secret));
        assert.equal(e.kind, 'credentials');
        assert.equal(e.details.code, 2100);
        assert.equal(e.details.serverMessage, 'Unknown partner/username or bad password');
        assert.match(e.message, /wrong partner, username or password/);
        assert.ok(!e.message.includes(secret), 'the secret is not in the message');
        assert.match(describeError(e, conn()), /^Connection "cove-test": wrong partner, username or password \(server said: "Unknown partner/);
      });
    }

    it('refuses a connection without partner or username before any request', async () => {
      const before = mock().env.stats.get('cove.Login');
      const e = await rejects(login(conn({ partner: '', username: undefined })));
      assert.equal(e.kind, 'config');
      assert.match(e.message, /partner/);
      assert.match(e.message, /username/);
      assert.equal(mock().env.stats.get('cove.Login'), before);
      assert.equal(coveAdapter.validate(conn()).length, 0);
    });

    it('reports a success answer without a visa as a protocol error', async () => {
      await axios.post(`${mock().url}/cove/__mock/options`, { omitVisa: true });
      const e = await rejects(login());
      assert.equal(e.kind, 'protocol');
      assert.match(e.message, /no visa/);
    });

    it('a server that echoes the password: it is scrubbed from the server words and the sentence', async () => {
      await axios.post(`${mock().url}/cove/__mock/options`, { echoPassword: true });
      const secret = 'Hunter2-cove';
      const e = await rejects(login(conn(), secret), 'credentials');
      assert.equal(e.details.serverMessage, 'Unknown partner/username or bad password ‹redacted›');
      const sentence = describeError(e, conn());
      assert.equal(
        sentence,
        'Connection "cove-test": wrong partner, username or password (server said: "Unknown partner/username or bad password ‹redacted›"); check the partner name, username and password.',
      );
      assert.ok(!`${e.message} ${e.stack}`.includes(secret));
    });
  });

  describe('calls and the visa chain', () => {
    it('sends the newest visa and grows the chain by one entry per call', async () => {
      const s0 = await login();
      const callsBefore = mock().env.stats.get('cove.call');
      const partnersBefore = mock().env.stats.get('cove.EnumeratePartners');

      const r1 = await coveAdapter.request(conn(), s0, { kind: 'rpc', method: 'EnumeratePartners', params: { parentPartnerId: 33491 } }, ctxFor(conn(), clock));
      let sent = await lastReceived();
      assert.equal(sent.method, 'EnumeratePartners');
      assert.equal(sent.visa, s0.token, 'the first call carries the Login visa');
      assert.equal(sent.id, '2');
      const s1 = r1.session;
      assert.equal(r1.response.status, 200);
      const body1 = r1.response.body as { result: { result: { Name: string }[] }; visa: string };
      assert.deepEqual(
        body1.result.result.map((p) => p.Name),
        ['Contoso Ltd', 'Fabrikam BV'],
      );
      assert.notEqual(s1.token, s0.token, 'every answer carries a new visa');
      assert.equal(s1.token, body1.visa);
      assert.equal(s1.attach.value, s1.token);
      assert.equal(s1.history.length, 2);
      assert.deepEqual(
        { event: s1.history[1].event, method: s1.history[1].method, token: s1.history[1].token, replaced: s1.history[1].replaced },
        { event: 'call', method: 'EnumeratePartners', token: s1.token, replaced: s0.token },
      );
      assert.ok(s1.expiresAt !== null && s0.expiresAt !== null && s1.expiresAt >= s0.expiresAt, 'the expiry slides');

      const r2 = await coveAdapter.request(
        conn(),
        s1,
        { kind: 'rpc', method: 'GetPartnerInfo', params: { name: ACCOUNTS.cove.partner } },
        ctxFor(conn(), clock),
      );
      sent = await lastReceived();
      assert.equal(sent.visa, s1.token, 'the newest visa is the one sent next');
      assert.equal(sent.id, '3');
      const s2 = r2.session;
      assert.equal(s2.history.length, 3);
      assert.equal(s2.history[2].method, 'GetPartnerInfo');
      assert.equal(s2.history[2].replaced, s1.token);
      assert.equal(s2.history[2].token, s2.token);
      assert.equal((r2.response.body as { result: { result: { Id: number } } }).result.result.Id, 33491);
      assert.equal(new Set([s0.token, s1.token, s2.token]).size, 3);

      assert.equal(mock().env.stats.get('cove.call'), callsBefore + 2);
      assert.equal(mock().env.stats.get('cove.EnumeratePartners'), partnersBefore + 1);
    });

    it('still accepts an older visa of the chain while it is valid', async () => {
      const s0 = await login();
      const r1 = await coveAdapter.request(conn(), s0, { kind: 'rpc', method: 'EnumerateColumns' }, ctxFor(conn(), clock));
      // Call again with the Login visa, now superseded but not expired.
      const r2 = await coveAdapter.request(conn(), s0, { kind: 'rpc', method: 'EnumerateAccountStatistics', params: { query: {} } }, ctxFor(conn(), clock));
      assert.equal((await lastReceived()).visa, s0.token);
      assert.equal(r2.response.status, 200);
      assert.notEqual(r2.session.token, r1.session.token);
      assert.equal(r2.session.history[r2.session.history.length - 1].replaced, s0.token);
      assert.ok(Array.isArray((r2.response.body as { result: { result: unknown[] } }).result.result));
    });

    it('reports an expired visa as expired (1701)', async () => {
      const s = await login();
      // Just inside the visa's lifetime the server still takes it; just past it, it answers 1701.
      clock.advance(VISA_SEC * 1000 - 1);
      assert.equal((await coveAdapter.request(conn(), s, { kind: 'rpc', method: 'EnumerateColumns' }, ctxFor(conn(), clock))).response.status, 200);
      clock.advance(1);
      const e = await rejects(coveAdapter.request(conn(), s, { kind: 'rpc', method: 'EnumeratePartners' }, ctxFor(conn(), clock)));
      assert.equal(e.kind, 'expired');
      assert.equal(e.details.code, 1701);
      assert.equal(e.details.serverMessage, 'Visa is inconsistent/corrupted');
    });

    it('reports a garbage visa as expired (1701)', async () => {
      const s = await login();
      const bad: Session = { ...s, token: 'not-a-visa', attach: { kind: 'jsonrpc', name: 'visa', value: 'not-a-visa' } };
      const e = await rejects(coveAdapter.request(conn(), bad, { kind: 'rpc', method: 'EnumeratePartners' }, ctxFor(conn(), clock)));
      assert.equal(e.kind, 'expired');
      assert.equal(e.details.code, 1701);
      assert.equal((await lastReceived()).visa, 'not-a-visa');
    });

    it('reports a call the role may not make as forbidden (13501)', async () => {
      const c = conn({ username: ACCOUNTS.cove.viewer.username });
      const s = await login(c, ACCOUNTS.cove.viewer.password);
      const e = await rejects(coveAdapter.request(c, s, { kind: 'rpc', method: 'EnumerateUsers', params: { partnerIds: [33491] } }, ctxFor(c, clock)));
      assert.equal(e.kind, 'forbidden');
      assert.equal(e.details.code, 13501);
      assert.equal(e.details.serverMessage, 'Operation failed because of security reasons');
      // The same call is allowed for the admin.
      const admin = await login();
      const r = await coveAdapter.request(conn(), admin, { kind: 'rpc', method: 'EnumerateUsers', params: { partnerIds: [33491] } }, ctxFor(conn(), clock));
      assert.equal((r.response.body as { result: { result: unknown[] } }).result.result.length, 3);
    });

    it('returns other JSON-RPC errors as the response and keeps the visa', async () => {
      const s = await login();
      const r = await coveAdapter.request(conn(), s, { kind: 'rpc', method: 'NoSuchMethod' }, ctxFor(conn(), clock));
      assert.equal(r.response.status, 200);
      assert.equal((r.response.body as { error: { code: number } }).error.code, -32601);
      assert.equal(r.session.token, s.token, 'no new visa came');
      assert.equal(r.session.history.length, 1);
      assert.equal(r.session.expiresAt, s.expiresAt, 'nothing slides without a new visa');
      // The id counter still moves on.
      await coveAdapter.request(conn(), r.session, { kind: 'rpc', method: 'EnumerateColumns' }, ctxFor(conn(), clock));
      assert.equal((await lastReceived()).id, '3');
    });

    it('refuses a REST request: Cove is JSON-RPC', async () => {
      const s = await login();
      const e = await rejects(coveAdapter.request(conn(), s, { kind: 'rest', method: 'GET', path: '/partners' }, ctxFor(conn(), clock)));
      assert.equal(e.kind, 'config');
      assert.match(e.message, /JSON-RPC/);
    });

    it('answers malformed JSON with a JSON-RPC parse error (mock)', async () => {
      const res = await axios.post<string>(mock().baseUrl('cove'), '{"jsonrpc":', {
        headers: { 'Content-Type': 'application/json' },
        transformRequest: [(d: string) => d],
        responseType: 'text',
        transformResponse: [(d: string) => d],
      });
      assert.equal(res.status, 200);
      assert.equal((JSON.parse(res.data) as { error: { code: number } }).error.code, -32700);
    });

    it('offers read-only sample calls', () => {
      const methods = coveAdapter.sampleRequests.map((r) => (r.kind === 'rpc' ? r.method : ''));
      assert.deepEqual(methods, ['EnumeratePartners', 'GetPartnerInfo', 'EnumerateAccountStatistics', 'EnumerateUsers', 'EnumerateColumns']);
      assert.equal(coveAdapter.logout, undefined, 'Cove has no logout method');
    });
  });

  describe('transport faults', () => {
    it('maps HTTP 500 to server', async () => {
      mock().setFault('cove', { fault: { kind: 'status500' } });
      const e = await rejects(login());
      assert.equal(e.kind, 'server');
      assert.equal(e.details.status, 500);
    });

    it('maps an HTML page to protocol', async () => {
      mock().setFault('cove', { fault: { kind: 'html' } });
      const e = await rejects(login());
      assert.equal(e.kind, 'protocol');
      assert.match(e.message, /HTML page/);
    });

    it('maps a non-JSON answer to protocol', async () => {
      mock().setFault('cove', { fault: { kind: 'notJson' } });
      const e = await rejects(login());
      assert.equal(e.kind, 'protocol');
      assert.match(e.message, /not JSON/);
    });

    it('maps a dropped connection to network', async () => {
      mock().setFault('cove', { fault: { kind: 'drop' } });
      const e = await rejects(login());
      assert.equal(e.kind, 'network');
    });

    it('maps a slow answer to timeout', async () => {
      mock().setFault('cove', { fault: { kind: 'delay', ms: 600 } });
      const e = await rejects(login(conn({ timeoutMs: 150 })));
      assert.equal(e.kind, 'timeout');
    });

    it('maps a fault on a call the same way', async () => {
      const s = await login();
      mock().setFault('cove', { fault: { kind: 'status500' }, times: 1 });
      const e = await rejects(coveAdapter.request(conn(), s, { kind: 'rpc', method: 'EnumerateColumns' }, ctxFor(conn(), clock)));
      assert.equal(e.kind, 'server');
    });

    it('rejects the self-signed certificate by default and accepts it when told to', async () => {
      const https = conn({ baseUrl: mock().baseUrl('cove', true) });
      const e = await rejects(login(https));
      assert.equal(e.kind, 'tls');
      const trusting = conn({ baseUrl: mock().baseUrl('cove', true), tls: { rejectUnauthorized: false } });
      const s = await login(trusting);
      assert.equal(s.user?.name, 'Ada Admin');
    });
  });
});

// Commvault / SnapProtect adapter against the loopback mock (the protocol: docs/protocols.md §2).
import * as assert from 'node:assert/strict';
import { AuthError, describeError } from '../../src/core/errors';
import type { AdapterContext } from '../../src/core/http';
import type { ConnectionConfig, Session } from '../../src/core/types';
import { validateConnection } from '../../src/engine/config';
import { ADAPTERS } from '../../src/vendors';
import { commvaultAdapter as cv, deviceIdFor, normalizeToken } from '../../src/vendors/commvault';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { commvaultRecord } from '../mock-vendors/commvault';
import { ctxFor, testClock, useMockVendors } from './helpers';

const A = ACCOUNTS.commvault;
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** Runs `fn` and returns the AuthError it must throw. */
async function authError(fn: () => Promise<unknown>): Promise<AuthError> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof AuthError, `expected an AuthError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an AuthError, but the call succeeded');
}

describe('Commvault adapter', () => {
  // The server and the client share a clock that moves only when a test moves it.
  const clock = testClock();
  const mock = useMockVendors({ lifetimes: { commvaultIdleSec: 2 }, clock });
  const rec = () => commvaultRecord(mock().env);
  let n = 0;

  const conn = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    id: `cv-${++n}`,
    vendor: 'commvault',
    baseUrl: mock().baseUrl('commvault'),
    username: A.username,
    timeoutMs: 5000,
    ...over,
  });

  afterEach(() => {
    rec().forcePasswordChange = false;
    rec().tokenLineBreaks = false;
    rec().echoPassword = false;
  });

  async function loginAdmin(c: ConnectionConfig = conn(), ctx: AdapterContext = ctxFor(c, clock)): Promise<Session> {
    return cv.login(c, { secret: A.password }, ctx);
  }

  async function whoAmI(c: ConnectionConfig, s: Session) {
    return cv.request(c, s, { kind: 'rest', method: 'POST', path: '/WhoAmI' }, ctxFor(c, clock));
  }

  describe('validate', () => {
    it('accepts a complete connection', () => {
      assert.deepEqual(cv.validate(conn({ format: 'xml', commserver: A.commserver, domain: 'ACME' })), []);
    });
    it('reports a missing username and a commserver not written host*name; a bad format is left to the common checks', () => {
      const problems = cv.validate(conn({ username: '', commserver: 'testcs' }));
      assert.equal(problems.length, 2, problems.join(' | '));
      assert.match(problems.join(' | '), /username/);
      assert.match(problems.join(' | '), /host\*name/);
      assert.deepEqual(validateConnection({ ...conn(), format: 'yaml' }, ADAPTERS), ['"format" must be "json" or "xml"']);
    });
    it('login refuses a bad connection without contacting the server', async () => {
      const before = mock().env.stats.get('commvault.login');
      const e = await authError(() => cv.login(conn({ commserver: 'no-star' }), { secret: A.password }, ctxFor(conn(), clock)));
      assert.equal(e.kind, 'config');
      assert.equal(mock().env.stats.get('commvault.login'), before);
    });
  });

  describe('login', () => {
    it('JSON: sends the password base64-encoded and gets a QSDK token in a sliding session', async () => {
      const c = conn();
      const before = mock().env.stats.get('commvault.login');
      const s = await loginAdmin(c);
      assert.equal(mock().env.stats.get('commvault.login'), before + 1);

      const body = rec().lastLoginBody;
      assert.ok(body);
      assert.equal(body.password, b64(A.password));
      assert.notEqual(body.password, A.password);
      assert.equal(body.mode, 'WebConsole');
      assert.equal(body.domain, '');
      assert.equal(body.username, 'admin');
      assert.ok(!('commserver' in body), 'commserver is omitted when not used');
      assert.ok(!('deviceId' in body), 'deviceId is sent only when the connection sets one');
      assert.match(rec().lastLoginContentType, /^application\/json/);
      assert.match(rec().lastLoginAccept, /^application\/json/);

      assert.match(s.token, /^QSDK [0-9a-f]{100,}$/);
      assert.deepEqual(s.attach, { kind: 'header', name: 'Authtoken', value: s.token });
      assert.equal(s.vendor, 'commvault');
      assert.equal(s.authKind, 'password');
      assert.equal(s.expiresBecause, 'sliding-idle');
      assert.equal(s.slidingWindowMs, 1800 * 1000);
      assert.ok(s.expiresAt !== null && Math.abs(s.expiresAt - (s.lastUsedAt + 1800_000)) < 5);
      assert.equal(s.user?.name, 'admin');
      assert.match(String(s.user?.id), /^[0-9A-F-]{36}$/);
      assert.equal(s.user?.detail?.forcePasswordChange, undefined);
      assert.equal(s.vendorState.deviceId, deviceIdFor(c));
      assert.equal(s.vendorState.format, 'json');
      assert.equal(s.history.length, 1);
      assert.equal(s.history[0].event, 'login');
      assert.equal(s.history[0].method, 'Login');
    });

    it('encodes the password as UTF-8 before base64', async () => {
      const secret = 'pässwörd-€';
      const e = await authError(() => cv.login(conn(), { secret }, ctxFor(conn(), clock)));
      assert.equal(e.kind, 'credentials');
      assert.equal(rec().lastLoginBody?.password, b64(secret));
    });

    it('XML: sends the documented request element and reads the token from the answer attributes', async () => {
      const c = conn({ format: 'xml' });
      const s = await loginAdmin(c);
      assert.match(rec().lastLoginContentType, /^application\/xml/);
      assert.match(rec().lastLoginAccept, /^application\/xml/);
      const body = rec().lastLoginBody;
      assert.equal(body?.mode, 'Webconsole');
      assert.equal(body?.password, b64(A.password));
      assert.equal(body?.username, 'admin');
      assert.match(s.token, /^QSDK [0-9a-f]{100,}$/);
      assert.equal(s.user?.name, 'admin');
      assert.equal(s.user?.detail?.organization, 'Commcell');
      assert.equal(s.vendorState.format, 'xml');

      const r = await whoAmI(c, s);
      assert.equal(r.response.status, 200);
      assert.equal(typeof r.response.body, 'string', 'XML answers stay text');
      assert.match(String(r.response.body), /<App_WhoAmIResp [^>]*userName="admin"/);
    });

    it('domain user: logs in with its domain, fails without it', async () => {
      const d = A.domainUser;
      const s = await cv.login(conn({ username: d.username, domain: d.domain }), { secret: d.password }, ctxFor(conn(), clock));
      assert.equal(rec().lastLoginBody?.domain, 'ACME');
      assert.equal(s.user?.name, 'jdoe');
      assert.equal(s.user?.detail?.domain, 'ACME');

      const e = await authError(() => cv.login(conn({ username: d.username }), { secret: d.password }, ctxFor(conn(), clock)));
      assert.equal(e.kind, 'credentials');
    });

    it('remote CommServe: the configured one is accepted, another one is refused with the server message', async () => {
      const s = await loginAdmin(conn({ commserver: A.commserver }));
      assert.equal(rec().lastLoginBody?.commserver, A.commserver);
      assert.match(s.token, /^QSDK /);

      const e = await authError(() => loginAdmin(conn({ commserver: 'other.mydomain.com*othercs' })));
      assert.equal(e.kind, 'credentials');
      assert.match(e.details.serverMessage ?? '', /CommServe/);
      assert.match(e.message, /CommServe/);
    });

    it('wrong password (JSON): credentials, with the errList message and code', async () => {
      const e = await authError(() => cv.login(conn(), { secret: 'wrong-pass' }, ctxFor(conn(), clock)));
      assert.equal(e.kind, 'credentials');
      assert.equal(e.message, 'wrong username or password');
      assert.equal(e.details.serverMessage, 'Username or password is incorrect');
      assert.equal(e.details.code, 5);
      assert.equal(e.details.status, 200);
      const sentence = describeError(e, { id: 'cv', label: 'Prod CV' });
      assert.match(sentence, /^Connection "Prod CV": wrong username or password \(server said: "Username or password is incorrect"\)/);
      assert.ok(!sentence.includes('wrong-pass') && !sentence.includes(b64('wrong-pass')));
    });

    for (const format of ['json', 'xml'] as const) {
      it(`a server that echoes the password and its base64 (${format}): scrubbed, the words kept`, async () => {
        rec().echoPassword = true;
        const c = conn({ format });
        const secret = 'Hunter2-cv';
        const e = await authError(() => cv.login(c, { secret }, ctxFor(c, clock)));
        assert.equal(e.kind, 'credentials');
        assert.equal(e.details.serverMessage, 'Username or password is incorrect (password ‹redacted›, sent as ‹redacted›)');
        const sentence = describeError(e, c);
        assert.match(sentence, /; check the username and password\.$/);
        assert.ok(!`${e.message} ${e.stack} ${sentence}`.includes(secret) && !sentence.includes(b64(secret)));
      });
    }

    it('wrong password (XML): credentials, with the errList attributes', async () => {
      const c = conn({ format: 'xml' });
      const e = await authError(() => cv.login(c, { secret: 'wrong-pass' }, ctxFor(c, clock)));
      assert.equal(e.kind, 'credentials');
      assert.equal(e.details.serverMessage, 'Username or password is incorrect');
      assert.equal(e.details.code, 5);
    });

    it('the mock refuses a password sent as plain text (not base64) like a wrong one', async () => {
      const c = conn();
      const res = await ctxFor(c, clock).http.post(
        `${c.baseUrl}/Login`,
        JSON.stringify({ mode: 'WebConsole', domain: '', username: 'admin', password: A.password }),
        { headers: { 'Content-Type': 'application/json', Accept: 'application/json' } },
      );
      assert.equal(res.status, 200);
      const body = JSON.parse(String(res.data)) as Record<string, unknown>;
      assert.equal(body.token, undefined);
      assert.deepEqual(body.errList, [{ errLogMessage: 'Username or password is incorrect', errorCode: 5 }]);
    });

    for (const format of ['json', 'xml'] as const) {
      it(`locked account (${format}): locked, with the remaining lock time and the server message`, async () => {
        const c = conn({ username: A.locked.username, format });
        const e = await authError(() => cv.login(c, { secret: A.locked.password }, ctxFor(c, clock)));
        assert.equal(e.kind, 'locked');
        assert.equal(e.details.remainingLockSeconds, A.locked.remainingLockTime);
        assert.match(e.details.serverMessage ?? '', /locked/i);
        assert.match(e.message, /locked/);
      });
    }

    it('forcePasswordChange: still logged in, noted in the user detail', async () => {
      rec().forcePasswordChange = true;
      const s = await loginAdmin();
      assert.match(s.token, /^QSDK /);
      assert.equal(s.user?.detail?.forcePasswordChange, true);
      assert.match(String(s.user?.detail?.note), /password change/);
    });

    for (const format of ['json', 'xml'] as const) {
      it(`a token broken over lines (${format}) is joined again and works`, async () => {
        rec().tokenLineBreaks = true;
        const c = conn({ format });
        const s = await loginAdmin(c);
        assert.match(s.token, /^QSDK [0-9a-f]{300,}$/);
        const r = await whoAmI(c, s);
        assert.equal(r.response.status, 200);
      });
    }

    it('sends deviceId at login only when the connection sets it, and keeps it for renewals', async () => {
      const c = conn({ deviceId: 'laptop-42' });
      const s = await loginAdmin(c);
      assert.equal(rec().lastLoginBody?.deviceId, 'laptop-42');
      assert.equal(s.vendorState.deviceId, 'laptop-42');
    });

    it('derives a stable device id from the connection id', () => {
      const a = deviceIdFor({ id: 'prod' });
      assert.equal(a, deviceIdFor({ id: 'prod' }));
      assert.notEqual(a, deviceIdFor({ id: 'test' }));
      assert.equal(deviceIdFor({ id: 'prod', deviceId: 'x1' }), 'x1');
    });

    it('never writes the password or the token to the trace', async () => {
      const lines: string[] = [];
      const c = conn();
      const s = await cv.login(c, { secret: A.password }, { ...ctxFor(c, clock), trace: (l) => lines.push(l) });
      await cv.request(c, s, { kind: 'rest', method: 'POST', path: '/WhoAmI' }, { ...ctxFor(c, clock), trace: (l) => lines.push(l) });
      assert.ok(lines.length >= 2);
      const all = lines.join('\n');
      assert.ok(!all.includes(A.password));
      assert.ok(!all.includes(b64(A.password)));
      assert.ok(!all.includes(s.token.slice(5, 40)));
    });
  });

  describe('normalizeToken', () => {
    it('removes whitespace inside the token and keeps the QSDK prefix', () => {
      assert.equal(normalizeToken('  QSDK 3fee1a\n  2b4c\r\n 99 '), 'QSDK 3fee1a2b4c99');
      assert.equal(normalizeToken('QSDK\n3fee'), 'QSDK 3fee');
      assert.equal(normalizeToken('abc def'), 'abcdef');
    });
  });

  describe('requests', () => {
    it('attaches the whole Authtoken header, QSDK prefix included, and returns parsed JSON', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      const before = mock().env.stats.get('commvault.call');
      const r = await whoAmI(c, s);
      assert.equal(rec().lastAuthtoken, s.token);
      assert.match(rec().lastAuthtoken ?? '', /^QSDK /);
      assert.equal(mock().env.stats.get('commvault.call'), before + 1);
      assert.equal(r.response.status, 200);
      assert.equal((r.response.body as Record<string, unknown>).userName, 'admin');

      const clients = await cv.request(c, s, { kind: 'rest', method: 'GET', path: 'Client' }, ctxFor(c, clock));
      const list = (clients.response.body as { clientProperties: unknown[] }).clientProperties;
      assert.ok(Array.isArray(list) && list.length > 0);
      const groups = await cv.request(c, s, { kind: 'rest', method: 'get', path: '/V4/ServerGroup' }, ctxFor(c, clock));
      assert.equal(groups.response.status, 200);
    });

    it('the sample requests all succeed', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      assert.ok(cv.sampleRequests.length >= 3);
      for (const req of cv.sampleRequests) {
        const r = await cv.request(c, s, req, ctxFor(c, clock));
        assert.equal(r.response.status, 200, JSON.stringify(req));
      }
    });

    it('a token without its QSDK prefix is rejected: expired', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      const bare = s.token.slice('QSDK '.length);
      const e = await authError(() => whoAmI(c, { ...s, token: bare, attach: { kind: 'header', name: 'Authtoken', value: bare } }));
      assert.equal(e.kind, 'expired');
      assert.equal(e.details.status, 401);
      assert.equal(e.details.serverMessage, 'Access denied');
    });

    it('other statuses are returned, not thrown', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      const r = await cv.request(c, s, { kind: 'rest', method: 'GET', path: '/NoSuchThing' }, ctxFor(c, clock));
      assert.equal(r.response.status, 404);
      assert.equal(r.session.lastUsedAt, s.lastUsedAt, 'a failed call does not move the idle window');
      mock().setFault('commvault', { fault: { kind: 'status500' }, times: 1 });
      const r2 = await whoAmI(c, s);
      assert.equal(r2.response.status, 500);
      assert.equal(r2.response.body, 'Internal Server Error');
    });

    it('refuses JSON-RPC requests and absolute URLs (the Authtoken stays on this server)', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      assert.equal((await authError(() => cv.request(c, s, { kind: 'rpc', method: 'Login' }, ctxFor(c, clock)))).kind, 'config');
      const e = await authError(() => cv.request(c, s, { kind: 'rest', method: 'GET', path: 'http://127.0.0.1:1/x' }, ctxFor(c, clock)));
      assert.equal(e.kind, 'config');
    });

    it('sends a JSON body as JSON and an XML body as XML, per format', async () => {
      const cx = conn({ format: 'xml' });
      const sx = await loginAdmin(cx);
      const r = await cv.request(cx, sx, { kind: 'rest', method: 'POST', path: '/WhoAmI', body: { App_WhoAmIReq: { level: 1 } } }, ctxFor(cx, clock));
      assert.equal(r.response.status, 200);
      assert.match(r.response.contentType, /xml/);
      assert.equal(rec().lastCall?.body, '<App_WhoAmIReq level="1"/>');
      assert.match(rec().lastCall?.contentType ?? '', /^application\/xml/);
      assert.match(rec().lastCall?.accept ?? '', /^application\/xml/);
      assert.equal(rec().lastCall?.path, '/webconsole/api/WhoAmI');

      const cj = conn();
      const sj = await loginAdmin(cj);
      await cv.request(cj, sj, { kind: 'rest', method: 'POST', path: '/WhoAmI', body: { level: 1 } }, ctxFor(cj, clock));
      assert.equal(rec().lastCall?.body, '{"level":1}');
      assert.match(rec().lastCall?.contentType ?? '', /^application\/json/);

      // A GET has no body and no Content-Type; caller headers may replace Accept but never the Authtoken.
      await cv.request(cj, sj, { kind: 'rest', method: 'GET', path: '/CommServ', headers: { accept: 'application/xml', Authtoken: 'x' } }, ctxFor(cj, clock));
      assert.equal(rec().lastCall?.contentType, '');
      assert.equal(rec().lastCall?.accept, 'application/xml');
      assert.equal(rec().lastAuthtoken, sj.token);
    });
  });

  describe('idle window', () => {
    it('the token dies after the idle window with no calls: expired', async () => {
      const c = conn({ lifetimeSeconds: 2 });
      const s = await loginAdmin(c);
      assert.equal(s.slidingWindowMs, 2000);
      clock.advance(2000);
      assert.ok(s.expiresAt !== null && s.expiresAt <= clock(), 'the client also thinks it expired');
      const e = await authError(() => whoAmI(c, s));
      assert.equal(e.kind, 'expired');
    });

    it('calls less than 2 s apart keep it alive beyond 2 s, and each call moves the expiry', async () => {
      const c = conn({ lifetimeSeconds: 2 });
      let s = await loginAdmin(c);
      // Four calls 1.9 s apart: 7.6 s in all, alive throughout.
      for (let i = 0; i < 4; i++) {
        clock.advance(1900);
        const before = s.expiresAt ?? 0;
        const r = await whoAmI(c, s);
        assert.equal(r.response.status, 200, `call ${i}`);
        assert.ok((r.session.expiresAt ?? 0) > before, 'expiry moved');
        assert.equal(r.session.lastUsedAt, clock());
        assert.equal(r.session.expiresAt, clock() + 2000);
        s = r.session;
      }
      // It was the calls that kept it alive: 2 s without one and it is gone.
      clock.advance(2000);
      assert.equal((await authError(() => whoAmI(c, s))).kind, 'expired');
    });
  });

  describe('RenewLoginToken', () => {
    it('gives a new working token, the old one stops working, the history records the renewal', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      const before = mock().env.stats.get('commvault.renew');
      assert.ok(cv.refresh);
      const r = await cv.refresh(c, s, ctxFor(c, clock));
      assert.equal(mock().env.stats.get('commvault.renew'), before + 1);
      assert.deepEqual(rec().lastRenewBody, { sessionId: s.token, deviceId: s.vendorState.deviceId });

      assert.notEqual(r.token, s.token);
      assert.match(r.token, /^QSDK [0-9a-f]{100,}$/);
      assert.deepEqual(r.attach, { kind: 'header', name: 'Authtoken', value: r.token });
      const last = r.history[r.history.length - 1];
      assert.equal(r.history.length, 2);
      assert.equal(last.event, 'renew');
      assert.equal(last.method, 'RenewLoginToken');
      assert.equal(last.token, r.token);
      assert.equal(last.replaced, s.token);
      assert.equal(r.expiresBecause, 'sliding-idle');

      assert.equal((await whoAmI(c, r)).response.status, 200);
      assert.equal((await authError(() => whoAmI(c, s))).kind, 'expired');
    });

    it('renewing a dead token: expired (HTTP 401)', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      const r = await cv.refresh!(c, s, ctxFor(c, clock));
      const e = await authError(() => cv.refresh!(c, s, ctxFor(c, clock)));
      assert.equal(e.kind, 'expired');
      assert.equal(e.details.status, 401);
      assert.equal((await whoAmI(c, r)).response.status, 200, 'the failed renewal did not hurt the current token');
    });

    it('renewing with another device id than the login one: expired, with the server message', async () => {
      const c = conn({ deviceId: 'laptop-42' });
      const s = await loginAdmin(c);
      const e = await authError(() => cv.refresh!(c, { ...s, vendorState: { ...s.vendorState, deviceId: 'other' } }, ctxFor(c, clock)));
      assert.equal(e.kind, 'expired');
      assert.equal(e.details.status, 200);
      assert.match(e.details.serverMessage ?? '', /device/i);
      const ok = await cv.refresh!(c, s, ctxFor(c, clock));
      assert.equal(rec().lastRenewBody?.deviceId, 'laptop-42');
      assert.equal((await whoAmI(c, ok)).response.status, 200);
    });

    it('renewal faults are typed', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      mock().setFault('commvault', { fault: { kind: 'status500' }, times: 1 });
      assert.equal((await authError(() => cv.refresh!(c, s, ctxFor(c, clock)))).kind, 'server');
      mock().setFault('commvault', { fault: { kind: 'notJson' }, times: 1 });
      assert.equal((await authError(() => cv.refresh!(c, s, ctxFor(c, clock)))).kind, 'protocol');
    });
  });

  describe('logout', () => {
    it('ends the token; a second logout ("Invalid authorization token provided.") is fine too', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      const before = mock().env.stats.get('commvault.logout');
      assert.ok(cv.logout);
      await cv.logout(c, s, ctxFor(c, clock));
      assert.equal(rec().lastAuthtoken, s.token);
      assert.equal((await authError(() => whoAmI(c, s))).kind, 'expired');
      await cv.logout(c, s, ctxFor(c, clock));
      assert.equal(mock().env.stats.get('commvault.logout'), before + 2);

      // What the server said both times (plain text).
      const s2 = await loginAdmin(c);
      const post = (token: string) =>
        ctxFor(c, clock)
          .http.post(`${c.baseUrl}/Logout`, undefined, { headers: { Authtoken: token } })
          .then((r) => String(r.data));
      assert.equal(await post(s2.token), 'User logged out');
      assert.equal(await post(s2.token), 'Invalid authorization token provided.');
    });

    it('a 500 on logout is a server error', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      mock().setFault('commvault', { fault: { kind: 'status500' }, times: 1 });
      assert.equal((await authError(() => cv.logout!(c, s, ctxFor(c, clock)))).kind, 'server');
    });
  });

  describe('faults at login', () => {
    const cases = [
      { fault: { kind: 'status500' }, kind: 'server', format: 'json' },
      { fault: { kind: 'status500' }, kind: 'server', format: 'xml' },
      { fault: { kind: 'html' }, kind: 'protocol', format: 'json' },
      { fault: { kind: 'html' }, kind: 'protocol', format: 'xml' },
      { fault: { kind: 'notJson' }, kind: 'protocol', format: 'json' },
      { fault: { kind: 'notJson' }, kind: 'protocol', format: 'xml' },
      { fault: { kind: 'drop' }, kind: 'network', format: 'json' },
    ] as const;
    for (const t of cases) {
      it(`${t.fault.kind} (${t.format}) → ${t.kind}`, async () => {
        mock().setFault('commvault', { fault: t.fault, times: 1 });
        const c = conn({ format: t.format });
        const e = await authError(() => loginAdmin(c));
        assert.equal(e.kind, t.kind, e.message);
        if (t.fault.kind === 'html') assert.match(e.message, /HTML page/);
        if (t.fault.kind === 'notJson') assert.match(e.message, t.format === 'json' ? /not JSON/ : /not XML/);
        if (t.fault.kind === 'status500') assert.equal(e.details.status, 500);
      });
    }

    it('a slow server with a small timeoutMs → timeout', async () => {
      mock().setFault('commvault', { fault: { kind: 'delay', ms: 1500 }, times: 1 });
      const c = conn({ timeoutMs: 300 });
      const e = await authError(() => loginAdmin(c));
      assert.equal(e.kind, 'timeout');
    });

    it('a delay within timeoutMs is fine', async () => {
      mock().setFault('commvault', { fault: { kind: 'delay', ms: 200 }, times: 1 });
      const s = await loginAdmin(conn({ timeoutMs: 3000 }));
      assert.match(s.token, /^QSDK /);
    });

    it('a dropped connection during a request → network', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      mock().setFault('commvault', { fault: { kind: 'drop' }, times: 1 });
      assert.equal((await authError(() => whoAmI(c, s))).kind, 'network');
    });
  });

  describe('HTTPS with a self-signed certificate', () => {
    it('is refused by default (tls)', async () => {
      const c = conn({ baseUrl: mock().baseUrl('commvault', true) });
      const e = await authError(() => loginAdmin(c));
      assert.equal(e.kind, 'tls');
    });
    it('works with tls.rejectUnauthorized false', async () => {
      const c = conn({ baseUrl: mock().baseUrl('commvault', true), tls: { rejectUnauthorized: false } });
      const s = await loginAdmin(c);
      assert.equal((await whoAmI(c, s)).response.status, 200);
    });
  });
});

// Commvault / SnapProtect adapter login against the loopback mock (the protocol: docs/protocols.md §2):
// validation, logins and refusals, and the token forms.
import * as assert from 'node:assert/strict';
import { describeError } from '../../src/core/errors';
import { validateConnection } from '../../src/engine/config';
import { ADAPTERS } from '../../src/vendors';
import { commvaultAdapter as cv, deviceIdFor, normalizeToken } from '../../src/vendors/commvault';
import { ctxFor } from './helpers';
import { A, authError, b64, useCommvault } from './commvault-fixtures';

describe('Commvault adapter', () => {
  const { clock, mock, rec, conn, loginAdmin, whoAmI } = useCommvault();

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
      assert.equal(body.deviceId, deviceIdFor(c), 'a deviceId is sent by default, as the SDK does');
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
      assert.match(String(r.response.body), /<App_WhoAmIResp[^>]*>\s*<user [^>]*userName="admin"/);
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

    it('sends the configured deviceId at login and keeps it for renewals', async () => {
      const c = conn({ deviceId: 'laptop-42' });
      const s = await loginAdmin(c);
      assert.equal(rec().lastLoginBody?.deviceId, 'laptop-42');
      assert.equal(s.vendorState.deviceId, 'laptop-42');
    });

    it('derives a stable device id from the machine and the connection id, without showing the host name', () => {
      const a = deviceIdFor({ id: 'prod' }, 'Build-Box.example.com');
      assert.match(a, /^api-auth-explorer-[0-9a-f]{32}$/);
      assert.equal(a, deviceIdFor({ id: 'prod' }, 'build-box.example.com'), 'the host name is compared in lower case');
      assert.notEqual(a, deviceIdFor({ id: 'test' }, 'build-box.example.com'), 'another connection, another id');
      assert.notEqual(a, deviceIdFor({ id: 'prod' }, 'other-box'), 'another machine, another id');
      assert.ok(!/build|box|example/i.test(a), 'the host name itself is not sent');
      assert.equal(deviceIdFor({ id: 'prod' }), deviceIdFor({ id: 'prod' }), 'the same on every call on this machine');
      assert.equal(deviceIdFor({ id: 'prod', deviceId: 'x1' }, 'any'), 'x1');
    });

    it('never writes the password or the token to the trace', async () => {
      const lines: string[] = [];
      const c = conn();
      const s = await cv.login(c, { secret: A.password }, { ...ctxFor(c, clock), trace: (l) => lines.push(String(l)) });
      await cv.request(c, s, { kind: 'rest', method: 'POST', path: '/WhoAmI' }, { ...ctxFor(c, clock), trace: (l) => lines.push(String(l)) });
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
});

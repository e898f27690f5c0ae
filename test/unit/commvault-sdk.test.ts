// Commvault as the official SDK (cvpysdk) sees it (../shared/PROTOCOLS.md §6): the service root without auth, the
// SDK's Login body, a deviceId at Login and the same one at renewal, `{"error":{"errLogMessage"}}` for a refused
// renewal, `DOMAIN\user` usernames and WhoAmI's `{"user":{…}}`. Against the loopback mock, mock and client alike.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { describeError } from '../../src/core/errors';
import { validateConnection } from '../../src/engine/config';
import { ADAPTERS } from '../../src/vendors';
import { commvaultAdapter as cv, deviceIdFor } from '../../src/vendors/commvault';
import { ctxFor } from './helpers';
import { A, authError, b64, useCommvault } from './commvault-fixtures';

type Rec = Record<string, unknown>;

/** One raw request, as another client (the SDK) would send it. */
function raw(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const JSON_HEADERS = { Accept: 'application/json', 'Content-Type': 'application/json' };

describe('Commvault as the official SDK sees it', () => {
  const { clock, mock, rec, conn, loginAdmin, whoAmI } = useCommvault();

  afterEach(() => {
    rec().renewErrList = false;
  });

  it('the Commvault service root answers GET without auth with 200, as cvpysdk checks before logging in', async () => {
    for (const url of [mock().baseUrl('commvault'), `${mock().baseUrl('commvault')}/`]) {
      const r = await raw('GET', url);
      assert.equal(r.status, 200, url);
    }
    // Only the root: any other resource still needs a token.
    assert.equal((await raw('GET', `${mock().baseUrl('commvault')}/Client`)).status, 401);
  });

  it('Commvault takes the SDK login body (mode 4, clientType 30, deviceId) and ties the session to that deviceId', async () => {
    const base = mock().baseUrl('commvault');
    const login = await raw(
      'POST',
      `${base}/Login`,
      JSON_HEADERS,
      JSON.stringify({ mode: 4, username: A.username, password: b64(A.password), deviceId: 'sdk-host.acme.example', clientType: 30 }),
    );
    assert.equal(login.status, 200);
    const token = String((JSON.parse(login.body) as Rec).token);
    assert.match(token, /^QSDK /);

    const other = await raw(
      'POST',
      `${base}/RenewLoginToken`,
      { ...JSON_HEADERS, Authtoken: token },
      JSON.stringify({ sessionId: token, deviceId: 'another-host' }),
    );
    assert.equal(other.status, 200);
    const refused = JSON.parse(other.body) as Rec;
    assert.equal(refused.token, undefined);
    assert.match(String((refused.error as Rec).errLogMessage), /device/i, 'the refusal is {"error":{"errLogMessage":…}}');

    const same = await raw(
      'POST',
      `${base}/RenewLoginToken`,
      { ...JSON_HEADERS, Authtoken: token },
      JSON.stringify({ sessionId: token, deviceId: 'sdk-host.acme.example' }),
    );
    assert.match(String((JSON.parse(same.body) as Rec).token), /^QSDK /);
  });

  for (const format of ['json', 'xml'] as const) {
    it(`Commvault login sends a deviceId by default and the renewal presents the same one (${format})`, async () => {
      const c = conn({ format });
      const s = await loginAdmin(c);
      const sent = rec().lastLoginBody?.deviceId;
      assert.equal(sent, deviceIdFor(c));
      assert.equal(s.vendorState.deviceId, sent);
      const r = await cv.refresh!(c, s, ctxFor(c, clock));
      assert.deepEqual(rec().lastRenewBody, { sessionId: s.token, deviceId: sent });
      assert.equal((await whoAmI(c, r)).response.status, 200, 'the server accepted the renewal: the deviceIds matched');
    });
  }

  for (const shape of ['error', 'errList'] as const) {
    it(`Commvault renewal with another deviceId than the login's fails as expired, with the server's words (${shape})`, async () => {
      rec().renewErrList = shape === 'errList';
      const c = conn();
      const s = await loginAdmin(c);
      const e = await authError(() => cv.refresh!(c, { ...s, vendorState: { ...s.vendorState, deviceId: 'some-other-device' } }, ctxFor(c, clock)));
      assert.equal(e.kind, 'expired');
      assert.equal(e.details.serverMessage, 'Invalid device id for this session');
      assert.equal(e.details.code, 2);
      assert.equal((await whoAmI(c, s)).response.status, 200, 'the refused renewal left the session alive');
    });
  }

  it('Commvault WhoAmI answers {"user":{"userName":…}} in JSON and XML', async () => {
    const c = conn();
    const r = await whoAmI(c, await loginAdmin(c));
    const user = (r.response.body as Rec).user as Rec;
    assert.equal(user.userName, A.username);
    const cx = conn({ format: 'xml' });
    const rx = await whoAmI(cx, await loginAdmin(cx));
    assert.match(String(rx.response.body), /<App_WhoAmIResp[^>]*>\s*<user [^>]*userName="admin"/);
  });

  for (const format of ['json', 'xml'] as const) {
    it(`Commvault DOMAIN\\user logs the domain demo account in without a domain field (${format})`, async () => {
      const d = A.domainUser;
      const c = conn({ username: `${d.domain}\\${d.username}`, format });
      const s = await cv.login(c, { secret: d.password }, ctxFor(c, clock));
      assert.equal(rec().lastLoginBody?.username, 'ACME\\jdoe', 'sent as typed');
      assert.equal(rec().lastLoginBody?.domain ?? '', '');
      assert.equal(s.user?.name, 'jdoe');
      assert.equal(s.user?.detail?.domain, 'ACME');
      const who = await whoAmI(c, s);
      assert.match(typeof who.response.body === 'string' ? who.response.body : JSON.stringify(who.response.body), /jdoe/);
    });
  }

  it('Commvault DOMAIN\\user with a wrong password reads "wrong domain, username or password"', async () => {
    const c = conn({ username: 'ACME\\jdoe' });
    const e = await authError(() => cv.login(c, { secret: 'not-the-password' }, ctxFor(c, clock)));
    assert.equal(e.kind, 'credentials');
    assert.match(
      describeError(e, c),
      /wrong domain, username or password \(server said: "Username or password is incorrect"\); check the username and password\.$/,
    );
  });

  it('Commvault config accepts DOMAIN\\user, refuses it together with "domain" and a stray backslash, without contacting the server', async () => {
    const base = { id: 'cv', vendor: 'commvault', baseUrl: 'https://cv.example/webconsole/api' };
    assert.deepEqual(validateConnection({ ...base, username: 'ACME\\jdoe' }, ADAPTERS), []);
    assert.deepEqual(validateConnection({ ...base, username: 'ACME\\jdoe', domain: 'ACME' }, ADAPTERS), [
      'the domain is given twice: write either "domain" or DOMAIN\\user in "username", not both',
    ]);
    for (const bad of ['ACME\\', '\\jdoe', 'A\\B\\c']) {
      assert.deepEqual(
        validateConnection({ ...base, username: bad }, ADAPTERS),
        ['a domain user is written DOMAIN\\user (one backslash, a name on each side)'],
        bad,
      );
    }
    const before = mock().env.stats.get('commvault.login');
    const c = conn({ username: 'ACME\\jdoe', domain: 'ACME' });
    assert.equal((await authError(() => cv.login(c, { secret: A.domainUser.password }, ctxFor(c, clock)))).kind, 'config');
    assert.equal(mock().env.stats.get('commvault.login'), before);
  });
});

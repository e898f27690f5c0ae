// The auth gateway refuses the vendor's own login, logout and renewal calls (403 `authPath`): through the gateway
// they would end the session it shares (IPCortex logout), fork it (datarhei login, Cove Login), or mint a token for
// the client with our password (Code42's token resource with Basic attached). Nothing reaches the vendor.
import * as assert from 'node:assert/strict';
import type { ConnectionConfig } from '../../src/core/types';
import { authCallOf, routedPath } from '../../src/engine/gatewayGuard';
import { ADAPTERS } from '../../src/vendors';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { datarheiReceived } from '../mock-vendors/datarhei';
import { type Answer, call, useGateway } from './gateway-fixtures';

function assertAuthPathRefusal(a: Answer, what: string): void {
  assert.equal(a.status, 403, `${what}: ${a.text}`);
  assert.equal(a.headers['x-api-auth-error'], 'authPath', what);
  const message = (JSON.parse(a.text) as { error: { message: string } }).error.message;
  assert.match(message, /own login, logout or renewal.*use Log In or Log Out/, what);
}

describe('auth gateway: the vendor login, logout and renewal paths are refused', () => {
  const { mock, secrets, start, stat, datarhei, cove, commvault, code42, ipcortex } = useGateway();

  it('datarhei /api/login and /api/login/refresh, however spelled, are refused before anything reaches the server', async () => {
    const { gw } = await start([datarhei()]);
    const before = datarheiReceived(mock().env).length;
    const spellings = [
      ['POST', '/dr/api/login'],
      ['GET', '/dr/api/login/refresh'],
      ['POST', '/dr/api/login/'],
      ['POST', '/dr/API/Login'],
      ['POST', '/dr/api//login?x=1'],
      ['POST', '/dr/api/%6Cogin'],
      ['POST', '/dr/api/./login'],
      ['POST', '/dr/api/login;x=1'],
    ];
    for (const [method, path] of spellings) assertAuthPathRefusal(await call(gw, method, path, method === 'POST' ? { body: '{}' } : {}), path);
    assert.equal(datarheiReceived(mock().env).length, before, 'no request reached datarhei (not even a login)');
    assert.equal((await call(gw, 'GET', '/dr/api/v3/process')).status, 200, 'other paths go through');
  });

  it('IPCortex: the logout and the login are refused and the shared session stays alive', async () => {
    const conn = ipcortex();
    const { gw, m } = await start([conn]);
    assert.equal((await call(gw, 'POST', '/ipc/rest/user/list', { body: '{}' })).status, 200);
    const token = m.get('ipc')?.token;
    const [logouts, logins] = [stat('ipcortex.logout'), stat('ipcortex.login')];
    assertAuthPathRefusal(await call(gw, 'POST', '/ipc/rest/auth/logout', { body: '{}' }), 'logout');
    assertAuthPathRefusal(await call(gw, 'POST', '/ipc/rest/auth/', { body: '{}' }), 'login');
    assertAuthPathRefusal(await call(gw, 'POST', '/ipc/rest/auth', { body: '{}' }), 'login without the slash');
    assert.equal(stat('ipcortex.logout'), logouts);
    assert.equal(stat('ipcortex.login'), logins);
    const after = await call(gw, 'POST', '/ipc/rest/user/list', { body: '{}' });
    assert.equal((JSON.parse(after.text) as { result?: string }).result, 'success');
    assert.equal(m.get('ipc')?.token, token, 'the same session, not a new login');
  });

  it('Commvault Login, Logout and RenewLoginToken are refused in any case, with or without ;parameters', async () => {
    const { gw } = await start([commvault()]);
    assert.equal((await call(gw, 'GET', '/cv/Client')).status, 200);
    const [logins, logouts, renews] = [stat('commvault.login'), stat('commvault.logout'), stat('commvault.renew')];
    for (const path of ['/cv/Logout', '/cv/logout/', '/cv/Login;jsessionid=1', '/cv/RenewLoginToken?x=1', '/cv/LOGIN']) {
      assertAuthPathRefusal(await call(gw, 'POST', path, { body: '{}' }), path);
    }
    assert.deepEqual([stat('commvault.login'), stat('commvault.logout'), stat('commvault.renew')], [logins, logouts, renews]);
  });

  it('Code42 with Basic attached: the token resource (both forms) is refused, so no token is minted for the client', async () => {
    const basic: ConnectionConfig = { ...code42(), id: 'c42b', auth: 'basic' };
    secrets.set('c42b', ACCOUNTS.code42.password);
    const { gw } = await start([basic]);
    assert.equal((await call(gw, 'GET', '/c42b/api/User/my')).status, 200);
    const logins = stat('code42.login');
    for (const path of ['/c42b/api/v3/auth/jwt?useBody=true', '/c42b/c42api/v3/auth/jwt']) assertAuthPathRefusal(await call(gw, 'GET', path), path);
    assert.equal(stat('code42.login'), logins);
  });

  it('Cove: a JSON-RPC Login or Logout call is refused; other methods go through', async () => {
    const { gw } = await start([cove()]);
    const rpc = (method: string) => JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { partner: 'x', username: 'y', password: 'z' } });
    const logins = stat('cove.Login');
    assertAuthPathRefusal(await call(gw, 'POST', '/cove', { body: rpc('Login') }), 'Login');
    assertAuthPathRefusal(await call(gw, 'POST', '/cove', { body: rpc('logout') }), 'logout');
    assert.equal(stat('cove.Login'), logins, 'no Login reached Cove');
    assert.equal((await call(gw, 'POST', '/cove', { body: rpc('EnumerateColumns') })).status, 200);
  });
});

describe('auth gateway: which calls are the vendor own auth calls (pure)', () => {
  const dr: ConnectionConfig = { id: 'dr', vendor: 'datarhei', baseUrl: 'https://core.example/base/' };
  const rest = (path: string) => ({ kind: 'rest' as const, method: 'POST', path });

  it('paths that only share a prefix or sit elsewhere are not auth calls', () => {
    for (const path of ['/api/login-history', '/api/v3/login', '/api/loginx', '/api/login/refresh/more', '/api']) {
      assert.equal(authCallOf(dr, ADAPTERS.datarhei, rest(path)), null, path);
    }
    assert.equal(authCallOf(dr, ADAPTERS.datarhei, rest('/api/login/refresh')), '/api/login/refresh');
  });

  it('a vendor without authPaths refuses nothing; a path that leaves the connection is left to the engine', () => {
    assert.equal(authCallOf(dr, {}, rest('/api/login')), null);
    assert.equal(authCallOf(dr, ADAPTERS.datarhei, rest('//evil.example/api/login')), null);
  });

  it('routedPath drops dot segments, ;parameters, doubled and trailing slashes, percent-encoding and case', () => {
    assert.equal(routedPath('https://h/Base/./API//%4Cogin;jsessionid=1/'), '/base/api/login');
    assert.equal(routedPath('https://h/'), '/');
  });
});

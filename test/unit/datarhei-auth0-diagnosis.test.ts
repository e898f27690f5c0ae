// datarhei Core adapter, refused Auth0 logins explained: Core answers 400 after 5 s both when Auth0 is off and when
// the token's issuer is no tenant of the server; the adapter reads `auths` from GET /api to say which. A user not in
// the tenant's list (401 "…keyfunc: user not allowed") is said in plain words. Password logins still read right.
import * as assert from 'node:assert/strict';
import { describeError } from '../../src/core/errors';
import { datarheiAdapter as adapter } from '../../src/vendors/datarhei';
import { auth0Domains, auth0RefusalError, authsOf } from '../../src/vendors/datarhei-auth0';
import { createAuth0Tenant, demoTenant } from '../mock-vendors/auth0-tenant';
import { datarheiReceived, mintAuth0Token, setDatarheiAuth0, setDatarheiOptions } from '../mock-vendors/datarhei';
import { ctxFor, rejects } from './helpers';
import { A, clock, useAdapterMock } from './datarhei-fixtures';

describe('datarhei Core adapter: refused Auth0 logins explain themselves', () => {
  const { mock, conn, login } = useAdapterMock();
  const auth0Conn = () => conn({ auth: 'auth0', username: undefined });
  const auth0Login = (token: string) => adapter.login(auth0Conn(), { secret: token }, ctxFor(auth0Conn(), clock));
  afterEach(() => setDatarheiOptions(mock().env, { auth0Tenants: [demoTenant()] }));

  it('datarhei Auth0 login on a server with Auth0 off says "Auth0 is off on this server", read from GET /api', async () => {
    setDatarheiAuth0(mock().env, false);
    const token = mintAuth0Token(clock(), 300);
    const e = await rejects(auth0Login(token), 'config');
    assert.equal(e.message, 'Auth0 is off on this server');
    assert.equal(e.details.status, 400);
    assert.equal(e.details.serverMessage, 'Missing authorization credentials');
    assert.equal(
      describeError(e, auth0Conn()),
      'Connection "datarhei test": Auth0 is off on this server (server said: "Missing authorization credentials"); log in with a username and password (auth "password"), or ask the server\'s administrator to turn Auth0 on (api.auth.auth0).',
    );
    const asked = datarheiReceived(mock().env).pop();
    assert.equal(`${asked?.method} ${asked?.path}`, 'GET /api', 'the server was asked which logins it offers');
    assert.equal(asked?.headers.authorization, undefined, 'without the token');
  });

  it("datarhei Auth0 login with another tenant's token names its issuer and the server's tenants", async () => {
    setDatarheiAuth0(mock().env, true);
    const other = createAuth0Tenant({ domain: 'other.eu.auth0.com', audience: 'https://x', clientId: 'c', users: [A.auth0.subject] });
    const token = other.mint(clock(), 300);
    const e = await rejects(auth0Login(token), 'config');
    assert.equal(e.message, `this token's issuer (https://other.eu.auth0.com/) is not an Auth0 tenant of this server (its tenants: ${A.auth0.domain})`);
    assert.match(
      describeError(e, auth0Conn()),
      /; use a token from one of those tenants, or ask the server's administrator to add this tenant \(api\.auth\.auth0\.tenants\)\.$/,
    );
    assert.ok(!`${e.message} ${e.details.nextStep} ${e.stack}`.includes(token), 'no token in the error');

    const second = createAuth0Tenant({ domain: 'second.example', audience: 'a', clientId: 'b', users: [] });
    setDatarheiOptions(mock().env, { auth0Tenants: [demoTenant(), second] });
    const e2 = await rejects(auth0Login(token), 'config');
    assert.match(e2.message, new RegExp(`\\(its tenants: ${A.auth0.domain.replace(/\./g, '\\.')}, second\\.example\\)$`));
  });

  it('datarhei Auth0 login as a user the tenant does not allow says "this Auth0 user is not allowed on this server"', async () => {
    setDatarheiAuth0(mock().env, true);
    const e = await rejects(auth0Login(mintAuth0Token(clock(), 300, { sub: 'auth0|stranger' })), 'credentials');
    assert.equal(e.message, 'this Auth0 user is not allowed on this server');
    assert.equal(e.details.status, 401);
    assert.equal(e.details.serverMessage, 'Invalid authorization credentials: token is unverifiable: error while executing keyfunc: user not allowed');
    assert.match(
      describeError(e, auth0Conn()),
      /; use a token of a user the server lets in, or ask its administrator to add the user auth0\|stranger to the users of its Auth0 tenant\.$/,
    );
  });

  it('datarhei Auth0 refusal when GET /api cannot be read: the login failure is still reported as config', async () => {
    setDatarheiAuth0(mock().env, false);
    mock().setFault('datarhei', { fault: { kind: 'reply', status: 500, contentType: 'text/plain', body: 'boom', path: '/api' } });
    const e = await rejects(auth0Login(mintAuth0Token(clock(), 300)), 'config');
    assert.match(
      e.message,
      /^the server did not take the Auth0 token as a login \(Auth0 may be off on this server, or the token's issuer not one of its tenants\)$/,
    );
    assert.equal(e.details.serverMessage, 'Missing authorization credentials');
  });

  it('datarhei password login still sends application/json and logs in; a wrong password still reads right', async () => {
    const s = await login();
    assert.equal(s.user?.name, A.username);
    const sent = datarheiReceived(mock().env)
      .filter((r) => r.path === '/api/login')
      .pop();
    assert.equal(sent?.headers['content-type'], 'application/json');
    const e = await rejects(login({}, 'not-the-password'), 'credentials');
    assert.equal(
      describeError(e, conn()),
      'Connection "datarhei test": wrong username or password (server said: "Invalid authorization credentials: invalid username or password"); check the username and password.',
    );
  });

  it('datarhei auths parsing: tenant domains from "auth0 domain=… audience=… clientid=…" entries only', () => {
    assert.deepEqual(auth0Domains(['localjwt']), []);
    assert.deepEqual(auth0Domains(['localjwt', 'auth0 domain=a.example audience=x clientid=y', 'auth0x domain=b', 'auth0 domain=c.example']), [
      'a.example',
      'c.example',
    ]);
    assert.deepEqual(authsOf('{"auths":["localjwt",3]}'), ['localjwt']);
    assert.equal(authsOf('<html>'), null);
    assert.equal(authsOf('{"app":"x"}'), null);
    const seven = Array.from({ length: 7 }, (_, i) => `auth0 domain=t${i}.example`);
    assert.match(auth0RefusalError(seven, 'not-a-jwt', undefined).message, /^the Auth0 token has no issuer \(iss\), .*t4\.example, and 2 more\)$/);
  });
});

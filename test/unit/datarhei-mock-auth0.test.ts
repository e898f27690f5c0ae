// datarhei Core mock, Auth0 logins as a real Core v16.16 checks them (http/jwt/validator.go, golang-jwt v5): RS256
// tokens of a configured tenant checked against its JWKS, the audience not checked, an unknown issuer or Auth0 off
// answered 400 after the delay, a user outside the tenant's list 401 "…keyfunc: user not allowed".
import * as assert from 'node:assert/strict';
import { createPublicKey, createVerify, type JsonWebKey } from 'node:crypto';
import { createAuth0Tenant, demoTenant } from '../mock-vendors/auth0-tenant';
import { mintAuth0Token, setDatarheiAuth0, setDatarheiOptions } from '../mock-vendors/datarhei';
import { A, ABOUT_SHORT_TRANSCRIPT, AUTH0_ENTRY, claimsOf, clock, DELAY_MS, MISSING_CREDENTIALS, raw, useWireMock } from './datarhei-fixtures';

const refused = (detail: string) => `{"code":401,"message":"Unauthorized","details":["Invalid authorization credentials: ${detail}"]}\n`;

describe('datarhei Core mock: Auth0 logins', () => {
  const { mock, delayed, url } = useWireMock();
  const auth0Login = (token: string) => raw(url('/api/login'), 'POST', { Authorization: `Bearer ${token}` });
  beforeEach(() => setDatarheiAuth0(mock().env, true));
  afterEach(() => setDatarheiOptions(mock().env, { auth0Tenants: [demoTenant()] }));

  it('datarhei Auth0 tokens are RS256, signed with a key of the JWKS the mock serves for the tenant, and log in', async () => {
    const token = mintAuth0Token(clock(), 300);
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as { alg: string; kid: string };
    assert.equal(header.alg, 'RS256');
    const jwks = await raw(`${mock().url}/__mock/auth0/${A.auth0.domain}/.well-known/jwks.json`, 'GET');
    assert.equal(jwks.status, 200);
    const keys = (JSON.parse(jwks.body) as { keys: (JsonWebKey & { kid: string; alg: string })[] }).keys;
    const jwk = keys.find((k) => k.kid === header.kid);
    assert.ok(jwk, 'the token names a key of the JWKS');
    assert.equal(jwk.alg, 'RS256');
    assert.equal(jwk.d, undefined, 'no private part');
    const [h, p, s] = token.split('.');
    assert.ok(
      createVerify('sha256')
        .update(`${h}.${p}`)
        .verify(createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url')),
    );
    assert.equal(claimsOf(token).iss, A.auth0.issuer);

    const before = delayed();
    const r = await auth0Login(token);
    assert.equal(r.status, 200);
    assert.equal(delayed(), before, 'a good login is not held back');
    assert.equal(claimsOf((JSON.parse(r.body) as { access_token: string }).access_token).sub, A.auth0.subject);
  });

  it('datarhei Auth0 does not check the audience', async () => {
    const r = await auth0Login(mintAuth0Token(clock(), 300, { aud: 'https://some-other-api' }));
    assert.equal(r.status, 200);
  });

  it('datarhei Auth0: a token from an unknown issuer is refused with 400 after 5 s', async () => {
    const before = delayed();
    const r = await auth0Login(mintAuth0Token(clock(), 300, { iss: 'https://evil.example/' }));
    assert.equal(r.status, 400);
    assert.equal(r.body, MISSING_CREDENTIALS);
    assert.equal(delayed(), before + 1, 'held back for the delay');
    assert.ok(r.ms >= DELAY_MS - 10, `answered after ${r.ms} ms`);
  });

  it('datarhei Auth0 off: a tenant token is refused with 400 after 5 s and GET /api lists only localjwt', async () => {
    setDatarheiAuth0(mock().env, false);
    const before = delayed();
    const r = await auth0Login(mintAuth0Token(clock(), 300));
    assert.equal(r.status, 400);
    assert.equal(r.body, MISSING_CREDENTIALS);
    assert.equal(delayed(), before + 1, 'held back for the delay');
    assert.equal((await raw(url('/api'), 'GET')).body, ABOUT_SHORT_TRANSCRIPT);
  });

  it('datarhei Auth0: a user not in the tenant\'s list gets 401 "…keyfunc: user not allowed" after 5 s', async () => {
    const before = delayed();
    const r = await auth0Login(mintAuth0Token(clock(), 300, { sub: 'auth0|stranger' }));
    assert.equal(r.status, 401);
    assert.equal(r.body, refused('token is unverifiable: error while executing keyfunc: user not allowed'));
    assert.equal(delayed(), before + 1, 'held back for the delay');
  });

  it("datarhei Auth0: another key, an expired token or one not yet valid → 401 after 5 s in golang-jwt's words", async () => {
    const impostor = createAuth0Tenant({ domain: A.auth0.domain, audience: A.auth0.audience, clientId: A.auth0.clientId, users: [A.auth0.subject] });
    const cases: [string, string][] = [
      [impostor.mint(clock(), 300, {}, { kid: demoTenant().kid }), 'token signature is invalid: crypto/rsa: verification error'],
      [impostor.mint(clock(), 300), 'token is unverifiable: error while executing keyfunc: no cert for kid found: unknown kid'],
      [mintAuth0Token(clock() - 600_000, 300), 'token has invalid claims: token is expired'],
      [mintAuth0Token(clock(), 300, { nbf: clock() / 1000 + 120 }), 'token has invalid claims: token is not valid yet'],
    ];
    for (const [token, detail] of cases) {
      const before = delayed();
      const r = await auth0Login(token);
      assert.equal(r.status, 401, detail);
      assert.equal(r.body, refused(detail));
      assert.equal(delayed(), before + 1, 'held back for the delay');
    }
  });

  it('datarhei GET /api lists each configured tenant as "auth0 domain=… audience=… clientid=…"; each tenant\'s tokens log in', async () => {
    const about = JSON.parse((await raw(url('/api'), 'GET')).body) as { auths: string[] };
    assert.deepEqual(about.auths, ['localjwt', AUTH0_ENTRY]);
    assert.equal(AUTH0_ENTRY, 'auth0 domain=demo-tenant.eu.auth0.com audience=https://datarhei-core clientid=datarhei-mock-client');

    const second = createAuth0Tenant({ domain: 'second.example.auth0.com', audience: 'https://core-2', clientId: 'client-2', users: ['auth0|second-user'] });
    setDatarheiOptions(mock().env, { auth0Tenants: [demoTenant(), second] });
    const both = JSON.parse((await raw(url('/api'), 'GET')).body) as { auths: string[] };
    assert.deepEqual(both.auths, ['localjwt', AUTH0_ENTRY, 'auth0 domain=second.example.auth0.com audience=https://core-2 clientid=client-2']);
    const r = await auth0Login(second.mint(clock(), 300));
    assert.equal(r.status, 200);
    assert.equal(claimsOf((JSON.parse(r.body) as { access_token: string }).access_token).sub, 'auth0|second-user');
    assert.equal((await raw(`${mock().url}/__mock/auth0/second.example.auth0.com/.well-known/jwks.json`, 'GET')).status, 200);
    assert.equal((await raw(`${mock().url}/__mock/auth0/unknown.example/.well-known/jwks.json`, 'GET')).status, 404);
  });
});

// A stand-in Auth0 tenant for the datarhei mock: an RSA key pair made with node:crypto, its JWKS (what a real Core
// fetches from `https://<domain>/.well-known/jwks.json`; the mock serves it at
// `/__mock/auth0/<domain>/.well-known/jwks.json`) and RS256 access tokens shaped like Auth0's.
//
// `demoTenant()` is the tenant of ACCOUNTS.datarhei.auth0, made once per process when the first datarhei mock
// starts (its key lives only in this process: tests and the demo mint its tokens with `mintAuth0Token`). Tests that
// need another tenant make one with `createAuth0Tenant` and list it with `setDatarheiOptions(env, { auth0Tenants })`.
import { createPublicKey, createSign, createVerify, generateKeyPairSync, type JsonWebKey, type KeyObject, randomBytes } from 'node:crypto';
import { ACCOUNTS } from './accounts';

export interface Auth0TenantConfig {
  /** The tenant's host, e.g. `demo-tenant.eu.auth0.com`; its tokens' `iss` is `https://<domain>/`. */
  domain: string;
  audience: string;
  clientId: string;
  /** The `sub` values Core lets in (its `users` setting of the tenant). */
  users: string[];
}

export interface Auth0Tenant extends Auth0TenantConfig {
  /** `https://<domain>/`, as Core builds it from the domain. */
  issuer: string;
  kid: string;
  /** The JSON Web Key Set of the tenant (public key only). */
  jwks(): { keys: JsonWebKey[] };
  /** An RS256 access token of this tenant; `claims` override the usual ones (e.g. another `sub`, no `exp`). */
  mint(nowMs: number, lifetimeSec: number, claims?: Record<string, unknown>, header?: Record<string, unknown>): string;
}

const b64url = (s: string) => Buffer.from(s).toString('base64url');

export function createAuth0Tenant(config: Auth0TenantConfig): Auth0Tenant {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(12).toString('base64url');
  const issuer = `https://${config.domain}/`;
  return {
    ...config,
    users: [...config.users],
    issuer,
    kid,
    jwks: () => ({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] }),
    mint: (nowMs, lifetimeSec, claims = {}, header = {}) => {
      const iat = Math.floor(nowMs / 1000);
      const body = {
        iss: issuer,
        sub: config.users[0] ?? 'auth0|nobody',
        aud: [config.audience, `${issuer}userinfo`],
        iat,
        exp: iat + lifetimeSec,
        azp: config.clientId,
        scope: 'openid profile',
        ...claims,
      };
      const signingInput = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid, ...header }))}.${b64url(JSON.stringify(body))}`;
      return `${signingInput}.${createSign('sha256').update(signingInput).sign(privateKey).toString('base64url')}`;
    },
  };
}

let demo: Auth0Tenant | undefined;

/** The tenant of ACCOUNTS.datarhei.auth0 (one key pair per process, made on first use). */
export function demoTenant(): Auth0Tenant {
  const a = ACCOUNTS.datarhei.auth0;
  demo ??= createAuth0Tenant({ domain: a.domain, audience: a.audience, clientId: a.clientId, users: [a.subject] });
  return demo;
}

/** A token's header and claims without any check, or null when it is not three base64url JSON parts. */
export function parseUnverified(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    return isObj(header) && isObj(claims) ? { header, claims } : null;
  } catch {
    return null;
  }
}

/**
 * Core's Auth0 check of a token whose `iss` is this tenant's (http/jwt/validator.go with golang-jwt v5), in its
 * order: the key function (the user list first, then `kid` and `alg` against the JWKS), the signature, then the time
 * claims (`exp` only when present, `nbf`). The audience is NOT checked. Errors are golang-jwt's words.
 */
export function verifyTenantToken(tenant: Auth0Tenant, token: string, nowMs: number): { sub: string } | { error: string } {
  const parsed = parseUnverified(token);
  if (!parsed) return { error: 'token is malformed' };
  const { header, claims } = parsed;
  const keyfunc = (why: string) => ({ error: `token is unverifiable: error while executing keyfunc: ${why}` });
  const sub = claims.sub;
  if (typeof sub !== 'string' || !tenant.users.includes(sub)) return keyfunc('user not allowed');
  if (typeof header.kid !== 'string') return keyfunc('kid not found');
  const jwk = tenant.jwks().keys.find((k) => (k as { kid?: unknown }).kid === header.kid);
  if (!jwk) return keyfunc('no cert for kid found: unknown kid');
  if ((jwk as { alg?: unknown }).alg !== header.alg) return keyfunc("signing method doesn't match");
  const key: KeyObject = createPublicKey({ key: jwk, format: 'jwk' });
  const [h, p, s] = token.split('.');
  if (!createVerify('sha256').update(`${h}.${p}`).verify(key, Buffer.from(s, 'base64url'))) {
    return { error: 'token signature is invalid: crypto/rsa: verification error' };
  }
  const now = nowMs / 1000;
  if (claims.exp !== undefined && !(typeof claims.exp === 'number' && now < claims.exp)) return { error: 'token has invalid claims: token is expired' };
  if (claims.nbf !== undefined && !(typeof claims.nbf === 'number' && now >= claims.nbf)) return { error: 'token has invalid claims: token is not valid yet' };
  return { sub };
}

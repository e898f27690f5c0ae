// Why datarhei Core refused an Auth0 login. Core answers 400 "Missing authorization credentials" after 5 s both when
// Auth0 is off and when the token's issuer is none of its tenants (no validator claims the token), so the answer
// alone cannot tell them apart; `GET {base}/api` can: without a token it still lists the server's logins in `auths`,
// one "auth0 domain=<host> audience=<aud> clientid=<id>" per tenant (Core's validator.go; the Go client looks for
// the prefix "auth0 "). A tenant's tokens have the issuer `https://<domain>/`.
import { AuthError, truncate } from '../core/errors';
import { type AdapterContext, joinUrl, send } from '../core/http';
import { decodeJwt } from '../core/jwt';
import { isRecord } from '../core/util';

/** At most this many tenants are named in a message. */
const MAX_TENANTS_NAMED = 5;

/** The Auth0 tenant domains in an `auths` list ([] when Auth0 is off). */
export function auth0Domains(auths: readonly string[]): string[] {
  return auths
    .filter((a) => a.startsWith('auth0 '))
    .map((a) => /(?:^|\s)domain=(\S*)/.exec(a)?.[1] ?? '')
    .filter((d) => d.length > 0);
}

/** `auths` of a `GET /api` answer, or null when the answer has none (then nothing can be said). */
export function authsOf(text: string): string[] | null {
  try {
    const v: unknown = JSON.parse(text);
    if (isRecord(v) && Array.isArray(v.auths)) return v.auths.filter((a): a is string => typeof a === 'string');
  } catch {
    // not JSON: no list
  }
  return null;
}

/** The `iss` of a JWT, when it has a string one. */
export function issuerOf(token: string): string | undefined {
  const iss = decodeJwt(token)?.claims.iss;
  return typeof iss === 'string' && iss ? iss : undefined;
}

function namedList(domains: string[]): string {
  const shown = domains.slice(0, MAX_TENANTS_NAMED).map((d) => truncate(d, 100));
  return domains.length > shown.length ? `${shown.join(', ')}, and ${domains.length - shown.length} more` : shown.join(', ');
}

/**
 * The error for a 400 "no credentials" answer to an Auth0 login, from the server's `auths` (null: not known) and the
 * token's issuer. Always `config`: a setting (the server's, or which token or login this connection uses) must change.
 */
export function auth0RefusalError(auths: readonly string[] | null, token: string, serverMessage: string | undefined): AuthError {
  const details = { status: 400, serverMessage };
  if (auths === null) {
    return new AuthError(
      'config',
      "the server did not take the Auth0 token as a login (Auth0 may be off on this server, or the token's issuer not one of its tenants)",
      {
        ...details,
        nextStep: "check that Auth0 is on in the server's settings and that the token comes from one of its tenants",
      },
    );
  }
  const domains = auth0Domains(auths);
  if (!domains.length) {
    return new AuthError('config', 'Auth0 is off on this server', {
      ...details,
      nextStep: 'log in with a username and password (auth "password"), or ask the server\'s administrator to turn Auth0 on (api.auth.auth0)',
    });
  }
  const iss = issuerOf(token);
  const tenants = `its tenants: ${namedList(domains)}`;
  const nextStep = "use a token from one of those tenants, or ask the server's administrator to add this tenant (api.auth.auth0.tenants)";
  if (!iss) {
    return new AuthError('config', `the Auth0 token has no issuer (iss), so no Auth0 tenant of this server takes it (${tenants})`, { ...details, nextStep });
  }
  return new AuthError('config', `this token's issuer (${truncate(iss, 150)}) is not an Auth0 tenant of this server (${tenants})`, { ...details, nextStep });
}

/** Asks `GET {base}/api` (no token needed) for the server's logins; null when that fails in any way. */
export async function fetchAuths(baseUrl: string, ctx: AdapterContext): Promise<string[] | null> {
  try {
    const res = await send(ctx, { method: 'GET', url: joinUrl(baseUrl, '/api'), headers: { Accept: 'application/json' } });
    return res.status === 200 ? authsOf(res.text) : null;
  } catch {
    // The diagnosis is a courtesy: the login's own failure is what gets reported.
    return null;
  }
}

/** A 401 to an Auth0 login whose server words end in Core's "user not allowed" (the tenant's user list). */
export function userNotAllowedError(token: string, serverMessage: string | undefined): AuthError | null {
  if (!serverMessage || !/keyfunc: user not allowed\b/.test(serverMessage)) return null;
  const sub = decodeJwt(token)?.claims.sub;
  const who = typeof sub === 'string' && sub ? ` ${truncate(sub, 100)}` : '';
  return new AuthError('credentials', 'this Auth0 user is not allowed on this server', {
    status: 401,
    serverMessage,
    nextStep: `use a token of a user the server lets in, or ask its administrator to add the user${who} to the users of its Auth0 tenant`,
  });
}

// One origin for credentials: a request path typed by a user, remembered, or taken from a server's answer is joined to
// the connection's baseUrl and must stay on that server, under that base path. Whatever a WHATWG URL parser (axios,
// Node, a browser) would resolve to another host is refused here, before any credential is put on a request.
import { AuthError, truncate } from './errors';
import { outside, type Wording, wording } from './wording';
import { BoundedMemo } from './memo';

/** The way forward for a refused path (the kind's "fix the connection settings" does not fit a request). */
const NEXT_STEP = 'give a path on this server, or add a connection for the other server';

/** A path as shown in a message: cut, control characters visible, a password in it masked. */
export function shownPath(path: string): string {
  // The user info of `scheme://user:pass@host` or `//user:pass@host` (up to its last `@`): a user name alone may be a token.
  const masked = path.replace(/^([^/\\?#]*[/\\]{2})([^/\\?#]*)@/, (_m, pre: string, info: string) =>
    info.includes(':') ? `${pre}${info.slice(0, info.indexOf(':'))}:***@` : `${pre}***@`,
  );
  return Array.from(truncate(masked, 80), (c) => (isControl(c) ? (CONTROL_NAMES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : c)).join('');
}

const CONTROL_NAMES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A C0 control character or DEL. */
function isControl(c: string): boolean {
  return c < ' ' || c === '\x7f';
}

/** Parsed base URLs: every request checks its target against the base twice, and a client uses few bases. */
const parsedBases = new BoundedMemo<URL>(64);

/**
 * The connection's baseUrl parsed; an invalid one is a config error (config validation normally catches it first).
 * The URL returned is shared (cached): callers only read it.
 */
function parseBase(base: string): URL {
  return parsedBases.get(base, () => {
    let u: URL | undefined;
    try {
      u = new URL(base.trim());
    } catch {
      // reported below
    }
    if (u?.protocol === 'http:' || u?.protocol === 'https:') return u;
    throw new AuthError('config', '"baseUrl" is not a valid http:// or https:// URL');
  });
}

/** The base path without its trailing slashes ('' for the server root). */
function basePathOf(b: URL): string {
  return b.pathname.replace(/\/+$/, '');
}

function refuse(path: string, why: string | Wording, b: URL): AuthError {
  return new AuthError(
    'config',
    wording`the path "${outside(shownPath(path))}" ${why}; only paths on ${b.origin} are sent with this connection's credentials`,
    {
      nextStep: NEXT_STEP,
    },
  );
}

/** The scheme and origin of `u` must be the base's. */
function checkServer(b: URL, u: URL, path: string): void {
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw refuse(path, `is a ${u.protocol} link, not a path on this server`, b);
  if (u.origin !== b.origin) throw refuse(path, wording`points to another server (${outside(u.origin)})`, b);
}

/**
 * Checks that `url` (already resolved) is on the origin of `base`, under its path, without a user name or password.
 * Throws AuthError `config` naming `path` (what the user gave) otherwise.
 */
export function assertOnOrigin(base: string, url: string, path: string = url): URL {
  const b = parseBase(base);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AuthError('config', wording`the path "${outside(shownPath(path))}" is not a valid URL`, { nextStep: NEXT_STEP });
  }
  checkServer(b, u, path);
  if (u.username || u.password) throw refuse(path, 'carries a user name or password', b);
  const basePath = basePathOf(b);
  if (u.pathname !== basePath && !u.pathname.startsWith(`${basePath}/`)) {
    throw new AuthError(
      'config',
      wording`the path "${outside(shownPath(path))}" leads out of the connection's base path (${basePath}); only paths under ${b.origin}${basePath}/ are sent with this connection's credentials`,
      { nextStep: "give a path under the base path, or change the connection's baseUrl" },
    );
  }
  return u;
}

/** An absolute URL (`scheme:`) or a scheme-relative one (`//host`, `\\host`), as a WHATWG parser reads the start. */
function isAbsoluteForm(path: string): boolean {
  // resolveOnOrigin has refused white space and control characters, which a WHATWG parser would skip here.
  return /^[a-z][a-z0-9+.-]*:/i.test(path) || /^[/\\]{2}/.test(path);
}

/**
 * The URL of `path` on the connection `base`: a relative path (with or without its leading `/`) goes under the base
 * path (`https://h/api` + `/x` → `https://h/api/x`); an absolute URL is taken only when it is on the same server,
 * under the base path. Refused (AuthError `config`), before anything is sent:
 * - anything a WHATWG parser resolves to another origin: `https://other/x`, `//other/x`, `\\other`, `/\other`,
 *   `http:other` against an https base, whitespace or tab/newline tricks (`\t//other`, `/\n/other`), userinfo tricks
 *   (`https://base@other`), numeric hosts (`//2130706434`), other schemes (`file:`, `javascript:`, `mailto:`);
 * - a user name or password in the path's URL;
 * - a path that climbs above the base path (`..`, `%2e%2e`, `..\`): the credentials are for the API under baseUrl,
 *   and a gateway may host other applications beside it on the same origin;
 * - spaces and control characters (they must be percent-encoded).
 * Returns the WHATWG serialisation, which is what axios and Node send (curl is given the same text).
 */
export function resolveOnOrigin(base: string, path: string): string {
  // Both free of NUL when they resolve (a NUL in the base fails to parse, in the path is refused): a safe separator.
  return resolvedPaths.get(`${base}\0${path}`, () => resolveFresh(base, path));
}

/**
 * What {@link resolveOnOrigin} gave for a base and path: the gateway and Send Request repeat the same few paths, and
 * two WHATWG parses with their checks cost more than the rest of our request path. Only results are kept (a refusal
 * is worked out again each time); at most 512 entries of at most 2 KB each.
 */
const resolvedPaths = new BoundedMemo<string>(512, 2048);

function resolveFresh(base: string, path: string): string {
  const b = parseBase(base);
  // The same test as isControl() per character, without an array of the path's characters on every request.
  // eslint-disable-next-line no-control-regex
  if (/\s/.test(path) || /[\x00-\x1f\x7f]/.test(path)) {
    throw new AuthError('config', wording`the path "${outside(shownPath(path))}" holds spaces or control characters`, {
      nextStep: 'percent-encode them (%20 for a space)',
    });
  }
  let resolved: URL;
  try {
    // How a browser-like parser reads the path against the base: if that leaves the origin, the path is hostile
    // (or a mistake) even though our own join below would keep it on the server.
    resolved = new URL(path, b);
  } catch {
    throw new AuthError('config', wording`the path "${outside(shownPath(path))}" is not a valid URL path`, { nextStep: NEXT_STEP });
  }
  checkServer(b, resolved, path);
  if (isAbsoluteForm(path)) return assertOnOrigin(b.href, resolved.href, path).href;
  const joined = `${b.origin}${basePathOf(b)}/${path.replace(/^[/\\]+/, '')}`;
  return assertOnOrigin(b.href, joined, path).href;
}

/**
 * A URL as it may be shown: a password replaced by `***` (`https://user:***@host`), and a user name without a password
 * masked too (it may be a token: `https://TOKEN@host`). Text that is not a URL is returned as is when it has no `@`,
 * else masked whole after its scheme, since where its password ends cannot be told.
 */
export function maskUrlCredentials(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.includes('@') ? url.replace(/^([a-z][a-z0-9+.-]*:\/*)?.*$/is, '$1***') : url;
  }
  if (!u.username && !u.password) return url;
  const who = u.password ? `${u.username}:***` : '***';
  const tail = u.pathname === '/' && !u.search && !u.hash ? '' : `${u.pathname}${u.search}${u.hash}`;
  return `${u.protocol}//${who}@${u.host}${tail}`;
}

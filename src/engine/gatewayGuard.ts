// The auth gateway's gate: which requests may reach a connection's session at all. Pure functions over what a
// request says (Host, Origin, the key, the request target), so that each refusal is a unit of its own and the server
// in gateway.ts only applies them in order.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { VendorAdapter } from '../core/adapter';
import { joinUrl } from '../core/http';
import { BoundedMemo } from '../core/memo';
import { shownPath } from '../core/origin';
import type { ConnectionConfig, ExploreRequest } from '../core/types';

/** The header that carries the gateway's key (dedicated, so that it never clashes with the vendor's Authorization). */
export const KEY_HEADER = 'x-api-auth-key';
/**
 * The other way to give the key, for tools that cannot set a header: the first path segment is `~` + key
 * (`http://127.0.0.1:PORT/~KEY/<id>/…`). `~` cannot start a connection id (letters, digits, `.`, `_`, `-`).
 */
export const KEY_SEGMENT_PREFIX = '~';

/** A fresh key: 32 random bytes, base64url (43 characters). Kept in memory only. */
export function newGatewayKey(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares a presented key with the gateway's in constant time. */
export function keyMatches(presented: string | undefined, key: string): boolean {
  if (!presented) return false;
  // The presented bytes, cut or zero-padded to the key's length, compared in constant time; the lengths are compared
  // last. The time depends on the shorter length only, so at most the key's length (always 43 for ours) can show.
  const k = Buffer.from(key);
  const p = Buffer.alloc(k.length);
  p.write(presented);
  return timingSafeEqual(p, k) && Buffer.byteLength(presented) === k.length;
}

/** One header's value as a single string (Node gives repeated headers as arrays). */
export function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * Whether `Host` names this gateway: exactly `127.0.0.1:PORT` or `localhost:PORT` (any case). Anything else is a
 * name a web page made resolve to 127.0.0.1 (DNS rebinding) or a confused client; it is refused.
 */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.trim().toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

/**
 * Whether a request may come from where it says: no browser `Origin` (tools and scripts send none), or one the user
 * allowed. Browsers that send no Origin on a cross-site request still send `Sec-Fetch-Site`; such a request is
 * refused too. Returns the refusal's reason, or null.
 */
export function originRefusal(origin: string | undefined, secFetchSite: string | undefined, allowed: readonly string[]): string | null {
  if (origin !== undefined) return allowed.includes(origin) ? null : 'browser origin not allowed';
  if (secFetchSite && secFetchSite !== 'none' && secFetchSite !== 'same-origin') return 'cross-site browser request';
  return null;
}

/** What the request target says: the key given in the path (if any), the connection id and the path under it. */
export interface GatewayTarget {
  keyInPath?: string;
  connectionId: string;
  /** The rest of the target after the id, with its query: `/api/v3/process?x=1`, or '' for the id alone. */
  path: string;
}

/**
 * Splits an origin-form request target (`/[~KEY/]ID[/rest]`). Returns null for anything else: an absolute-form
 * target (`http://other/x`, a proxy request), `*`, or one without an id. The rest is kept as sent (not normalised):
 * the connection's origin check decides about `..`, `//host` and the like.
 */
export function parseTarget(url: string | undefined): GatewayTarget | null {
  if (!url || !url.startsWith('/') || url.startsWith('//')) return null;
  let rest = url.slice(1);
  let keyInPath: string | undefined;
  if (rest.startsWith(KEY_SEGMENT_PREFIX)) {
    const end = rest.indexOf('/');
    if (end < 0) return null;
    keyInPath = rest.slice(KEY_SEGMENT_PREFIX.length, end);
    rest = rest.slice(end + 1);
  }
  const cut = rest.search(/[/?]/);
  const connectionId = cut < 0 ? rest : rest.slice(0, cut);
  if (!connectionId) return null;
  let path = cut < 0 ? '' : rest.slice(cut);
  if (path.startsWith('?')) path = `/${path}`;
  return { ...(keyInPath === undefined ? {} : { keyInPath }), connectionId, path };
}

/**
 * The target as a log line shows it: a key in the path replaced, query values dropped (only the names stay: they
 * may carry tokens), cut and control characters made visible ({@link shownPath}).
 */
export function loggedTarget(url: string | undefined): string {
  if (!url) return '-';
  let t = url.replace(/^\/~[^/]*/, '/~***');
  const q = t.indexOf('?');
  if (q >= 0) {
    const names = t
      .slice(q + 1)
      .split('&')
      .filter(Boolean)
      .map((p) => `${p.split('=')[0]}=…`);
    t = `${t.slice(0, q)}?${names.join('&')}`;
  }
  return shownPath(t);
}

/**
 * A path as a server may route it, for comparing with the vendor's own auth paths: resolved against the base (dot
 * segments gone), each segment without `;parameters` (Tomcat, under Commvault's web console, routes `/Login;x=1` to
 * `/Login`) and percent-decoded, empty segments (doubled and trailing slashes) dropped, in lower case (Commvault's
 * routes ignore case; elsewhere a false match only refuses a path that the server would not route anyway).
 */
export function routedPath(url: string): string {
  const segments = new URL(url).pathname.split('/').map((seg) => {
    const bare = seg.split(';')[0];
    try {
      return decodeURIComponent(bare);
    } catch {
      return bare;
    }
  });
  return `/${segments.filter(Boolean).join('/').toLowerCase()}`;
}

/**
 * The vendor's own login, logout or renewal call that `req` would make (as its adapter names it), or null. Such a
 * call through the gateway would end the session it shares (IPCortex logout) or fork it (datarhei login, a Cove
 * Login), or hand the client a token minted with our password (Code42's token resource with Basic attached).
 * REST: the path compared after {@link routedPath}, any method, query ignored; JSON-RPC: the method name, any case.
 */
export function authCallOf(conn: ConnectionConfig, adapter: Pick<VendorAdapter, 'authPaths'>, req: ExploreRequest): string | null {
  const own = adapter.authPaths?.(conn) ?? [];
  if (req.kind === 'rpc') return own.find((m) => m.toLowerCase() === req.method.trim().toLowerCase()) ?? null;
  let target: string;
  try {
    target = routedOnce(joinUrl(conn.baseUrl, req.path));
  } catch {
    return null; // a path that leaves the connection: the engine refuses it before anything is sent
  }
  return ownRouted(conn.baseUrl, own).get(target) ?? null;
}

/** {@link routedPath} of a URL, remembered (the same few paths repeat on every request; at most 512 of 2 KB). */
const routedUrls = new BoundedMemo<string>(512, 2048);
const routedOnce = (url: string): string => routedUrls.get(url, () => routedPath(url));

/** The vendor's own paths as {@link routedPath} gives them (routed → as the adapter names it), made once per base. */
const routedOwn = new BoundedMemo<Map<string, string>>(64);
function ownRouted(baseUrl: string, own: readonly string[]): Map<string, string> {
  return routedOwn.get(`${baseUrl}\0${own.join('\0')}`, () => {
    const known = new Map<string, string>();
    for (const p of own) {
      try {
        const r = routedPath(joinUrl(baseUrl, p));
        if (!known.has(r)) known.set(r, p);
      } catch {
        // an own path that cannot be joined cannot be asked for either
      }
    }
    return known;
  });
}

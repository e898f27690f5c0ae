// Which HTTP proxy a request of the CLI goes through, and what to say when a proxy refuses or cannot be reached.
// The extension never sets one: there VS Code's own network layer applies `http.proxy`.
//
// Choice, first that applies: `--proxy URL` (`--proxy none`: direct), the connection's `proxy` field (`false`:
// direct), then the environment as curl and most tools read it: https_proxy / HTTPS_PROXY for an https:// server,
// http_proxy / HTTP_PROXY for an http:// one, else all_proxy / ALL_PROXY, unless no_proxy / NO_PROXY names the
// server's host. NO_PROXY governs only the environment's proxies: a proxy named on purpose (flag, connection) is used.
import { AuthError, truncate } from './errors';
import { safeOrigin } from './transportErrors';
import type { ConnectionConfig } from './types';
import { wording } from './wording';

/** A proxy as axios takes it (`proxy` config): host without brackets, credentials percent-decoded. */
export interface ProxySetting {
  protocol: 'http';
  host: string;
  port: number;
  auth?: { username: string; password: string };
}

/** The `--proxy` value that means "no proxy at all", whatever the connection and the environment say. */
export const NO_PROXY_FLAG = 'none';

/** Where the way forward points when a proxy is wrong (CLI wording: the extension never uses a proxy of its own). */
export const PROXY_SOURCES = `HTTPS_PROXY, the connection's "proxy" or --proxy`;

export interface ProxyChoice {
  /** `--proxy` as given on the command line. */
  flag?: string;
  env?: NodeJS.ProcessEnv;
}

/** The proxy for a request to `targetUrl` of this connection, or false for a direct connection. */
export function resolveProxy(conn: Pick<ConnectionConfig, 'proxy'>, targetUrl: string, { flag, env = process.env }: ProxyChoice = {}): ProxySetting | false {
  if (flag !== undefined) return flag.trim().toLowerCase() === NO_PROXY_FLAG ? false : parseProxyUrl(flag);
  if (conn.proxy === false) return false;
  if (typeof conn.proxy === 'string' && conn.proxy.trim()) return parseProxyUrl(conn.proxy);
  if (conn.proxy !== undefined && typeof conn.proxy !== 'string') {
    throw new AuthError('config', `"proxy" must be a proxy URL or false`);
  }
  let target: URL;
  try {
    target = new URL(targetUrl);
  } catch {
    return false; // the request itself reports the bad URL
  }
  const scheme = target.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return false;
  const fromEnv = envValue(env, `${scheme}_proxy`) || envValue(env, 'all_proxy');
  if (!fromEnv || bypassesProxy(target, envValue(env, 'no_proxy'))) return false;
  return parseProxyUrl(fromEnv);
}

/** An environment variable, lower-case spelling first (as curl and proxy-from-env read them); '' when unset. */
function envValue(env: NodeJS.ProcessEnv, name: string): string {
  return (env[name.toLowerCase()] || env[name.toUpperCase()] || '').trim();
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };

/**
 * Whether NO_PROXY exempts this server, as curl reads it: `*` exempts all; each entry (comma or space separated) is a
 * host name, an IP address or `[IPv6]`, optionally with `:port`; a name matches itself and its sub-hosts
 * (`example.com` and `.example.com` both exempt `api.example.com`; `*.` is read as `.`). Case-insensitive.
 * (proxy-from-env, which axios uses, matches a name without a leading dot exactly; curl's reading is what users expect
 * from their shell, and this function is handed its environment, which proxy-from-env cannot be.)
 */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const list = noProxy.toLowerCase().trim();
  if (!list) return false;
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = Number(target.port) || DEFAULT_PORTS[target.protocol.replace(/:$/, '')] || 0;
  return list.split(/[,\s]+/).some((entry) => {
    if (entry === '*') return true;
    const { name, entryPort } = splitEntry(entry);
    if (!name || (entryPort !== undefined && entryPort !== port)) return false;
    const domain = name.replace(/^\*?\.?/, '');
    return host === domain || host.endsWith(`.${domain}`);
  });
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address (no port then). */
function splitEntry(entry: string): { name: string; entryPort?: number } {
  const m = /^\[([^\]]*)\](?::(\d+))?$/.exec(entry) ?? (entry.split(':').length > 2 ? null : /^([^:]*)(?::(\d+))?$/.exec(entry));
  if (!m) return { name: entry };
  return { name: m[1], ...(m[2] ? { entryPort: Number(m[2]) } : {}) };
}

/**
 * A proxy URL as users write it (`http://user:p%40ss@proxy.corp:3128`, or without scheme: `proxy.corp:3128` means
 * http://). Credentials are percent-decoded here: axios would send a URL's password still encoded.
 */
export function parseProxyUrl(text: string): ProxySetting {
  const raw = text.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL | undefined;
  try {
    url = new URL(withScheme);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'http:' || !url.hostname || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new AuthError('config', `the proxy "${truncate(maskProxyText(raw), 120)}" is not a valid http:// URL`, {
      nextStep: `write it as http://[user:password@]host:port (${PROXY_SOURCES})`,
    });
  }
  const setting: ProxySetting = { protocol: 'http', host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || 80 };
  if (url.username || url.password) setting.auth = { username: decode(url.username), password: decode(url.password) };
  return setting;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A proxy URL as typed, with whatever precedes its last `@` replaced by `***` (for text that does not parse). */
export function maskProxyText(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/]*@/i, (_m, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

/** `http://HOST:PORT` of a proxy, without credentials: what messages name. */
export function proxyOrigin(p: ProxySetting): string {
  return `${p.protocol}://${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port}`;
}

/** `http://user:***@HOST:PORT`: the proxy for listings, the password never shown. */
export function proxyLabel(p: ProxySetting): string {
  const origin = proxyOrigin(p);
  return p.auth ? origin.replace('://', `://${encodeURIComponent(p.auth.username)}:***@`) : origin;
}

/** The proxy a client made by createHttpClient sends through (axios keeps it in its defaults), if any. */
export function proxyOfClient(client: { defaults: { proxy?: unknown } }): ProxySetting | undefined {
  const p = client.defaults.proxy;
  return p && typeof p === 'object' && 'host' in p ? (p as ProxySetting) : undefined;
}

/**
 * Marks a request whose answer the proxy wrote itself: the CONNECT for an https:// server was refused, so the
 * status (407, 502 …) is the proxy's, not the server's (set by src/core/proxyTunnel.ts on the ClientRequest).
 */
export const ANSWERED_BY_PROXY = Symbol('answeredByProxy');

/** Whether the request (axios's `response.request`) was answered by the proxy itself; see {@link ANSWERED_BY_PROXY}. */
export function answeredByProxy(request: unknown): boolean {
  return typeof request === 'object' && request !== null && (request as { [ANSWERED_BY_PROXY]?: unknown })[ANSWERED_BY_PROXY] === true;
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused at',
  ENOTFOUND: 'host not found for',
  EAI_AGAIN: 'host not found for',
  EHOSTUNREACH: 'no route to',
  ENETUNREACH: 'no route to',
};

/**
 * A transport failure while a proxy is in use (`usual`: what it would be without one). The only connection made is
 * to the proxy, so a refused or unresolvable connection is the proxy's; a timeout or a dropped connection may be the
 * proxy's or the server's, so the sentence names both; the rest (TLS of the server, cancel) stays as it is.
 */
export function proxyTransportError(e: unknown, proxy: ProxySetting, usual: AuthError): AuthError {
  const err = e as { code?: string; cause?: { code?: string } };
  const why = UNREACHABLE[err.code ?? err.cause?.code ?? ''];
  if (why) {
    return new AuthError('network', `proxy unreachable: ${why} ${proxyOrigin(proxy)}`, {
      nextStep: `check the proxy (${PROXY_SOURCES}) and that it is running`,
    });
  }
  if (usual.kind !== 'timeout' && usual.kind !== 'network') return usual;
  return new AuthError(usual.kind, wording`${usual.wording} through the proxy ${proxyOrigin(proxy)}`, usual.details);
}

/** What send() knows of an answer that came through a proxy. */
export interface ProxiedAnswer {
  status: number;
  statusText: string;
  contentType: string;
  /** Set when the proxy's tunnel was refused: the answer is certainly the proxy's. */
  fromProxy: boolean;
}

/**
 * The error for an answer that is the proxy refusing, else undefined. 407 is only ever a proxy's. A 502/503/504 is
 * the proxy's when its CONNECT was refused (https:// servers: known for sure), or, for a plain-http server, when the
 * body is neither JSON nor XML (a proxy's error page; the vendors answer errors in JSON or XML).
 */
export function proxyRefusal(res: ProxiedAnswer, proxy: ProxySetting, targetUrl: string): AuthError | undefined {
  const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  if (res.status === 407) {
    if (proxy.auth) {
      return new AuthError('network', `the proxy ${proxyOrigin(proxy)} refused the credentials given for it (${status})`, {
        status: res.status,
        nextStep: `check the user:password@ in the proxy URL (${PROXY_SOURCES})`,
      });
    }
    return new AuthError('network', `the proxy ${proxyOrigin(proxy)} asked for credentials (${status})`, {
      status: res.status,
      nextStep: `put user:password@ in the proxy URL (${PROXY_SOURCES})`,
    });
  }
  if (![502, 503, 504].includes(res.status)) return undefined;
  if (!res.fromProxy && /json|xml/i.test(res.contentType)) return undefined;
  return new AuthError('network', `the proxy ${proxyOrigin(proxy)} could not reach ${safeOrigin(targetUrl)} (${status})`, {
    status: res.status,
    nextStep: 'check that the proxy may reach this server, or bypass it with NO_PROXY or --proxy none',
  });
}

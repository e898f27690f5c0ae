// `api-auth list`: the connections of the config file, one a line (id, vendor, credential kind, baseUrl, and how it
// is reached: "direct" or "via" the proxy in effect) or as JSON. A proxy's password is never shown.
import { errorMessage } from '../../core/errors';
import { maskProxyText, proxyLabel, resolveProxy } from '../../core/proxy';
import type { ConnectionConfig } from '../../core/types';
import { ADAPTERS } from '../../vendors';
import type { Options } from '../args';
import { loadConnections } from '../config';
import { EXIT } from '../exit';

export function listCommand(opts: Options): number {
  const conns = loadConnections(opts.config);
  if (opts.json) {
    const out = conns.map((c) => ({ ...c, ...(typeof c.proxy === 'string' ? { proxy: maskedProxy(c.proxy) } : {}), route: route(c, opts) }));
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return EXIT.ok;
  }
  for (const c of conns) {
    process.stdout.write(`${c.id}\t${ADAPTERS[c.vendor].displayName}\t${c.auth ?? ADAPTERS[c.vendor].authKinds[0]}\t${c.baseUrl}\t${route(c, opts)}\n`);
  }
  return EXIT.ok;
}

/** "direct", "via http://user:***@proxy:3128", or why the proxy setting cannot be used. */
function route(conn: ConnectionConfig, opts: Options): string {
  try {
    const proxy = resolveProxy(conn, conn.baseUrl, { flag: opts.proxy });
    return proxy ? `via ${proxyLabel(proxy)}` : 'direct';
  } catch (e) {
    return `invalid proxy: ${errorMessage(e)}`;
  }
}

/** The connection's own proxy URL with its password masked (as typed when it does not parse). */
function maskedProxy(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href.replace(/\/$/, '');
  } catch {
    return maskProxyText(url);
  }
}

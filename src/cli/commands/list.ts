// `api-auth list`: the connections of the config file, one a line (id, vendor, credential kind, baseUrl, and how it
// is reached: "direct" or "via" the proxy in effect) or as JSON. No password is printed: a baseUrl with one is an
// invalid entry already, and a proxy's is masked.
import { errorMessage } from '../../core/errors';
import { maskUrlCredentials } from '../../core/origin';
import { proxyLabel, resolveProxy } from '../../core/proxy';
import type { ConnectionConfig } from '../../core/types';
import { ADAPTERS } from '../../vendors';
import type { Options } from '../args';
import { loadConnections } from '../config';
import { EXIT } from '../exit';
import { oneLineText, stringifyForTerminal } from '../../core/untrusted';

export function listCommand(opts: Options): number {
  const conns = loadConnections(opts.config);
  if (opts.json) {
    const out = conns.map((c) => ({ ...shown(c), route: route(c, opts) }));
    process.stdout.write(`${stringifyForTerminal(out)}\n`);
    return EXIT.ok;
  }
  for (const c of conns) {
    // A shared config file is as untrusted as a server: each field is made one line (TAB separates the fields).
    const fields = [c.id, ADAPTERS[c.vendor].displayName, c.auth ?? ADAPTERS[c.vendor].authKinds[0], maskUrlCredentials(c.baseUrl), route(c, opts)];
    process.stdout.write(`${fields.map((f) => oneLineText(String(f))).join('\t')}\n`);
  }
  return EXIT.ok;
}

/** The entry as printed: URL credentials masked (`http://user:***@proxy:8080`). */
function shown(c: ConnectionConfig): ConnectionConfig {
  return { ...c, baseUrl: maskUrlCredentials(c.baseUrl), ...(typeof c.proxy === 'string' ? { proxy: maskUrlCredentials(c.proxy) } : {}) };
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

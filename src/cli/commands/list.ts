// `api-auth list`: the connections of the config file, one a line (id, vendor, credential kind, baseUrl) or as JSON.
// No password is printed: a baseUrl with one is an invalid entry already, and a proxy's is masked.
import { maskUrlCredentials } from '../../core/origin';
import type { ConnectionConfig } from '../../core/types';
import { ADAPTERS } from '../../vendors';
import type { Options } from '../args';
import { loadConnections } from '../config';
import { EXIT } from '../exit';
import { oneLineText, stringifyForTerminal } from '../../core/untrusted';

export function listCommand(opts: Options): number {
  const conns = loadConnections(opts.config);
  if (opts.json) {
    process.stdout.write(`${stringifyForTerminal(conns.map(shown))}\n`);
    return EXIT.ok;
  }
  for (const c of conns) {
    // A shared config file is as untrusted as a server: each field is made one line (TAB separates the fields).
    const fields = [c.id, ADAPTERS[c.vendor].displayName, c.auth ?? ADAPTERS[c.vendor].authKinds[0], maskUrlCredentials(c.baseUrl)].map((f) =>
      oneLineText(String(f)),
    );
    process.stdout.write(`${fields.join('\t')}\n`);
  }
  return EXIT.ok;
}

/** The entry as printed: URL credentials masked (`http://user:***@proxy:8080`). */
function shown(c: ConnectionConfig): ConnectionConfig {
  return { ...c, baseUrl: maskUrlCredentials(c.baseUrl), ...(typeof c.proxy === 'string' ? { proxy: maskUrlCredentials(c.proxy) } : {}) };
}

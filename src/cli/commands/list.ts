// `api-auth list`: the connections of the config file, one a line (id, vendor, credential kind, baseUrl) or as JSON.
import { ADAPTERS } from '../../vendors';
import type { Options } from '../args';
import { loadConnections } from '../config';
import { EXIT } from '../exit';
import { oneLineText, stringifyForTerminal } from '../../core/untrusted';

export function listCommand(opts: Options): number {
  const conns = loadConnections(opts.config);
  if (opts.json) {
    process.stdout.write(`${stringifyForTerminal(conns)}\n`);
    return EXIT.ok;
  }
  for (const c of conns) {
    // A shared config file is as untrusted as a server: each field is made one line (TAB separates the fields).
    const fields = [c.id, ADAPTERS[c.vendor].displayName, c.auth ?? ADAPTERS[c.vendor].authKinds[0], c.baseUrl].map((f) => oneLineText(String(f)));
    process.stdout.write(`${fields.join('\t')}\n`);
  }
  return EXIT.ok;
}

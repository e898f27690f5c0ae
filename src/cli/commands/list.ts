// `api-auth list`: the connections of the config file, one a line (id, vendor, credential kind, baseUrl) or as JSON.
import { ADAPTERS } from '../../vendors';
import type { Options } from '../args';
import { loadConnections } from '../config';
import { EXIT } from '../exit';

export function listCommand(opts: Options): number {
  const conns = loadConnections(opts.config);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(conns)}\n`);
    return EXIT.ok;
  }
  for (const c of conns) {
    process.stdout.write(`${c.id}\t${ADAPTERS[c.vendor].displayName}\t${c.auth ?? ADAPTERS[c.vendor].authKinds[0]}\t${c.baseUrl}\n`);
  }
  return EXIT.ok;
}

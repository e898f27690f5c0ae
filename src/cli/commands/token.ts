// `api-auth token ID [--header]`: a fresh token on standard output and nothing else, for
// `curl -H "Authorization: Bearer $(api-auth token core)"`. In a terminal of a VS Code window whose gateway exposes
// the connection, the window's session (renewed by the gateway, no prompt); elsewhere a login, as `login` does.
import { truncate } from '../../core/errors';
import { oneLineText } from '../../core/untrusted';
import { authHeaderOf } from '../../engine/gatewayControl';
import type { Options } from '../args';
import { findConnection } from '../config';
import { CliError, EXIT, UsageError } from '../exit';
import { managerFor } from '../manager';
import { gatewayFor, gatewayToken } from '../viaGateway';

export async function tokenCommand(args: string[], opts: Options): Promise<number> {
  const [id, ...extra] = args;
  if (!id) throw new UsageError('usage: api-auth token ID [--header]');
  if (extra.length) throw new UsageError(`unexpected argument "${truncate(extra[0], 40)}" after ID`);
  let token: string;
  let header: { name: string; value: string };
  let name: string;
  const via = await gatewayFor(id, opts);
  if (via) {
    ({ token, header } = await gatewayToken(via));
    name = via.conn.label || id;
  } else {
    const conn = findConnection(opts, id);
    name = conn.label || conn.id;
    const session = await managerFor(conn, opts).login();
    token = session.token;
    header = authHeaderOf(session);
  }
  // Code42 Basic: the session holds the credentials themselves, there is no token to print.
  if (!opts.header && /^Basic\s/i.test(header.value)) {
    throw new CliError(EXIT.usage, `Connection "${name}": it sends Basic credentials, not a token; use api-auth token ${id} --header for the header line.`);
  }
  // Only the token (or the header line): what the shell substitutes. Controls a server might have put in it are shown,
  // never acted on; no scrubbing, as the token is what was asked for.
  process.stdout.write(`${oneLineText(opts.header ? `${header.name}: ${header.value}` : token)}\n`);
  return EXIT.ok;
}

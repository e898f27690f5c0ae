// `api-auth request ID METHOD PATH`: one REST call to a connection's baseUrl, checked before any secret is read.
import { isAuthError, truncate } from '../../core/errors';
import { HTTP_METHODS, httpMethod } from '../../core/http';
import { checkRequestTarget } from '../../engine/requests';
import type { Options } from '../args';
import { UsageError } from '../exit';
import { parseJsonOption, sendAndPrint, sendViaGateway } from './send';
import { callTarget } from '../viaGateway';
import type { ExploreRequest } from '../../core/types';

/**
 * Everything about a REST call that can be wrong without asking the server is checked before any secret is read:
 * nobody should type a password for a call that was never going to be sent.
 */
export async function requestCommand(args: string[], opts: Options): Promise<number> {
  const [id, method, path, ...extra] = args;
  // In a terminal of a window whose gateway exposes the connection: the window's session, no config file needed.
  const target = await callTarget(id, opts);
  const { conn } = target;
  if (!method || !path) throw new UsageError('usage: api-auth request ID METHOD PATH [--data JSON]');
  if (conn.vendor === 'cove') throw new UsageError(`"${conn.id}" is a Cove connection: use api-auth rpc ${conn.id} METHOD [--params JSON]`);
  if (extra.length) throw new UsageError(`unexpected argument "${truncate(extra[0], 40)}" after PATH (quote a --data body: --data '{"a":1}')`);
  if (opts.params !== undefined) throw new UsageError('--params is for api-auth rpc; a REST request takes --data JSON');
  const m = checkMethod(method);
  // The engine's one-origin rule (a full URL, `//host`, `..` above the baseUrl path… are refused), before the secret
  // (the gateway applies the same rule on its side).
  if (!target.via) checkRequestTarget(target.conn, { kind: 'rest', method: m, path });
  const body = opts.data === undefined ? undefined : parseJsonOption('--data', opts.data);
  const req: ExploreRequest = { kind: 'rest', method: m, path, ...(body === undefined ? {} : { body }) };
  return target.via ? sendViaGateway(target.via, opts, req) : sendAndPrint(target.conn, opts, req);
}

/** The method in capitals; one the HTTP layer does not send is a usage error that lists those it does. */
function checkMethod(method: string): string {
  try {
    return httpMethod(method);
  } catch (e) {
    if (!isAuthError(e)) throw e;
    throw new UsageError(`unsupported HTTP method "${truncate(method, 20)}" (use ${HTTP_METHODS.join(', ')})`);
  }
}

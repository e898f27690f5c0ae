// `api-auth rpc ID METHOD`: one JSON-RPC call to a Cove connection, checked before any secret is read.
import { truncate } from '../../core/errors';
import type { Options } from '../args';
import { UsageError } from '../exit';
import { parseJsonOption, sendAndPrint, sendViaGateway } from './send';
import { callTarget } from '../viaGateway';

export async function rpcCommand(args: string[], opts: Options): Promise<number> {
  const [id, method, ...extra] = args;
  // In a terminal of a window whose gateway exposes the connection: the window's session, no config file needed.
  const target = await callTarget(id, opts);
  const { conn } = target;
  if (!method) throw new UsageError('usage: api-auth rpc ID METHOD [--params JSON]');
  if (conn.vendor !== 'cove') throw new UsageError(`"${conn.id}" is not a JSON-RPC (Cove) connection: use api-auth request`);
  if (extra.length) throw new UsageError(`unexpected argument "${truncate(extra[0], 40)}" after METHOD (pass the parameters as --params JSON)`);
  if (opts.data !== undefined) throw new UsageError('--data is for api-auth request; a JSON-RPC call takes --params JSON');
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(method)) throw new UsageError(`"${truncate(method, 40)}" is not a JSON-RPC method name (e.g. EnumeratePartners)`);
  const params = opts.params === undefined ? {} : parseJsonOption('--params', opts.params);
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new UsageError('--params must be a JSON object of named parameters, e.g. --params \'{"parentPartnerId":0}\'');
  }
  const req = { kind: 'rpc', method, params } as const;
  return target.via ? sendViaGateway(target.via, opts, req) : sendAndPrint(target.conn, opts, req);
}

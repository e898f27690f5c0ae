// The connections file (--config): read, validated with the engine's rules, and searched for one connection id.
import * as fs from 'node:fs';
import { errorMessage, isAuthError } from '../core/errors';
import { readInputText } from '../core/files';
import type { ConnectionConfig } from '../core/types';
import { describeProblem, parseConnections } from '../engine/config';
import { ADAPTERS } from '../vendors';
import type { Options } from './args';
import { UsageError } from './exit';

/**
 * The text of the connections file: a regular file of at most 1 MiB (so `--config /dev/zero`, a FIFO or a folder is a
 * usage error at once instead of a read that never ends), without a UTF-8 byte-order mark (Notepad writes one).
 */
function readConfigText(file: string): string {
  try {
    return readInputText(file, 'config file');
  } catch (e) {
    if (!isAuthError(e)) throw e;
    // The message that says what to do, for the usual case of a file not created yet.
    if (!fs.existsSync(file)) throw new UsageError(`config file "${file}" not found (create it or pass --config FILE)`);
    throw new UsageError(e.message);
  }
}

/** The valid connections of the file; each invalid entry is reported on standard error as a warning and skipped. */
export function loadConnections(file: string): ConnectionConfig[] {
  const text = readConfigText(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`config file "${file}" is not valid JSON (${errorMessage(e)})`);
  }
  const list = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { connections?: unknown }).connections : undefined;
  if (list === undefined) throw new UsageError(`config file "${file}" has no "connections" list`);
  const { connections, invalid } = parseConnections(ADAPTERS, list);
  for (const p of invalid) process.stderr.write(`api-auth: warning: ${file}: ${describeProblem(p)} (entry ignored)\n`);
  return connections;
}

/** The connection with this id in the config file, remembered in `opts.found` for the failure line. */
export function findConnection(opts: Options, id: string | undefined): ConnectionConfig {
  if (!id) throw new UsageError('a connection id is required (see api-auth list)');
  const conns = loadConnections(opts.config);
  const conn = conns.find((c) => c.id === id);
  if (!conn) {
    throw new UsageError(`no connection "${id}" in ${opts.config} (known: ${conns.map((c) => c.id).join(', ') || 'none'})`);
  }
  opts.found.conn = conn;
  return conn;
}

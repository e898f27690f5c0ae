// The command line: options and positionals parsed into a command, its arguments and the Options every command gets.
import { parseArgs } from 'node:util';
import type { ConnectionConfig } from '../core/types';
import { UsageError } from './exit';
import { errorMessage } from '../core/errors';

export interface Options {
  config: string;
  json: boolean;
  /** `--raw`: print an answer as it came, secret-named fields not masked. */
  raw: boolean;
  secretStdin: boolean;
  totp?: string;
  data?: string;
  params?: string;
  /** `--proxy URL` or `--proxy none` (src/core/proxy.ts resolveProxy). */
  proxy?: string;
  /** `gateway --port N` (as typed; checked by the command). */
  port?: string;
  /** `gateway --allow-origin O` (repeatable): browser origins the gateway lets through. */
  allowOrigin: string[];
  /** `gateway --env`: also print `export API_AUTH_…=…` lines for `eval`. */
  env: boolean;
  /** `token --header`: print the ready header line instead of the bare token. */
  header: boolean;
  /** `--no-gateway`: never use the terminal's gateway (log in here, as outside VS Code). */
  noGateway: boolean;
  /** Every form of the secret read so far (raw, base64, Basic), scrubbed from everything printed. */
  secrets: string[];
  /** The connection the command acts on, once found: its failure line names it and fits its credential kind. */
  found: { conn?: ConnectionConfig };
}

/** What the command line asks for: the help text, or a command (undefined when none was given) with its arguments. */
export type Parsed = { help: true } | { help: false; command: string | undefined; args: string[]; opts: Options };

export function parseCommandLine(argv: string[], secrets: string[], found: { conn?: ConnectionConfig }): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', default: 'api-auth.json' },
        json: { type: 'boolean', default: false },
        raw: { type: 'boolean', default: false },
        'secret-stdin': { type: 'boolean', default: false },
        totp: { type: 'string' },
        data: { type: 'string' },
        params: { type: 'string' },
        proxy: { type: 'string' },
        port: { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
        env: { type: 'boolean', default: false },
        header: { type: 'boolean', default: false },
        'no-gateway': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(errorMessage(e));
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') return { help: true };
  const [command, ...args] = positionals;
  const opts: Options = {
    config: values.config ?? 'api-auth.json',
    json: values.json ?? false,
    raw: values.raw ?? false,
    secretStdin: values['secret-stdin'] ?? false,
    totp: values.totp,
    data: values.data,
    params: values.params,
    proxy: values.proxy,
    port: values.port,
    allowOrigin: values['allow-origin'] ?? [],
    env: values.env ?? false,
    header: values.header ?? false,
    noGateway: values['no-gateway'] ?? false,
    secrets,
    found,
  };
  return { help: false, command, args, opts };
}

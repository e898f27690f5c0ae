// `api-auth`: runs one command line and turns every failure into one line on standard error and an exit code.
import { isAuthError } from '../core/errors';
import type { ConnectionConfig } from '../core/types';
import { parseCommandLine } from './args';
import { decodeCommand } from './commands/decode';
import { gatewayCommand } from './commands/gateway';
import { listCommand } from './commands/list';
import { loginCommand } from './commands/login';
import { requestCommand } from './commands/request';
import { rpcCommand } from './commands/rpc';
import { tokenCommand } from './commands/token';
import { CliError, describeFailure, EXIT, EXIT_BY_KIND, UsageError } from './exit';
import { printError } from './output';
import { Interrupted } from './prompt';
import { USAGE } from './usage';
import { ours } from '../core/wording';

async function main(argv: string[], secrets: string[], found: { conn?: ConnectionConfig }): Promise<number> {
  const parsed = parseCommandLine(argv, secrets, found);
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const { command, args, opts } = parsed;
  if (command === undefined) {
    // No command is a usage error: the text goes to standard error, standard output stays empty.
    process.stderr.write(`${USAGE}\n`);
    return EXIT.usage;
  }
  switch (command) {
    case 'decode':
      return decodeCommand(args, opts);
    case 'list':
      return listCommand(opts);
    case 'login':
      return loginCommand(args, opts);
    case 'request':
      return requestCommand(args, opts);
    case 'rpc':
      return rpcCommand(args, opts);
    case 'token':
      return tokenCommand(args, opts);
    case 'gateway':
      return gatewayCommand(args, opts);
    default:
      throw new UsageError(`unknown command "${command}" (try --help)`);
  }
}

/** The connection a failure line names before the config file was read: the id after the command, if any. */
function connectionFromArgs(argv: string[]): { id: string } {
  const idx = argv.findIndex((a) => ['login', 'request', 'rpc', 'token'].includes(a));
  return { id: idx >= 0 && argv[idx + 1] ? argv[idx + 1] : 'api-auth' };
}

/** Runs the command line `argv` (without node and the script) and resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const secrets: string[] = [];
  const found: { conn?: ConnectionConfig } = {};
  try {
    return await main(argv, secrets, found);
  } catch (e) {
    if (e instanceof Interrupted) return EXIT.interrupted; // the prompt has ended its line already
    // The CLI's own sentences: never scrubbed (a secret that is also one of their words would show where it stands).
    if (e instanceof UsageError) {
      printError(secrets, ours(e.message));
      return EXIT.usage;
    }
    if (e instanceof CliError) {
      printError(secrets, ours(e.message));
      return e.exitCode;
    }
    // Scrubbed in its outside parts only (the server's words, quoted values).
    printError(secrets, ours(describeFailure(e, found.conn ?? connectionFromArgs(argv), secrets)));
    return isAuthError(e) ? EXIT_BY_KIND[e.kind] : EXIT.protocol;
  }
}

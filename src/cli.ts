// The entry esbuild bundles into dist/cli.js (the `api-auth` command); the CLI itself is in src/cli/.
import { run } from './cli/main';

void run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

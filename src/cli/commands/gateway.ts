// `api-auth gateway [ID…]`: the loopback auth gateway outside VS Code (the engine's startGateway). The secrets are
// read once at the start and each exposed connection is logged in before serving; then one redacted line per request
// on standard error, until Ctrl+C or SIGTERM stops it (exit 0).
import { isAuthError, secretForms, truncate } from '../../core/errors';
import type { ConnectionConfig } from '../../core/types';
import { ours } from '../../core/wording';
import { startGateway } from '../../engine/gateway';
import { connectionVariables, GATEWAY_ENV, GATEWAY_KEY_ENV } from '../../engine/gatewayControl';
import { ADAPTERS } from '../../vendors';
import type { Options } from '../args';
import { loadConnections } from '../config';
import { describeFailure, EXIT, EXIT_BY_KIND, UsageError } from '../exit';
import { cliManager, readSecret } from '../manager';
import { printError, printLog } from '../output';
import { readStdin } from '../prompt';
import { shellQuote } from '../../engine/curl';

export async function gatewayCommand(args: string[], opts: Options): Promise<number> {
  const port = portOf(opts.port);
  for (const o of opts.allowOrigin) checkOrigin(o);
  const all = loadConnections(opts.config);
  const conns = exposedOf(all, args, opts.config);
  const secrets = await readSecrets(conns, opts);
  const manager = cliManager(opts, async (c) => secrets.get(c.id));

  // Each connection logged in before serving. A refused login (wrong password, two-factor) drops its secret: the
  // connection stays exposed and answers 401 loginNeeded instead of retrying (and locking the account); a server
  // that could not be reached keeps it, so the first request logs in once the server is back.
  let working = 0;
  let firstFailure = EXIT.ok as number;
  for (const conn of conns) {
    try {
      await manager.prepare(conn);
      await manager.login(conn, { secret: secrets.get(conn.id) ?? '', ...(opts.totp ? { totp: opts.totp } : {}) });
      working++;
    } catch (e) {
      printError(opts.secrets, ours(describeFailure(e, conn, opts.secrets)));
      const kind = isAuthError(e) ? e.kind : 'protocol';
      if (!['network', 'tls', 'timeout', 'server'].includes(kind)) secrets.delete(conn.id);
      if (firstFailure === EXIT.ok) firstFailure = isAuthError(e) ? EXIT_BY_KIND[e.kind] : EXIT.protocol;
    }
  }
  if (working === 0) {
    printError(opts.secrets, ours('no connection could be logged in, so the gateway was not started; fix the login above and run it again.'));
    manager.dispose();
    return firstFailure;
  }

  let gw;
  try {
    gw = await startGateway({
      manager,
      connections: () => conns,
      exposed: conns.map((c) => c.id),
      ...(port === undefined ? {} : { port }),
      allowedOrigins: opts.allowOrigin,
      log: (line) => printLog(opts.secrets, line),
    });
  } catch (e) {
    manager.dispose();
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`the gateway could not listen on 127.0.0.1:${port ?? 0} (${code ?? 'error'}); choose another --port`);
  }
  const root = `http://127.0.0.1:${gw.port}`;
  if (opts.env) {
    // For a script: `export` lines only (the key and the keyed URLs are secrets: keep them out of files and history).
    const lines = [`export ${GATEWAY_ENV}=${shellQuote(root)}`, `export ${GATEWAY_KEY_ENV}=${shellQuote(gw.key)}`];
    const { vars, ambiguous } = connectionVariables(
      gw,
      conns.map((c) => c.id),
    );
    for (const [name, url] of vars) lines.push(`export ${name}=${shellQuote(url)}`);
    if (ambiguous.length) process.stderr.write(`api-auth: note: no variable for ${ambiguous.join(', ')}: their ids give the same name; rename one\n`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } else {
    const width = Math.max(...conns.map((c) => c.id.length));
    const lines = conns.map(
      (c) => `${c.id.padEnd(width)}  ${gw.baseUrl(c.id)}  (${ADAPTERS[c.vendor].displayName}${secrets.has(c.id) ? '' : ', needs a login'})`,
    );
    lines.push(`key: ${gw.key}  (send it as header X-Api-Auth-Key, or put ~KEY first in the path: ${root}/~KEY/<id>/)`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  process.stderr.write(`api-auth: gateway listening on ${root}; Ctrl+C stops it\n`);

  // Runs until interrupted: Ctrl+C or SIGTERM stops the listener and every connection, then exits 0.
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void gw.stop().finally(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  manager.dispose();
  process.stderr.write('api-auth: gateway stopped\n');
  return EXIT.ok;
}

/** --port: a whole number 0–65535 (0: the system picks); absent: the system picks. */
function portOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d{1,5}$/.test(text) || n > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${truncate(text, 20)}"`);
  return n;
}

/** --allow-origin: exactly `scheme://host[:port]`, as a browser sends it in Origin. */
function checkOrigin(o: string): void {
  let ok: boolean;
  try {
    ok = new URL(o).origin === o && /^https?:$/.test(new URL(o).protocol);
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError(`--allow-origin takes an origin as a browser sends it, e.g. http://localhost:5173, not "${truncate(o, 60)}"`);
}

/** The connections named on the command line (each must exist), or all of them. */
function exposedOf(all: ConnectionConfig[], ids: string[], file: string): ConnectionConfig[] {
  if (!ids.length) {
    if (!all.length) throw new UsageError(`${file} has no connections to expose`);
    return all;
  }
  return [...new Set(ids)].map((id) => {
    const c = all.find((x) => x.id === id);
    if (!c) throw new UsageError(`no connection "${id}" in ${file} (known: ${all.map((x) => x.id).join(', ') || 'none'})`);
    return c;
  });
}

/**
 * One secret per exposed connection, read before anything is served. --secret-stdin: one line of standard input per
 * connection, in the order they are exposed; else $API_AUTH_SECRET (the same for all) or a hidden prompt for each.
 */
async function readSecrets(conns: ConnectionConfig[], opts: Options): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let lines: string[] | undefined;
  if (opts.secretStdin) lines = (await readStdin()).split(/\r?\n/);
  for (const [i, conn] of conns.entries()) {
    let s: string;
    if (lines) {
      s = lines[i] ?? '';
      const label = ADAPTERS[conn.vendor].secretLabel(conn.auth ?? ADAPTERS[conn.vendor].authKinds[0]);
      if (!s) throw new UsageError(`--secret-stdin gave no ${label} for "${conn.id}" (one line per exposed connection, in order)`);
    } else {
      s = await readSecret(conn, opts);
    }
    opts.secrets.push(...secretForms(s, conn.username));
    out.set(conn.id, s);
  }
  return out;
}

// The SessionManager a command logs in with, and what it asks the user: the secret (standard input,
// $API_AUTH_SECRET or a hidden prompt), the passphrase of an encrypted client key ($API_AUTH_TLS_PASSPHRASE or a
// hidden prompt) and, at a terminal, the two-factor code.
import { AuthError, secretForms } from '../core/errors';
import { resolveProxy } from '../core/proxy';
import { clientKeyFile } from '../core/tlsMaterial';
import type { ConnectionConfig, Session } from '../core/types';
import { SessionManager } from '../engine/manager';
import { ADAPTERS } from '../vendors';
import type { Options } from './args';
import { CliError, EXIT, twoFactorLine } from './exit';
import { printWarning } from './output';
import { canPrompt, promptHidden, readStdin } from './prompt';

/** The connection's secret: standard input (--secret-stdin), else $API_AUTH_SECRET, else a hidden prompt at a terminal. */
export async function readSecret(conn: ConnectionConfig, opts: Options): Promise<string> {
  const label = ADAPTERS[conn.vendor].secretLabel(conn.auth ?? ADAPTERS[conn.vendor].authKinds[0]);
  if (opts.secretStdin) {
    const s = (await readStdin()).replace(/\r?\n$/, '');
    if (!s) throw new AuthError('config', `--secret-stdin was given but standard input held no ${label}`);
    return s;
  }
  const env = process.env.API_AUTH_SECRET;
  if (env) return env;
  if (canPrompt()) {
    const s = await promptHidden(`${conn.label ?? conn.id} — ${label}: `);
    if (!s) throw new AuthError('cancelled', `no ${label} entered`);
    return s;
  }
  throw new AuthError('config', `no ${label} given: use --secret-stdin or set API_AUTH_SECRET`);
}

/** The passphrase of the connection's client key: $API_AUTH_TLS_PASSPHRASE, else a hidden prompt at a terminal. */
async function readPassphrase(conn: ConnectionConfig, reason: 'needed' | 'wrong', asked: number): Promise<string | undefined> {
  const env = process.env.API_AUTH_TLS_PASSPHRASE;
  const file = clientKeyFile(conn.tls) ?? '';
  // The variable is used once: when it was wrong, reading it again cannot make it right (a terminal may still ask).
  if (env && asked === 0) return env;
  if (env && !canPrompt()) {
    throw new AuthError('config', `the passphrase in API_AUTH_TLS_PASSPHRASE does not unlock the client key "${file}"`, {
      nextStep: 'set API_AUTH_TLS_PASSPHRASE to the passphrase of that key',
    });
  }
  if (canPrompt()) {
    const typed = await promptHidden(`${conn.label ?? conn.id} — passphrase of the client certificate${reason === 'wrong' ? ' (try again)' : ''}: `);
    if (!typed) throw new AuthError('cancelled', 'no passphrase entered for the client certificate');
    return typed;
  }
  throw new AuthError('config', `the client key "${file}" is encrypted and no passphrase was given`, {
    nextStep: 'set API_AUTH_TLS_PASSPHRASE to its passphrase (or run at a terminal to be asked)',
  });
}

/**
 * A manager whose secret is read once (stdin can only be read once) and reused for re-logins, and `login`, which
 * logs in to the connection with that secret and --totp. Every form of the secret goes to `opts.secrets`.
 */
export function managerFor(conn: ConnectionConfig, opts: Options): { manager: SessionManager; login: () => Promise<Session> } {
  let cached: Promise<string> | undefined;
  const secret = (): Promise<string> =>
    (cached ??= readSecret(conn, opts).then((s) => {
      opts.secrets.push(...secretForms(s, conn.username));
      return s;
    }));
  const manager = cliManager(opts, secret);
  const login = async (): Promise<Session> => {
    // The TLS files (and the key's passphrase) first: a missing certificate file is reported before the secret is read.
    await manager.prepare(conn);
    return manager.login(conn, { secret: await secret(), ...(opts.totp ? { totp: opts.totp } : {}) });
  };
  return { manager, login };
}

/**
 * The CLI's SessionManager: `getSecret` gives a connection's secret (undefined: none, the login is refused as
 * needing one); the proxy, the client key's passphrase and, at a terminal, the two-factor code as the options and
 * the user say. Every form of a proxy password or passphrase goes to `opts.secrets`.
 */
export function cliManager(opts: Options, getSecret: (c: ConnectionConfig) => Promise<string | undefined>): SessionManager {
  let asked = 0;
  return new SessionManager({
    adapters: ADAPTERS,
    getSecret,
    // The proxy in effect (may throw a config error). Its password is never shown anyway (messages name the proxy
    // without credentials); it is scrubbed too, as the login secret is.
    httpClientOptions: (c) => {
      const proxy = resolveProxy(c, c.baseUrl, { flag: opts.proxy });
      const forms = proxy && proxy.auth?.password ? [...secretForms(proxy.auth.password), encodeURIComponent(proxy.auth.password)] : [];
      for (const f of forms) if (!opts.secrets.includes(f)) opts.secrets.push(f);
      return { proxy };
    },
    // One line per run (the manager says it once per connection): the times printed are already corrected.
    onClockSkew: (c, text) => printWarning(`Connection "${c.label || c.id}": ${text}.`),
    getPassphrase: async (c, reason) => {
      const p = await readPassphrase(c, reason, asked++);
      if (p) opts.secrets.push(...secretForms(p));
      return p;
    },
    askTotp:
      canPrompt() && !opts.secretStdin
        ? async (c, attempt) => {
            const code = (await promptHidden(`${c.label ?? c.id} — two-factor code${attempt > 1 ? ' (try again)' : ''}: `))?.trim();
            // Cancelled (empty line or Ctrl+D): the login still needs a code, so this is exit 4, not a usage error.
            if (!code) throw new CliError(EXIT.twoFactor, twoFactorLine(c, 'no two-factor code entered'));
            return code;
          }
        : undefined,
  });
}

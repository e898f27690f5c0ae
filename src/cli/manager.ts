// The SessionManager a command logs in with, and what it asks the user: the secret (standard input,
// $API_AUTH_SECRET or a hidden prompt) and, at a terminal, the two-factor code.
import { AuthError, secretForms } from '../core/errors';
import { resolveProxy } from '../core/proxy';
import type { ConnectionConfig, Session } from '../core/types';
import { SessionManager } from '../engine/manager';
import { ADAPTERS } from '../vendors';
import type { Options } from './args';
import { CliError, EXIT, twoFactorLine } from './exit';
import { canPrompt, promptHidden, readStdin } from './prompt';

async function readSecret(conn: ConnectionConfig, opts: Options): Promise<string> {
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
  const manager = new SessionManager({
    adapters: ADAPTERS,
    getSecret: secret,
    proxyFor: (c) => {
      const proxy = resolveProxy(c, c.baseUrl, { flag: opts.proxy });
      // Never shown anyway (messages name the proxy without credentials); scrubbed too, as the login secret is.
      const forms = proxy && proxy.auth?.password ? [...secretForms(proxy.auth.password), encodeURIComponent(proxy.auth.password)] : [];
      for (const f of forms) if (!opts.secrets.includes(f)) opts.secrets.push(f);
      return proxy;
    },
    askTotp:
      canPrompt() && !opts.secretStdin
        ? async (_c, attempt) => {
            const code = (await promptHidden(`${conn.label ?? conn.id} — two-factor code${attempt > 1 ? ' (try again)' : ''}: `))?.trim();
            // Cancelled (empty line or Ctrl+D): the login still needs a code, so this is exit 4, not a usage error.
            if (!code) throw new CliError(EXIT.twoFactor, twoFactorLine(conn, 'no two-factor code entered'));
            return code;
          }
        : undefined,
  });
  const login = async (): Promise<Session> => manager.login(conn, { secret: await secret(), ...(opts.totp ? { totp: opts.totp } : {}) });
  return { manager, login };
}

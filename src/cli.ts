// `api-auth`: the auth engine from a terminal. Same adapters and session manager as the extension.
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { parseArgs } from 'node:util';
import { describeProblem, parseConnections } from './core/config';
import { AuthError, type AuthErrorKind, describeError, isAuthError } from './core/errors';
import { decodeJwt, describeClaims } from './core/jwt';
import { SessionManager } from './core/manager';
import { REDACTED, redactHeaders } from './core/redact';
import { EXPIRY_REASON_TEXT, formatRemaining, isExpired, timeLeftMs } from './core/session';
import type { Attach, ConnectionConfig, ExploreRequest, Session } from './core/types';
import { adapterFor } from './vendors';

const USAGE = `api-auth — log in to vendor APIs (Cove, Commvault, IPCortex, Code42, datarhei Core)

Usage:
  api-auth list                              list the connections in the config file
  api-auth login ID [--json]                 log in and print the session
  api-auth request ID METHOD PATH [--data JSON] [--json]
                                             log in, send one REST request, print the answer
  api-auth rpc ID METHOD [--params JSON] [--json]
                                             log in, send one JSON-RPC call (Cove), print the answer
  api-auth decode TOKEN|- [--json]           decode a JWT (header, claims, human times, exi)

Options:
  --config FILE     connections file {"connections":[…]} (default ./api-auth.json)
  --secret-stdin    read the password / API key / Auth0 token from standard input
                    (else $API_AUTH_SECRET, else a prompt without echo on a terminal)
  --totp CODE       two-factor code (Code42)
  --json            print one JSON object
  -h, --help        this text

Exit codes: 0 ok, 2 usage or config error, 3 credentials rejected, 4 two-factor code required,
            5 network / TLS / timeout, 6 unexpected response from the server.`;

export const EXIT = { ok: 0, usage: 2, credentials: 3, twoFactor: 4, network: 5, protocol: 6 } as const;

const EXIT_BY_KIND: Record<AuthErrorKind, number> = {
  credentials: EXIT.credentials,
  locked: EXIT.credentials,
  expired: EXIT.credentials,
  forbidden: EXIT.credentials,
  twoFactorRequired: EXIT.twoFactor,
  network: EXIT.network,
  tls: EXIT.network,
  timeout: EXIT.network,
  protocol: EXIT.protocol,
  server: EXIT.protocol,
  config: EXIT.usage,
  cancelled: EXIT.usage,
};

class UsageError extends Error {}

interface Options {
  config: string;
  json: boolean;
  secretStdin: boolean;
  totp?: string;
  data?: string;
  params?: string;
  /** Every form of the secret read so far (raw, base64, Basic), scrubbed from everything printed. */
  secrets: string[];
}

async function main(argv: string[], secrets: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', default: 'api-auth.json' },
        json: { type: 'boolean', default: false },
        'secret-stdin': { type: 'boolean', default: false },
        totp: { type: 'string' },
        data: { type: 'string' },
        params: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const opts: Options = {
    config: values.config ?? 'api-auth.json',
    json: values.json ?? false,
    secretStdin: values['secret-stdin'] ?? false,
    totp: values.totp,
    data: values.data,
    params: values.params,
    secrets,
  };
  const [command, ...args] = positionals;
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
    default:
      throw new UsageError(`unknown command "${command}" (try --help)`);
  }
}

// ---- config -------------------------------------------------------------------------------------

function loadConnections(file: string): ConnectionConfig[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `config file "${file}" not found (create it or pass --config FILE)` : `cannot read config file "${file}" (${code ?? 'error'})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`config file "${file}" is not valid JSON (${(e as Error).message})`);
  }
  const list = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { connections?: unknown }).connections : undefined;
  if (list === undefined) throw new UsageError(`config file "${file}" has no "connections" list`);
  const { connections, invalid } = parseConnections(list);
  for (const p of invalid) process.stderr.write(`api-auth: warning: ${file}: ${describeProblem(p)} (entry ignored)\n`);
  return connections;
}

function findConnection(opts: Options, id: string | undefined): ConnectionConfig {
  if (!id) throw new UsageError('a connection id is required (see api-auth list)');
  const conns = loadConnections(opts.config);
  const conn = conns.find((c) => c.id === id);
  if (!conn) {
    throw new UsageError(`no connection "${id}" in ${opts.config} (known: ${conns.map((c) => c.id).join(', ') || 'none'})`);
  }
  return conn;
}

// ---- secrets ------------------------------------------------------------------------------------

async function readSecret(conn: ConnectionConfig, opts: Options): Promise<string> {
  const label = adapterFor(conn.vendor).secretLabel(conn.auth ?? adapterFor(conn.vendor).authKinds[0]);
  if (opts.secretStdin) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    const s = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
    if (!s) throw new AuthError('config', `--secret-stdin was given but standard input held no ${label}`);
    return s;
  }
  const env = process.env.API_AUTH_SECRET;
  if (env) return env;
  if (process.stdin.isTTY && process.stderr.isTTY) {
    const s = await promptHidden(`${conn.label ?? conn.id} — ${label}: `);
    if (!s) throw new AuthError('cancelled', `no ${label} entered`);
    return s;
  }
  throw new AuthError('config', `no ${label} given: use --secret-stdin or set API_AUTH_SECRET`);
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stderr.write(question);
    out._writeToOutput = () => undefined;
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/** A manager whose secret is read once (stdin can only be read once) and reused for re-logins. */
function managerFor(conn: ConnectionConfig, opts: Options): { manager: SessionManager; secret: () => Promise<string> } {
  let cached: Promise<string> | undefined;
  const secret = (): Promise<string> =>
    (cached ??= readSecret(conn, opts).then((s) => {
      opts.secrets.push(...secretForms(conn, s));
      return s;
    }));
  const manager = new SessionManager({
    getSecret: secret,
    askTotp:
      process.stdin.isTTY && !opts.secretStdin
        ? async (_c, attempt) => {
            const code = await promptHidden(`${conn.label ?? conn.id} — two-factor code${attempt > 1 ? ' (try again)' : ''}: `);
            return code.trim() || undefined;
          }
        : undefined,
  });
  return { manager, secret };
}

// ---- commands -----------------------------------------------------------------------------------

async function loginCommand(args: string[], opts: Options): Promise<number> {
  const conn = findConnection(opts, args[0]);
  const { manager, secret } = managerFor(conn, opts);
  const session = await manager.login(conn, { secret: await secret(), ...(opts.totp ? { totp: opts.totp } : {}) });
  if (opts.json) print(opts, JSON.stringify(sessionJson(conn, session)));
  else print(opts, summary(conn, session, manager.clock()));
  return EXIT.ok;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/**
 * The parts of a session that are the user's own secret rather than a token the server issued: for Basic
 * (Code42) the base64 `user:password`, for an API key (IPCortex) the key. Empty for real session tokens.
 */
export function credentialSecrets(s: Pick<Session, 'authKind' | 'attach' | 'token'>): string[] {
  if (s.authKind !== 'basic' && s.authKind !== 'apiKey') return [];
  const bare = s.attach.value.replace(/^(?:Basic\s+|token\s+auth=)/i, '').trim();
  const list = [bare, ...(s.authKind === 'apiKey' ? [s.token.trim()] : [])];
  return [...new Set(list.filter((x) => x.length > 0))].sort((a, b) => b.length - a.length);
}

/** Every secret in `text` replaced by ‹redacted›; secrets shorter than 4 characters are left (they would hit everything). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const x of [...secrets].sort((a, b) => b.length - a.length)) if (x.length >= 4) out = out.split(x).join(REDACTED);
  return out;
}

/** The forms a secret can take on the wire and in answers: as typed, base64 (Commvault), Basic (Code42), JSON-escaped. */
function secretForms(conn: ConnectionConfig, secret: string): string[] {
  const b64 = (x: string): string => Buffer.from(x, 'utf8').toString('base64');
  const forms = [secret, secret.trim(), b64(secret)];
  if (conn.username) forms.push(b64(`${conn.username}:${secret}`));
  for (const f of [...forms]) forms.push(JSON.stringify(f).slice(1, -1));
  return [...new Set(forms)];
}

/** Writes one line to standard output with every known secret scrubbed from it. */
function print(opts: Options, line: string): void {
  process.stdout.write(`${scrub(line, opts.secrets)}\n`);
}

/**
 * The session as JSON. Session tokens the server issued (JWT, visa, QSDK, cookie) are printed — that is what
 * `login --json` is for; a credential that is the secret itself (Basic, API key) is printed masked.
 */
export function sessionJson(conn: ConnectionConfig, s: Session): Record<string, unknown> {
  const secrets = credentialSecrets(s);
  const hide = <T extends string | null>(v: T): T => (v === null || secrets.length === 0 ? v : (scrub(v, secrets) as T));
  const attach: Attach = { ...s.attach, value: hide(s.attach.value) };
  return {
    connection: conn.id,
    vendor: s.vendor,
    token: hide(s.token),
    attach,
    issuedAt: iso(s.issuedAt),
    expiresAt: iso(s.expiresAt),
    expiresBecause: s.expiresBecause,
    claims: s.jwt?.claims ?? null,
    header: s.jwt?.header ?? null,
    refreshToken: s.refreshToken,
    refreshExpiresAt: iso(s.refreshExpiresAt),
    user: s.user?.name ?? null,
    history: s.history.map((h) => ({
      at: iso(h.at),
      event: h.event,
      method: h.method,
      token: hide(h.token),
      replaced: hide(h.replaced),
      expiresAt: iso(h.expiresAt),
    })),
  };
}

function summary(conn: ConnectionConfig, s: Session, now: number): string {
  const name = conn.label ?? conn.id;
  const who = s.user?.name ? ` as ${s.user.name}` : '';
  const left = timeLeftMs(s, now);
  const expiry =
    s.expiresAt === null ? EXPIRY_REASON_TEXT[s.expiresBecause] : `expires ${new Date(s.expiresAt).toISOString()} (${formatRemaining(left)} left; ${EXPIRY_REASON_TEXT[s.expiresBecause]})`;
  const refresh = s.refreshExpiresAt ? `; refresh token until ${new Date(s.refreshExpiresAt).toISOString()}` : '';
  return `Logged in to "${name}" (${adapterFor(s.vendor).displayName})${who}: ${expiry}${refresh}.`;
}

async function requestCommand(args: string[], opts: Options): Promise<number> {
  const [id, method, path] = args;
  const conn = findConnection(opts, id);
  if (!method || !path) throw new UsageError('usage: api-auth request ID METHOD PATH [--data JSON]');
  if (conn.vendor === 'cove') throw new UsageError(`"${conn.id}" is a Cove connection: use api-auth rpc ${conn.id} METHOD [--params JSON]`);
  const body = opts.data === undefined ? undefined : parseJsonOption('--data', opts.data);
  return sendAndPrint(conn, opts, { kind: 'rest', method: method.toUpperCase(), path, ...(body === undefined ? {} : { body }) });
}

async function rpcCommand(args: string[], opts: Options): Promise<number> {
  const [id, method] = args;
  const conn = findConnection(opts, id);
  if (!method) throw new UsageError('usage: api-auth rpc ID METHOD [--params JSON]');
  if (conn.vendor !== 'cove') throw new UsageError(`"${conn.id}" is not a JSON-RPC (Cove) connection: use api-auth request`);
  const params = opts.params === undefined ? {} : parseJsonOption('--params', opts.params);
  return sendAndPrint(conn, opts, { kind: 'rpc', method, params });
}

function parseJsonOption(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${name} is not valid JSON (${(e as Error).message})`);
  }
}

async function sendAndPrint(conn: ConnectionConfig, opts: Options, req: ExploreRequest): Promise<number> {
  const { manager, secret } = managerFor(conn, opts);
  await manager.login(conn, { secret: await secret(), ...(opts.totp ? { totp: opts.totp } : {}) });
  const { response, session } = await manager.request(conn, req);
  // The answer is scrubbed of the secret too (and, for Basic / API key sessions, of the credential), in case a
  // server echoes it.
  opts.secrets.push(...credentialSecrets(session));
  if (opts.json) {
    print(
      opts,
      JSON.stringify({
        status: response.status,
        statusText: response.statusText,
        durationMs: response.durationMs,
        headers: redactHeaders(response.headers),
        body: response.body,
        session: sessionJson(conn, session),
      }),
    );
  } else {
    print(opts, `HTTP ${response.status} ${response.statusText} (${response.durationMs} ms)`);
    print(opts, typeof response.body === 'string' ? response.body : JSON.stringify(response.body, null, 2));
  }
  return response.status >= 400 ? EXIT.protocol : EXIT.ok;
}

function listCommand(opts: Options): number {
  const conns = loadConnections(opts.config);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(conns)}\n`);
    return EXIT.ok;
  }
  for (const c of conns) {
    process.stdout.write(`${c.id}\t${adapterFor(c.vendor).displayName}\t${c.auth ?? adapterFor(c.vendor).authKinds[0]}\t${c.baseUrl}\n`);
  }
  return EXIT.ok;
}

async function decodeCommand(args: string[], opts: Options): Promise<number> {
  let token = args[0];
  if (!token) throw new UsageError('usage: api-auth decode TOKEN (or - to read it from standard input)');
  if (token === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    token = Buffer.concat(chunks).toString('utf8');
  }
  token = token.trim().replace(/^Bearer\s+/i, '');
  const jwt = decodeJwt(token);
  if (!jwt) throw new UsageError('the token is not a JWT (expected three base64url parts separated by dots)');
  const now = Date.now();
  const exp = typeof jwt.claims.exp === 'number' ? jwt.claims.exp * 1000 : null;
  const expired = exp !== null && isExpired({ expiresAt: exp }, now);
  const rows = describeClaims(jwt.claims, now);
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({
        header: jwt.header,
        claims: jwt.claims,
        times: Object.fromEntries(rows.filter((r) => r.human).map((r) => [r.name, r.human])),
        expiresAt: iso(exp),
        expired,
        timeLeft: exp === null ? null : formatRemaining(timeLeftMs({ expiresAt: exp }, now)),
      })}\n`,
    );
    return EXIT.ok;
  }
  const lines = [`header  ${JSON.stringify(jwt.header)}`, 'claims'];
  const width = Math.max(...rows.map((r) => r.name.length), 3);
  for (const r of rows) {
    lines.push(`  ${r.name.padEnd(width)}  ${r.raw}${r.human ? `  — ${r.human}` : ''}${r.meaning ? `\n  ${' '.repeat(width)}  (${r.meaning})` : ''}`);
  }
  lines.push(exp === null ? 'no exp claim: the token does not say when it expires' : expired ? 'EXPIRED' : `valid for ${formatRemaining(exp - now)} more`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

// ---- entry --------------------------------------------------------------------------------------

function connectionFromArgs(argv: string[]): { id: string; label?: string } {
  const idx = argv.findIndex((a) => ['login', 'request', 'rpc'].includes(a));
  return { id: idx >= 0 && argv[idx + 1] ? argv[idx + 1] : 'api-auth' };
}

export async function run(argv: string[]): Promise<number> {
  const secrets: string[] = [];
  try {
    return await main(argv, secrets);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`api-auth: ${scrub(e.message, secrets)}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`api-auth: ${scrub(describeError(e, connectionFromArgs(argv)), secrets)}\n`);
    return isAuthError(e) ? EXIT_BY_KIND[e.kind] : EXIT.protocol;
  }
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

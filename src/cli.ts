// `api-auth`: the auth engine from a terminal. Same adapters and session manager as the extension.
import type { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { parseArgs } from 'node:util';
import { describeProblem, parseConnections } from './engine/config';
import { AuthError, type AuthErrorKind, type DescribedConnection, describeError, isAuthError, secretForms, truncate } from './core/errors';
import { decodeJwt, describeClaims } from './core/jwt';
import { SessionManager } from './engine/manager';
import { redactHeaders, scrubSecrets } from './core/redact';
import { EXPIRY_REASON_TEXT, isExpired, timeLeftMs } from './core/session';
import type { Attach, ConnectionConfig, ExploreRequest, Session } from './core/types';
import { formatRemaining } from './core/time';
import { ADAPTERS } from './vendors';

const USAGE = `api-auth — log in to vendor APIs (Cove, Commvault, IPCortex, Code42, datarhei Core)

Usage:
  api-auth list                              list the connections in the config file
  api-auth login ID [--json]                 log in and print the session
  api-auth request ID METHOD PATH [--data JSON] [--json]
                                             log in, send one REST request, print the answer
  api-auth rpc ID METHOD [--params JSON] [--json]
                                             log in, send one JSON-RPC call (Cove), print the answer
  api-auth decode TOKEN|- [--json]           decode a JWT (header, claims, human times, exi)
  api-auth help                              this text

  METHOD is GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS; PATH starts with "/" and is joined to the
  connection's baseUrl (a full URL is refused, so the credentials go only to the configured server).

Options:
  --config FILE     connections file {"connections":[…]} (default ./api-auth.json)
  --secret-stdin    read the password / API key / Auth0 token from standard input
                    (else $API_AUTH_SECRET, else a prompt without echo on a terminal)
  --totp CODE       two-factor code (Code42); without it a terminal asks, else the login exits 4
  --json            print one JSON object
  -h, --help        this text

Exit codes: 0 ok
            2 usage or config error (also: no secret entered at the prompt)
            3 credentials rejected (wrong password / API key, account locked, session no longer accepted)
            4 two-factor code required or rejected (pass --totp CODE)
            5 network / TLS / timeout
            6 unexpected response: an HTTP error status, a JSON-RPC error, a call the account is not
              allowed to make (authenticated but forbidden, e.g. Cove 13501), an answer that is not JSON
            130 interrupted with Ctrl+C at a prompt`;

export const EXIT = { ok: 0, usage: 2, credentials: 3, twoFactor: 4, network: 5, protocol: 6, interrupted: 130 } as const;

const EXIT_BY_KIND: Record<AuthErrorKind, number> = {
  credentials: EXIT.credentials,
  locked: EXIT.credentials,
  expired: EXIT.credentials,
  // Authenticated but not allowed: the credentials were accepted, so this is not "credentials rejected".
  forbidden: EXIT.protocol,
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

/** An error whose one line (printed after "api-auth: ") and exit code the CLI chose itself. */
class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Ctrl+C at a prompt: the CLI exits 130, as a shell reports a command ended by SIGINT. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

interface Options {
  config: string;
  json: boolean;
  secretStdin: boolean;
  totp?: string;
  data?: string;
  params?: string;
  /** Every form of the secret read so far (raw, base64, Basic), scrubbed from everything printed. */
  secrets: string[];
  /** The connection the command acts on, once found: its failure line names it and fits its credential kind. */
  found: { conn?: ConnectionConfig };
}

async function main(argv: string[], secrets: string[], found: { conn?: ConnectionConfig }): Promise<number> {
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
  if (values.help || positionals[0] === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) {
    // No command is a usage error: the text goes to standard error, standard output stays empty.
    process.stderr.write(`${USAGE}\n`);
    return EXIT.usage;
  }
  const opts: Options = {
    config: values.config ?? 'api-auth.json',
    json: values.json ?? false,
    secretStdin: values['secret-stdin'] ?? false,
    totp: values.totp,
    data: values.data,
    params: values.params,
    secrets,
    found,
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
  const { connections, invalid } = parseConnections(ADAPTERS, list);
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
  opts.found.conn = conn;
  return conn;
}

// ---- secrets ------------------------------------------------------------------------------------

async function readSecret(conn: ConnectionConfig, opts: Options): Promise<string> {
  const label = ADAPTERS[conn.vendor].secretLabel(conn.auth ?? ADAPTERS[conn.vendor].authKinds[0]);
  if (opts.secretStdin) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    const s = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
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

/** A prompt needs a terminal to read the keys from and one to show the question on. */
function canPrompt(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** What {@link promptHidden} reads keys from: a TTY read stream (process.stdin), or a stand-in for tests. */
export interface KeyInput extends EventEmitter {
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Keys typed after an Enter (a paste of "password⏎code⏎"): kept for the next prompt instead of lost. */
let typeahead = '';

/**
 * Reads one line from a terminal without echoing it. The terminal goes into raw mode, the question is written and
 * stays on the screen (nothing erases it: no readline), and the keys are read one by one; nothing is echoed (the
 * Unix convention for passwords: not even '*'). Enter ends the line; Backspace deletes the last character and
 * Ctrl+U the whole line; Ctrl+D on an empty line cancels (resolves null); Ctrl+C rejects with {@link Interrupted};
 * arrow keys, other escape sequences and control keys are ignored. A newline is written at the end, and the
 * terminal's mode is restored on every path (Enter, Ctrl+C, Ctrl+D, end of input, a read error).
 */
export function promptHidden(question: string, input: KeyInput = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const wasRaw = input.isRaw === true;
    const decoder = new StringDecoder('utf8');
    let chars: string[] = [];
    /** Inside an escape sequence: after ESC, inside CSI (ESC [ … final byte), or SS3 (ESC O x). */
    let escape: '' | 'esc' | 'csi' | 'ss3' = '';
    let done = false;

    const finish = (error: Error | null, value: string | null, rest = ''): void => {
      if (done) return;
      done = true;
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onError);
      try {
        if (input.setRawMode) input.setRawMode(wasRaw);
      } finally {
        input.pause();
        typeahead = rest.replace(/^\n/, ''); // a terminal that sends CR LF for Enter: the LF is not the next line
        output.write('\n');
        if (error) reject(error);
        else resolve(value);
      }
    };
    const onEnd = (): void => finish(null, null);
    const onError = (e: Error): void => finish(e, null);
    const feed = (text: string): void => {
      const keys = Array.from(text); // code points, so Backspace removes a whole character
      for (let i = 0; i < keys.length && !done; i++) {
        const k = keys[i];
        if (escape === 'esc') {
          escape = k === '[' ? 'csi' : k === 'O' ? 'ss3' : ''; // ESC + another key (Alt+key): both ignored
          continue;
        }
        if (escape === 'ss3') {
          escape = '';
          continue;
        }
        if (escape === 'csi') {
          if (k >= '\x40' && k <= '\x7e') escape = ''; // the final byte
          continue;
        }
        switch (k) {
          case '\r':
          case '\n':
            finish(null, chars.join(''), keys.slice(i + 1).join(''));
            return;
          case '\x03': // Ctrl+C
            finish(new Interrupted(), null);
            return;
          case '\x04': // Ctrl+D: cancels on an empty line, like end of input; ignored after some characters
            if (chars.length === 0) finish(null, null);
            continue;
          case '\x7f': // Backspace (DEL)
          case '\b': // Ctrl+H
            chars.pop();
            continue;
          case '\x15': // Ctrl+U
            chars = [];
            continue;
          case '\x1b':
            escape = 'esc';
            continue;
        }
        if (k < ' ' || (k >= '\x80' && k <= '\x9f')) continue; // other control keys
        chars.push(k);
      }
    };
    const onData = (chunk: Buffer | string): void => {
      try {
        feed(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      } catch (e) {
        finish(e instanceof Error ? e : new Error(String(e)), null);
      }
    };

    // Raw mode first, then the question: whatever is typed once the question shows is never echoed.
    try {
      if (input.setRawMode) input.setRawMode(true);
    } catch (e) {
      done = true;
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    output.write(question);
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    const pending = typeahead;
    typeahead = '';
    if (pending) feed(pending);
    if (!done) input.resume();
  });
}

/** The line for a login that needs a two-factor code the CLI cannot ask for, or that was not entered. */
function twoFactorLine(conn: DescribedConnection, why: string): string {
  return `Connection "${conn.label || conn.id}": ${why}; retry with --totp CODE (the current code from your authenticator app).`;
}

/** A manager whose secret is read once (stdin can only be read once) and reused for re-logins. */
function managerFor(conn: ConnectionConfig, opts: Options): { manager: SessionManager; secret: () => Promise<string> } {
  let cached: Promise<string> | undefined;
  const secret = (): Promise<string> =>
    (cached ??= readSecret(conn, opts).then((s) => {
      opts.secrets.push(...secretForms(s, conn.username));
      return s;
    }));
  const manager = new SessionManager({
    adapters: ADAPTERS,
    getSecret: secret,
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

/** Writes one line to standard output with every known secret scrubbed from it. */
function print(opts: Options, line: string): void {
  process.stdout.write(`${scrubSecrets(line, opts.secrets)}\n`);
}

/**
 * The session as JSON. Session tokens the server issued (JWT, visa, QSDK, cookie) are printed — that is what
 * `login --json` is for; a credential that is the secret itself (Basic, API key) is printed masked.
 */
export function sessionJson(conn: ConnectionConfig, s: Session): Record<string, unknown> {
  const secrets = credentialSecrets(s);
  const hide = <T extends string | null>(v: T): T => (v === null || secrets.length === 0 ? v : (scrubSecrets(v, secrets) as T));
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
  let expiry: string;
  if (s.expiresAt !== null) {
    expiry = `expires ${new Date(s.expiresAt).toISOString()} (${formatRemaining(left)} left; ${EXPIRY_REASON_TEXT[s.expiresBecause]})`;
  } else if (s.expiresBecause === 'unknown') {
    // IPCortex: the protocol documents no session lifetime. Say so, and how to get a countdown anyway.
    const what = s.attach.kind === 'cookie' ? 'session cookie' : 'session token';
    expiry = `${what}; its lifetime is not documented, so no countdown (set lifetimeSeconds in the connection for an idle timeout)`;
  } else {
    expiry = EXPIRY_REASON_TEXT[s.expiresBecause];
  }
  const refresh = s.refreshExpiresAt ? `; refresh token until ${new Date(s.refreshExpiresAt).toISOString()}` : '';
  return `Logged in to "${name}" (${ADAPTERS[s.vendor].displayName})${who}: ${expiry}${refresh}.`;
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/**
 * Everything about a REST call that can be wrong without asking the server is checked before any secret is read:
 * nobody should type a password for a call that was never going to be sent.
 */
async function requestCommand(args: string[], opts: Options): Promise<number> {
  const [id, method, path, ...extra] = args;
  const conn = findConnection(opts, id);
  if (!method || !path) throw new UsageError('usage: api-auth request ID METHOD PATH [--data JSON]');
  if (conn.vendor === 'cove') throw new UsageError(`"${conn.id}" is a Cove connection: use api-auth rpc ${conn.id} METHOD [--params JSON]`);
  if (extra.length) throw new UsageError(`unexpected argument "${truncate(extra[0], 40)}" after PATH (quote a --data body: --data '{"a":1}')`);
  if (opts.params !== undefined) throw new UsageError('--params is for api-auth rpc; a REST request takes --data JSON');
  const m = method.toUpperCase();
  if (!HTTP_METHODS.includes(m)) throw new UsageError(`unsupported HTTP method "${truncate(method, 20)}" (use ${HTTP_METHODS.join(', ')})`);
  checkPath(path);
  const body = opts.data === undefined ? undefined : parseJsonOption('--data', opts.data);
  return sendAndPrint(conn, opts, { kind: 'rest', method: m, path, ...(body === undefined ? {} : { body }) });
}

/** PATH is joined to the connection's baseUrl: a full URL would send the session's credentials elsewhere. */
function checkPath(path: string): void {
  const shown = truncate(path, 60);
  if (!path.startsWith('/') || path.startsWith('//')) {
    throw new UsageError(`PATH must start with "/" (a path under the connection's baseUrl, not a full URL), got "${shown}"`);
  }
  if (/\s/.test(path) || Array.from(path).some((c) => c < ' ' || c === '\x7f')) {
    throw new UsageError(`PATH must not contain spaces or control characters (percent-encode them), got ${JSON.stringify(shown)}`);
  }
}

async function rpcCommand(args: string[], opts: Options): Promise<number> {
  const [id, method, ...extra] = args;
  const conn = findConnection(opts, id);
  if (!method) throw new UsageError('usage: api-auth rpc ID METHOD [--params JSON]');
  if (conn.vendor !== 'cove') throw new UsageError(`"${conn.id}" is not a JSON-RPC (Cove) connection: use api-auth request`);
  if (extra.length) throw new UsageError(`unexpected argument "${truncate(extra[0], 40)}" after METHOD (pass the parameters as --params JSON)`);
  if (opts.data !== undefined) throw new UsageError('--data is for api-auth request; a JSON-RPC call takes --params JSON');
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(method)) throw new UsageError(`"${truncate(method, 40)}" is not a JSON-RPC method name (e.g. EnumeratePartners)`);
  const params = opts.params === undefined ? {} : parseJsonOption('--params', opts.params);
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new UsageError('--params must be a JSON object of named parameters, e.g. --params \'{"parentPartnerId":0}\'');
  }
  return sendAndPrint(conn, opts, { kind: 'rpc', method, params });
}

function parseJsonOption(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${name} is not valid JSON (${(e as Error).message})`);
  }
}

/**
 * Logs in, sends one call, prints it. A one-shot call leaves no session open on the server: where the vendor has a
 * logout (Commvault, IPCortex) the CLI logs out afterwards, as the server's session count is often limited. Use
 * `api-auth login --json` for a token that stays valid.
 */
async function sendAndPrint(conn: ConnectionConfig, opts: Options, req: ExploreRequest): Promise<number> {
  const { manager, secret } = managerFor(conn, opts);
  await manager.login(conn, { secret: await secret(), ...(opts.totp ? { totp: opts.totp } : {}) });
  let result;
  try {
    result = await manager.request(conn, req);
  } finally {
    // Best effort: a failed logout changes nothing about the call's outcome.
    await manager.logout(conn).catch(() => undefined);
  }
  const { response, session } = result;
  // The answer is scrubbed of the secret too (and, for Basic / API key sessions, of the credential), in case a
  // server echoes it.
  opts.secrets.push(...credentialSecrets(session));
  const rpcError = req.kind === 'rpc' ? jsonRpcError(response.body) : null;
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
  } else if (!rpcError) {
    print(opts, `HTTP ${response.status} ${response.statusText} (${response.durationMs} ms)`);
    print(opts, typeof response.body === 'string' ? response.body : JSON.stringify(response.body, null, 2));
  }
  if (rpcError) {
    // A JSON-RPC error arrives with HTTP 200: without this line (and exit 6) a script would take it for success.
    const data = rpcError.data === undefined ? '' : ` (Cove code ${JSON.stringify(rpcError.data)})`;
    const said = rpcError.message ? ` (server said: "${truncate(rpcError.message, 200)}")` : '';
    process.stderr.write(
      `api-auth: ${scrubSecrets(`Connection "${conn.label || conn.id}": the call ${req.method} failed with JSON-RPC error ${JSON.stringify(rpcError.code ?? null)}${data}${said}; check the method name and its params.`, opts.secrets)}\n`,
    );
    return EXIT.protocol;
  }
  return response.status >= 400 ? EXIT.protocol : EXIT.ok;
}

/** The `error` member of a JSON-RPC answer, when it has one that is not null. */
function jsonRpcError(body: unknown): { code?: unknown; data?: unknown; message?: string } | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const e = (body as { error?: unknown }).error;
  if (e === undefined || e === null) return null;
  if (typeof e !== 'object' || Array.isArray(e)) return { message: typeof e === 'string' ? e : JSON.stringify(e) };
  const o = e as Record<string, unknown>;
  return { code: o.code, ...(o.data === undefined ? {} : { data: o.data }), ...(typeof o.message === 'string' ? { message: o.message } : {}) };
}

function listCommand(opts: Options): number {
  const conns = loadConnections(opts.config);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(conns)}\n`);
    return EXIT.ok;
  }
  for (const c of conns) {
    process.stdout.write(`${c.id}\t${ADAPTERS[c.vendor].displayName}\t${c.auth ?? ADAPTERS[c.vendor].authKinds[0]}\t${c.baseUrl}\n`);
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
  const found: { conn?: ConnectionConfig } = {};
  try {
    return await main(argv, secrets, found);
  } catch (e) {
    if (e instanceof Interrupted) return EXIT.interrupted; // the prompt has ended its line already
    if (e instanceof UsageError) {
      process.stderr.write(`api-auth: ${scrubSecrets(e.message, secrets)}\n`);
      return EXIT.usage;
    }
    if (e instanceof CliError) {
      process.stderr.write(`api-auth: ${scrubSecrets(e.message, secrets)}\n`);
      return e.exitCode;
    }
    process.stderr.write(`api-auth: ${scrubSecrets(describeFailure(e, found.conn ?? connectionFromArgs(argv)), secrets)}\n`);
    return isAuthError(e) ? EXIT_BY_KIND[e.kind] : EXIT.protocol;
  }
}

/**
 * The one line for a failure. A two-factor demand that reaches here could not be answered at a prompt (no terminal,
 * or --secret-stdin) or the code given was rejected: the way forward from a command line is --totp.
 */
function describeFailure(e: unknown, conn: DescribedConnection): string {
  if (isAuthError(e) && e.kind === 'twoFactorRequired') {
    const server = e.details.serverMessage ? ` (server said: "${truncate(e.details.serverMessage, 200)}")` : '';
    return twoFactorLine(conn, `${e.message.replace(/[.\s]+$/, '')}${server}`);
  }
  return describeError(e, conn);
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

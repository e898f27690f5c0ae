// What `request` and `rpc` share: reading a JSON option, and sending one call in a fresh session and printing it.
import { errorMessage, serverSaidWording } from '../../core/errors';
import { MASKED, maskBody, maskedNote } from '../../core/mask';
import { redactHeaders } from '../../core/redact';
import type { ApiResponse, ConnectionConfig, ExploreRequest } from '../../core/types';
import type { Options } from '../args';
import { EXIT, UsageError } from '../exit';
import { managerFor } from '../manager';
import { credentialSecrets, print, printBlock, printError, scrubJson, sessionJson } from '../output';
import { stringifyForTerminal } from '../../core/untrusted';
import { toApiResponse } from '../../core/http';
import { callOrFail, gatewayFailure, type ViaGateway } from '../viaGateway';
import { ours, outside, wording } from '../../core/wording';

/** The value of --data or --params (`name`), parsed as JSON. */
export function parseJsonOption(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${name} is not valid JSON (${errorMessage(e)})`);
  }
}

/**
 * Logs in, sends one call, prints it. A one-shot call leaves no session open on the server: where the vendor has a
 * logout (Commvault, IPCortex) the CLI logs out afterwards, as the server's session count is often limited. Use
 * `api-auth login --json` for a token that stays valid.
 */
export async function sendAndPrint(conn: ConnectionConfig, opts: Options, req: ExploreRequest): Promise<number> {
  const { manager, login } = managerFor(conn, opts);
  await login();
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
  return printAnswer(conn, opts, req, response, sessionJson(conn, session, opts.secrets));
}

/**
 * Prints one answer as `request` / `rpc` do (status line and body, or --json), the same whether the CLI logged in
 * itself or the window's gateway sent the call (`session` is then null: the gateway keeps the session). Exit 6 for
 * an HTTP error status or a JSON-RPC error.
 */
export function printAnswer(
  conn: Pick<ConnectionConfig, 'id' | 'label'>,
  opts: Options,
  req: ExploreRequest,
  response: ApiResponse,
  session: Record<string, unknown> | null,
): number {
  const rpcError = req.kind === 'rpc' ? jsonRpcError(response.body) : null;
  // Secret-named fields (a server's own config: passwords, signing secrets) are masked unless --raw asks otherwise.
  const masked = opts.raw ? { value: response.body, count: 0 } : maskBody(response.body);
  if (opts.raw) printError(opts.secrets, ours('--raw: printing the answer as it came; secret-named fields in it are not masked'));
  if (opts.json) {
    // Scrubbed where the server's text stands, before it is written: the CLI's own names around it stay whole.
    const out = {
      status: response.status,
      statusText: scrubJson(response.statusText, opts.secrets),
      durationMs: response.durationMs,
      headers: scrubJson(redactHeaders(response.headers), opts.secrets),
      body: scrubJson(masked.value, opts.secrets),
      maskedFields: masked.count,
      session,
    };
    print(opts.secrets, ours(stringifyForTerminal(out)));
  } else if (!rpcError) {
    print(opts.secrets, wording`HTTP ${response.status} ${outside(response.statusText)} (${response.durationMs} ms)`);
    // The body is the server's: a text body (XML, plain) keeps its lines but shows every other control.
    printBlock(opts.secrets, typeof masked.value === 'string' ? masked.value : stringifyForTerminal(masked.value, 2));
  }
  if (masked.count && !opts.json) {
    printError(opts.secrets, ours(`${maskedNote(masked.count)} (shown as ${MASKED}); --raw prints the answer as it came`));
  }
  if (rpcError) {
    // A JSON-RPC error arrives with HTTP 200: without this line (and exit 6) a script would take it for success.
    const data = rpcError.data === undefined ? '' : wording` (Cove code ${outside(stringifyForTerminal(rpcError.data))})`;
    printError(
      opts.secrets,
      wording`Connection "${conn.label || conn.id}": the call ${req.method} failed with JSON-RPC error ${outside(JSON.stringify(rpcError.code ?? null))}${data}${serverSaidWording(rpcError.message)}; check the method name and its params.`,
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

/**
 * Sends one call through the window's gateway (its session, renewed there; no login here) and prints the answer as
 * {@link sendAndPrint} does. The gateway's own refusals and the engine's errors become the CLI's failure line.
 */
export async function sendViaGateway(via: ViaGateway, opts: Options, req: ExploreRequest): Promise<number> {
  const base = `/${encodeURIComponent(via.conn.id)}`;
  let reply;
  if (req.kind === 'rpc') {
    reply = await callOrFail(via, 'POST', `${base}/`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: req.method, params: req.params ?? {} }));
  } else {
    const path = req.path.startsWith('/') ? req.path : `/${req.path}`;
    const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    reply = await callOrFail(via, req.method, `${base}${path}`, body);
  }
  const failure = gatewayFailure(via, reply);
  if (failure) throw failure;
  const { status, statusText, headers, text, durationMs } = reply;
  const response = toApiResponse({ status, statusText, headers, setCookie: [], text, contentType: headers['content-type'] ?? '', durationMs });
  return printAnswer(via.conn, opts, req, response, null);
}

// The HTTP layer every adapter uses: one axios instance per connection, errors mapped to AuthError kinds,
// bodies read as bytes and decoded as UTF-8 text (as axios's 'text' does) so that HTML pages and non-JSON answers are
// reported as such, while the auth gateway can pass a binary answer on byte for byte.
import axios, { type AxiosInstance, type AxiosRequestConfig, type RawAxiosRequestHeaders } from 'axios';
import * as http from 'node:http';
import * as https from 'node:https';
import { parseHttpDate, type ServerDateReading } from './clockSkew';
import { AuthError, truncate } from './errors';
import { type CancelSignal, Deadline } from './deadline';
import { resolveOnOrigin } from './origin';
import { answeredByProxy, type ProxySetting, proxyOfClient, proxyRefusal, proxyTransportError } from './proxy';
import { throughProxy } from './proxyTunnel';
import { MAX_JSON_DEPTH, jsonDeeperThan } from './jsonDepth';
import { loadTlsMaterial } from './tlsMaterial';
import { tlsTransport } from './tlsTransport';
import { type TransportLimits, mapTransportError, redirectError, timeoutError } from './transportErrors';
import { type ApiResponse, type Clock, type ConnectionConfig, DEFAULT_MAX_RESPONSE_BYTES } from './types';
import { outside, type Wording, wording } from './wording';

export { mapTransportError, redirectError } from './transportErrors';
import { traceWording } from './trace';
export { TRACE_BODY_MAX, traceLine, traceWording } from './trace';

export const DEFAULT_TIMEOUT_MS = 15_000;

/** Everything an adapter needs from outside: HTTP, time, cancellation and a (redacting) trace log. */
export interface AdapterContext {
  http: AxiosInstance;
  clock: Clock;
  signal?: CancelSignal;
  /** Receives redacted one-line traces of each exchange (the sink scrubs the known secrets from the outside parts). */
  trace?: (line: Wording) => void;
  /**
   * Receives each answer's `Date` header (ms) with {@link clock}'s time at the middle of the exchange, so that the
   * engine can tell how far the server's clock is from this computer's (src/core/clockSkew.ts).
   */
  onServerDate?: (reading: ServerDateReading) => void;
}

export interface RawResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  /** Set-Cookie lines, kept apart because they are a list. */
  setCookie: string[];
  /** The body decoded as UTF-8 (a leading byte-order mark dropped), as every adapter reads it. */
  text: string;
  /** The body's bytes as they came (after decompression): what the auth gateway passes on for a binary answer. */
  bytes?: Buffer;
  contentType: string;
  durationMs: number;
  /** The URL asked (a relative Location is resolved against it). */
  url?: string;
}

/** The HTTP methods a request may use ({@link httpMethod} accepts only these). */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

export interface HttpRequest {
  method: (typeof HTTP_METHODS)[number];
  url: string;
  headers?: RawAxiosRequestHeaders;
  /** A string or bytes are sent as they are (bytes: a binary body the auth gateway passes on); anything else is JSON-encoded by the caller before. */
  data?: string | Buffer;
}

/**
 * One request as an adapter puts it on the wire: what its `request` sends and what Copy as curl shows.
 * `authHeader` names the header that carries the credential, if one does.
 */
export interface WireRequest extends HttpRequest {
  headers: Record<string, string>;
  authHeader?: string;
}

/** How a client is made beyond the connection's own settings. */
export interface HttpClientOptions {
  /** Unlocks an encrypted client key or PKCS#12 file (a secret: never logged). */
  passphrase?: string;
  /**
   * true (default): own keep-alive agents. false: Node's global agents, so that inside VS Code its network patch
   * (proxy, system certificates) applies; the TLS fields still ride on each request.
   */
  ownAgents?: boolean;
  /** The proxy to send through (the CLI's choice: src/core/proxy.ts resolveProxy); false or absent: direct. */
  proxy?: ProxySetting | false;
}

/** What {@link send} needs to know of a client made by {@link createHttpClient}. */
const LIMITS = new WeakMap<AxiosInstance, TransportLimits>();

/**
 * Our agents' keep-alive: axios sets TCP keep-alive to 60 s on the socket of every request, and an agent sets its own
 * `keepAliveMsecs` (1 s by default) each time the socket goes back to the pool. Node skips the system call when the
 * value is unchanged, so the same 60 s here saves two `setsockopt` calls per request (4 % of the gateway's CPU).
 */
const KEEP_ALIVE: http.AgentOptions = { keepAlive: true, keepAliveMsecs: 60_000 };

/**
 * Builds the axios instance for one connection: deadline and size limits, TLS trust and client certificate, the
 * proxy the caller resolved, no redirects. Reads the connection's TLS files now: a missing or unusable file (or a
 * key that needs a passphrase) throws `AuthError('config')` before anything is sent.
 */
export function createHttpClient(conn: Pick<ConnectionConfig, 'timeoutMs' | 'tls' | 'maxResponseBytes'>, opts: HttpClientOptions = {}): AxiosInstance {
  const tlsOptions = loadTlsMaterial(conn.tls, opts.passphrase);
  const timeoutMs = conn.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxResponseBytes = conn.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const ownAgents = opts.ownAgents !== false;
  // Through a proxy, https:// requests take the CONNECT tunnel (which does the TLS handshake with the request's TLS
  // fields); otherwise own keep-alive agents, or none inside VS Code.
  const httpsAgent = opts.proxy ? throughProxy(opts.proxy) : ownAgents ? new https.Agent(KEEP_ALIVE) : undefined;
  const client = axios.create({
    // No axios timeout: send()'s one deadline covers connect, headers and the whole body (axios's would only re-arm
    // a socket timer on every request).
    proxy: opts.proxy || false,
    maxRedirects: 0,
    // Counted by axios after decompression; past it the stream is destroyed (a gzip bomb stops there).
    maxContentLength: maxResponseBytes,
    responseType: 'text',
    transformResponse: [(d: unknown) => d],
    validateStatus: () => true,
    transport: tlsTransport(tlsOptions),
    ...(ownAgents ? { httpAgent: new http.Agent(KEEP_ALIVE) } : {}),
    ...(httpsAgent ? { httpsAgent } : {}),
  });
  LIMITS.set(client, { timeoutMs, maxResponseBytes, clientCert: !!(tlsOptions.cert || tlsOptions.pfx) });
  return client;
}

/** The keep-alive agents of a client made by {@link createHttpClient}. */
function agentsOf(client: AxiosInstance): http.Agent[] {
  return [client.defaults.httpAgent, client.defaults.httpsAgent].filter((a): a is http.Agent => a instanceof http.Agent);
}

/**
 * Lets a replaced client go without cutting a request short: its idle keep-alive sockets close now, and a socket
 * still in use closes when its exchange ends (an agent keeps no free socket once `maxFreeSockets` is 0).
 */
export function retireHttpClient(client: AxiosInstance): void {
  for (const agent of agentsOf(client)) {
    agent.maxFreeSockets = 0;
    for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
  }
}

/** Closes every socket of a client made by {@link createHttpClient} at once, idle or in use (at shutdown). */
export function destroyHttpClient(client: AxiosInstance): void {
  for (const agent of agentsOf(client)) agent.destroy();
}

const AS_IT_IS = [(d: unknown) => d];

/**
 * Sends one request; never throws for an HTTP status, only for transport failures. One deadline (the connection's
 * timeout) covers connect, headers and the whole body: axios's own timeout does not bound a body that drips.
 */
export async function send(ctx: AdapterContext, req: HttpRequest): Promise<RawResponse> {
  const t0 = performance.now();
  const sentAt = ctx.onServerDate ? ctx.clock() : 0;
  const limits = LIMITS.get(ctx.http) ?? {
    timeoutMs: DEFAULT_TIMEOUT_MS,
    maxResponseBytes: ctx.http.defaults.maxContentLength ?? DEFAULT_MAX_RESPONSE_BYTES,
  };
  // Without a body there is no Content-Type: axios would otherwise add application/x-www-form-urlencoded to every
  // POST/PUT/PATCH (datarhei's Auth0 login is documented as a Bearer header "with no body"). `false` tells axios
  // not to send the header at all.
  const sent: RawAxiosRequestHeaders = { ...req.headers };
  if (req.data === undefined && !Object.keys(sent).some((h) => h.toLowerCase() === 'content-type')) sent['Content-Type'] = false;
  // The caller's signal is linked by hand: AbortSignal.any costs more per request than the whole of our own code.
  const deadline = new Deadline(limits.timeoutMs);
  if (ctx.signal?.aborted) deadline.cancel();
  else ctx.signal?.addEventListener('abort', deadline.cancel, { once: true });
  const cfg: AxiosRequestConfig = {
    method: req.method,
    url: req.url,
    headers: sent,
    data: req.data,
    // As it is: axios's default would trim a JSON-typed string, or JSON-encode one that does not parse (a body with a
    // byte-order mark, a client's own text through the gateway) into a quoted string.
    transformRequest: AS_IT_IS,
    // Bytes, decoded below: the same text as the client's 'text' gives, and the bytes for a binary answer too.
    responseType: 'arraybuffer',
    signal: deadline,
  };
  const proxy = proxyOfClient(ctx.http);
  let res;
  try {
    res = await ctx.http.request<unknown>(cfg);
  } catch (e) {
    // The deadline's abort is a timeout; the caller's own abort stays a cancel.
    const usual = deadline.expired && !ctx.signal?.aborted ? timeoutError(req.url, limits.timeoutMs) : mapTransportError(e, req.url, limits);
    const mapped = proxy ? proxyTransportError(e, proxy, usual) : usual;
    ctx.trace?.(wording`${outside(`${req.method} ${req.url}`)} → ${mapped.kind}: ${mapped.wording}`);
    throw mapped;
  } finally {
    deadline.clear();
    ctx.signal?.removeEventListener('abort', deadline.cancel);
  }
  const headers: Record<string, string> = {};
  let setCookie: string[] = [];
  for (const [k, v] of Object.entries(res.headers ?? {})) {
    if (v === undefined || v === null) continue;
    if (k.toLowerCase() === 'set-cookie') {
      setCookie = Array.isArray(v) ? v.map(String) : [String(v)];
      headers[k.toLowerCase()] = setCookie.join(', ');
    } else {
      headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    }
  }
  const serverMs = ctx.onServerDate ? parseHttpDate(headers.date) : null;
  if (serverMs !== null) ctx.onServerDate?.({ serverMs, localMs: (sentAt + ctx.clock()) / 2 });
  const bytes = Buffer.isBuffer(res.data) ? res.data : Buffer.from(typeof res.data === 'string' ? res.data : res.data == null ? '' : String(res.data));
  const text = utf8Text(bytes);
  const durationMs = Math.round(performance.now() - t0);
  const answer = { status: res.status, statusText: res.statusText ?? '', contentType: headers['content-type'] ?? '', fromProxy: answeredByProxy(res.request) };
  const refusal = proxy && proxyRefusal(answer, proxy, req.url);
  if (refusal) {
    ctx.trace?.(wording`${outside(`${req.method} ${req.url}`)} → ${refusal.kind}: ${refusal.wording}`);
    throw refusal;
  }
  ctx.trace?.(traceWording(req, res.status, durationMs, text));
  return {
    status: res.status,
    statusText: res.statusText ?? '',
    headers,
    setCookie,
    text,
    bytes,
    contentType: headers['content-type'] ?? '',
    durationMs,
    url: req.url,
  };
}

/** The body as text, as axios's responseType 'text' made it: UTF-8 (invalid bytes as U+FFFD), a leading BOM dropped. */
function utf8Text(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function looksLikeHtml(res: Pick<RawResponse, 'contentType' | 'text'>): boolean {
  return /text\/html/i.test(res.contentType) || /^\s*<(!doctype html|html)/i.test(res.text);
}

/**
 * Parses a JSON answer or throws a precise protocol/server error: 5xx → server, a redirect → protocol (naming where
 * it pointed), HTML page → protocol ("an HTML page, not JSON"), other text → protocol ("not JSON"), JSON nested
 * deeper than {@link MAX_JSON_DEPTH} → protocol (every later recursion over it would overflow the stack).
 */
export function parseJson(res: RawResponse, what: string): unknown {
  const redirect = redirectError(res, what, res.url);
  if (redirect) throw redirect;
  if (res.status >= 500) {
    throw new AuthError('server', wording`the server failed with HTTP ${res.status}${res.statusText ? wording` ${outside(res.statusText)}` : ''} on ${what}`, {
      status: res.status,
      serverMessage: looksLikeHtml(res) ? undefined : truncate(res.text.trim(), 200) || undefined,
    });
  }
  if (looksLikeHtml(res)) {
    throw new AuthError('protocol', `the server answered ${what} with an HTML page (HTTP ${res.status}), not JSON`, { status: res.status });
  }
  if (jsonDeeperThan(res.text)) {
    throw new AuthError('protocol', `the answer to ${what} is JSON nested deeper than ${MAX_JSON_DEPTH} levels`, { status: res.status });
  }
  try {
    return JSON.parse(res.text);
  } catch {
    const snippet = truncate(res.text.replace(/\s+/g, ' ').trim(), 60);
    throw new AuthError(
      'protocol',
      wording`the answer to ${what} is not JSON (HTTP ${res.status}${snippet ? wording`: "${outside(snippet)}"` : ', empty body'})`,
      {
        status: res.status,
      },
    );
  }
}

/**
 * The error for an answer that is not the expected 200 with JSON: {@link parseJson}'s precise one (5xx → `server`,
 * HTML page or not JSON → `protocol`), else `protocol` "unexpected HTTP <status> on <what>" with the server's words.
 */
export function unexpectedAnswer(res: RawResponse, what: string, serverMessage: string | undefined): AuthError {
  try {
    parseJson(res, what);
  } catch (e) {
    if (e instanceof AuthError) return e;
  }
  return new AuthError('protocol', `unexpected HTTP ${res.status} on ${what}`, { status: res.status, serverMessage });
}

/**
 * Joins a base URL and a path without doubling or losing slashes (the base's query is not kept). Never returns a URL
 * on another origin or above the base path: such a path is refused with AuthError `config` (src/core/origin.ts).
 */
export function joinUrl(base: string, path: string): string {
  return resolveOnOrigin(base, path);
}

/**
 * The body of an explored answer: parsed JSON when the answer is JSON, else the text as it came (XML and plain text
 * stay text; the viewer pretty-prints XML). By default the answer is JSON when its Content-Type says so or its text
 * starts with `{` or `[`. With `anyJson`, any text that parses counts (a bare `true` or `"text"` too), whatever the
 * Content-Type, except an HTML page, which always stays text.
 */
export function bodyOf(res: Pick<RawResponse, 'contentType' | 'text'>, opts: { anyJson?: boolean } = {}): unknown {
  const json = opts.anyJson ? !looksLikeHtml(res) : /json/i.test(res.contentType) || /^\s*[[{]/.test(res.text);
  // Too deep to parse safely: kept as text (the views and the CLI show it as it came).
  if (!json || jsonDeeperThan(res.text)) return res.text;
  try {
    return JSON.parse(res.text) as unknown;
  } catch {
    return res.text;
  }
}

/** The explored answer as callers see it; `body` defaults to {@link bodyOf}. */
export function toApiResponse(res: RawResponse, ...given: [body: unknown] | []): ApiResponse {
  // Parsed when first read: the gateway passes answers on as bytes and never reads it (a large JSON answer was parsed
  // for nothing on every request). An own enumerable getter: spread, JSON and structured clone all read it.
  let parsed: [unknown] | undefined = given.length ? [given[0]] : undefined;
  return {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
    get body() {
      parsed ??= [bodyOf(res)];
      return parsed[0];
    },
    rawBody: res.text,
    ...(res.bytes ? { bytes: res.bytes } : {}),
    contentType: res.contentType,
    durationMs: res.durationMs,
  };
}

/** A checked HTTP method from what a user typed. */
export function httpMethod(method: string): HttpRequest['method'] {
  const m = method.toUpperCase() as HttpRequest['method'];
  if (!HTTP_METHODS.includes(m)) throw new AuthError('config', wording`unsupported HTTP method "${outside(truncate(method, 20))}"`);
  return m;
}

/**
 * A JSON REST request for an explored call: the user's headers (minus any Authorization of their own), a JSON body,
 * and the session's auth header put last so it always wins.
 */
export function jsonRestRequest(
  baseUrl: string,
  req: { method: string; path: string; body?: unknown; headers?: Record<string, string> },
  auth: { name: string; value: string },
): WireRequest {
  const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
  let data: string | Buffer | undefined;
  if (req.body !== undefined) {
    // Bytes: a binary body the auth gateway passes on as it came.
    data = typeof req.body === 'string' || Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body);
    const type = Buffer.isBuffer(data) ? 'application/octet-stream' : 'application/json';
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = type;
  }
  for (const h of Object.keys(headers)) if (h.toLowerCase() === auth.name.toLowerCase()) delete headers[h];
  headers[auth.name] = auth.value;
  return { method: httpMethod(req.method), url: joinUrl(baseUrl, req.path), headers, data, authHeader: auth.name };
}

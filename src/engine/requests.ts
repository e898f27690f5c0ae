// Helpers around explored requests: where they may go, what is remembered (never a secret), how answers are displayed.
import { AuthError } from '../core/errors';
import { assertOnOrigin, resolveOnOrigin } from '../core/origin';
import { MASKED, maskBody, maskedNote } from '../core/mask';
import { maskToken, REDACTED, redactHeaders } from '../core/redact';
import type { ApiResponse, ConnectionConfig, ExploreRequest, Session } from '../core/types';
import { xml } from '../core/xml';
import { BoundedMemo } from '../core/memo';

const SECRET_KEY = /^(password|passwd|secret|token|visa|key|apikey|api_key|access_token|refresh_token|sessionid|session)$/i;

/**
 * Refuses, before any login or secret is asked for, an explored request whose URL would leave the connection's
 * server or base path (src/core/origin.ts says what is refused). A REST path is what the user, a recent request or a
 * sample gives; a JSON-RPC call (Cove) always goes to the baseUrl itself: its method and params are only in the body.
 */
export function checkRequestTarget(conn: Pick<ConnectionConfig, 'baseUrl'>, req: ExploreRequest): void {
  if (req.kind !== 'rest') return;
  if (typeof req.path !== 'string') throw new AuthError('config', 'the request has no path');
  resolveOnOrigin(conn.baseUrl, req.path);
}

/**
 * The last check before credentials leave: the URL an adapter put on the wire (what it sends, what Copy as curl shows)
 * is on the connection's origin and under its base path, whatever the adapter did with the path.
 */
export function checkWireTarget(conn: Pick<ConnectionConfig, 'baseUrl'>, wire: { url: string }): void {
  // NUL-free both when they pass (see resolveOnOrigin): a safe separator. Only passes are remembered.
  passedWireTargets.get(`${conn.baseUrl}\0${wire.url}`, () => void assertOnOrigin(conn.baseUrl, wire.url));
}

/** Wire URLs that passed {@link checkWireTarget} for a base: the same few repeat on every request. */
const passedWireTargets = new BoundedMemo<void>(512, 2048);

/** Whether a request (a remembered one, say) passes {@link checkRequestTarget}. */
export function staysOnOrigin(conn: Pick<ConnectionConfig, 'baseUrl'>, req: ExploreRequest): boolean {
  try {
    checkRequestTarget(conn, req);
    return true;
  } catch {
    return false;
  }
}

/** Deep copy with values of secret-named keys replaced, so remembered requests hold no secret. */
export function stripSecrets(req: ExploreRequest): ExploreRequest {
  const clean = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(clean);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET_KEY.test(k) && typeof x === 'string' ? REDACTED : clean(x)]));
    }
    return v;
  };
  return req.kind === 'rpc'
    ? { kind: 'rpc', method: req.method, ...(req.params === undefined ? {} : { params: clean(req.params) }) }
    : { kind: 'rest', method: req.method, path: req.path, ...(req.body === undefined ? {} : { body: clean(req.body) }) };
}

/** Indented XML for display (fast-xml-parser, order and attributes kept); the text as is when it is not XML. */
export function prettyXml(text: string): string {
  try {
    const opts = { ignoreAttributes: false, preserveOrder: true, attributeNamePrefix: '@_', commentPropName: '#comment' };
    const tree = new (xml().XMLParser)(opts).parse(text) as unknown;
    const out = new (xml().XMLBuilder)({ ...opts, format: true, indentBy: '  ', suppressEmptyNode: true }).build(tree) as string;
    return out.trim() || text;
  } catch {
    return text;
  }
}

/**
 * A vendor's sample call made concrete for a connection: the placeholder strings `{partner}` (the connection's
 * partner name) and `{partnerId}` (the logged-in user's partner id, from the login answer) are filled in.
 */
export function fillSample(req: ExploreRequest, conn: ConnectionConfig, session?: Session): ExploreRequest {
  const partnerId = Number(session?.user?.detail?.PartnerId);
  const fill = (v: unknown): unknown => {
    if (v === '{partner}') return conn.partner ?? '';
    if (v === '{partnerId}') return Number.isFinite(partnerId) ? partnerId : 0;
    if (Array.isArray(v)) return v.map(fill);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return req.kind === 'rpc'
    ? { ...req, ...(req.params === undefined ? {} : { params: fill(req.params) }) }
    : { ...req, ...(req.body === undefined ? {} : { body: fill(req.body) }) };
}

/** Larger bodies are cut, with a note saying so. */
export const MAX_BODY_CHARS = 512 * 1024;

export function describe(req: ExploreRequest): string {
  return req.kind === 'rpc' ? req.method : `${req.method} ${req.path}`;
}

export type ResponseFormat = 'jsonc' | 'xml' | 'txt';

/** The document's extension, which picks its language: JSON with comments, XML, or plain text. */
export function responseFormat(res: ApiResponse): ResponseFormat {
  if (typeof res.body !== 'string') return 'jsonc';
  return /xml/i.test(res.contentType) ? 'xml' : 'txt';
}

/** How an answer is rendered: `raw` shows secret-named fields as they came (the Show Raw Answer document). */
export interface RenderOptions {
  raw?: boolean;
}

/** The command that shows an answer with its secret-named fields unmasked, as its title reads in the palette. */
export const SHOW_RAW_ANSWER = '"API Auth: Show Raw Answer"';

/** {@link renderResponseCounted}'s text. */
export function renderResponse(
  conn: ConnectionConfig,
  req: ExploreRequest,
  res: ApiResponse,
  secrets: readonly string[] = [],
  opts: RenderOptions = {},
): string {
  return renderResponseCounted(conn, req, res, secrets, opts).text;
}

/**
 * Status, timing and redacted headers as a comment block in the body's own syntax (so the JSON or XML stays valid
 * and shows no problems), then the pretty body, capped. Secret-named fields of the body (a server's config with its
 * passwords and signing secrets) are masked, and the head says how many and how to see them (unless `raw`). Tokens
 * of the session that the body repeats (Cove's new visa in every answer) are masked: Copy Token gives the full value.
 */
export function renderResponseCounted(
  conn: ConnectionConfig,
  req: ExploreRequest,
  res: ApiResponse,
  secrets: readonly string[] = [],
  opts: RenderOptions = {},
): { text: string; maskedFields: number } {
  const format = responseFormat(res);
  const fields = opts.raw ? { value: res.body, count: 0 } : maskBody(res.body);
  let body = typeof fields.value === 'string' ? (format === 'xml' ? prettyXml(fields.value) : fields.value) : JSON.stringify(fields.value, null, 2);
  let masked = false;
  for (const secret of new Set(secrets)) {
    if (!secret || !body.includes(secret)) continue;
    body = body.split(secret).join(maskToken(secret));
    masked = true;
  }
  const head = [
    `${conn.label || conn.id} — ${describe(req)}`,
    `HTTP ${res.status} ${res.statusText} · ${res.durationMs} ms`,
    '',
    ...Object.entries(redactHeaders(res.headers)).map(([k, v]) => `${k}: ${v}`),
    ...(fields.count ? ['', `${maskedNote(fields.count)} (shown as ${MASKED}); ${SHOW_RAW_ANSWER} shows the answer as it came.`] : []),
    ...(opts.raw ? ['', 'Raw answer: secret-named fields (passwords, secrets, tokens, keys) are shown as they came.'] : []),
    ...(masked ? ['', 'Tokens in the body are masked; "API Auth: Copy Token" copies the current one.'] : []),
  ];
  if (body.length > MAX_BODY_CHARS) {
    const note = `… body truncated: ${(body.length / 1024).toFixed(0)} KB, the first ${MAX_BODY_CHARS / 1024} KB are shown.`;
    body = `${body.slice(0, MAX_BODY_CHARS)}\n\n${commentBlock(format, [note])}`;
  }
  // An XML declaration must stay the first thing in the document.
  const decl = format === 'xml' ? (/^\s*<\?xml[^>]*\?>\s*/.exec(body)?.[0] ?? '') : '';
  return { text: `${decl.trim() ? `${decl.trim()}\n` : ''}${commentBlock(format, head)}\n\n${body.slice(decl.length)}\n`, maskedFields: fields.count };
}

function commentBlock(format: ResponseFormat, lines: string[]): string {
  if (format === 'jsonc') return lines.map((l) => (l ? `// ${l}` : '//')).join('\n');
  if (format === 'xml') return `<!--\n${lines.map((l) => (l ? `  ${l.replace(/--/g, '- -')}` : '')).join('\n')}\n-->`;
  return lines.join('\n');
}

// Commvault's two wire formats, JSON and XML (the connection's `format`): request bodies written in either, answers
// read in either (the answer's own shape decides), and the server's error words found in JSON, XML or plain text.
// The protocol: docs/protocols.md §2.
import { AuthError, truncate } from '../core/errors';
import { outside, wording } from '../core/wording';
import { type RawResponse, looksLikeHtml, parseJson, redirectError } from '../core/http';
import { redactText } from '../core/redact';
import type { ConnectionConfig } from '../core/types';
import { isRecord } from '../core/util';
import { xml } from '../core/xml';

export type Format = 'json' | 'xml';

export const MIME: Record<Format, string> = { json: 'application/json', xml: 'application/xml' };

const xmlParser = () => new (xml().XMLParser)({ ignoreAttributes: false, attributeNamePrefix: '' });
/** Scalars become attributes, objects child elements (the shape Commvault's XML requests use). */
const xmlBuilder = () =>
  new (xml().XMLBuilder)({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    suppressEmptyNode: true,
    suppressBooleanAttributes: false,
  });

/** The connection's wire format; JSON unless it says `xml`. */
export function formatOf(conn: ConnectionConfig): Format {
  return conn.format === 'xml' ? 'xml' : 'json';
}

/**
 * Parses a JSON or XML answer into a record (for XML: the root element, attributes and children as fields).
 * The answer's own shape decides the parser, so a server that answers JSON to an XML client still works.
 * 5xx → `server`; HTML page → `protocol`; anything else that parses as neither → `protocol`.
 */
export function parseAnswer(res: RawResponse, what: string, format: Format): Record<string, unknown> {
  // A redirect (never followed) and a 5xx: parseJson throws the precise error (where it pointed; the status).
  if (res.status >= 500 || redirectError(res, what)) parseJson(res, what);
  if (looksLikeHtml(res)) {
    throw new AuthError('protocol', `the server answered ${what} with an HTML page (HTTP ${res.status}), not ${format.toUpperCase()}`, {
      status: res.status,
    });
  }
  const trimmed = res.text.trim();
  if (/^[[{]/.test(trimmed) || (format === 'json' && !trimmed.startsWith('<'))) {
    const v = parseJson(res, what);
    if (!isRecord(v)) throw new AuthError('protocol', `the answer to ${what} is not a JSON object (HTTP ${res.status})`, { status: res.status });
    return v;
  }
  if (!trimmed.startsWith('<') || xml().XMLValidator.validate(trimmed) !== true) {
    const snippet = truncate(trimmed.replace(/\s+/g, ' '), 60);
    throw new AuthError(
      'protocol',
      wording`the answer to ${what} is not XML (HTTP ${res.status}${snippet ? wording`: "${outside(snippet)}"` : ', empty body'})`,
      {
        status: res.status,
      },
    );
  }
  const doc: unknown = xmlParser().parse(trimmed);
  const rootName = isRecord(doc) ? Object.keys(doc).find((k) => !k.startsWith('?')) : undefined;
  const root = rootName && isRecord(doc) ? doc[rootName] : undefined;
  if (isRecord(root)) return root;
  // An element with text only (`<Resp>text</Resp>`) or an empty one.
  return typeof root === 'string' ? { text: root } : {};
}

/** A text field; a number becomes its text (XML attributes and JSON numbers alike). */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A number field; numeric text counts (XML attributes are text). */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** JSON booleans, and XML attribute text "true"/"1". */
export function bool(v: unknown): boolean {
  return v === true || v === 1 || (typeof v === 'string' && /^(true|1)$/i.test(v.trim()));
}

/**
 * The first entry of `errList` (array in JSON, one object or an array in XML), else an `error` object (the shape the
 * SDK reads a failed renewal from: `{"error":{"errLogMessage":…,"errorCode":…}}`), else a top-level error pair.
 */
export function firstError(body: Record<string, unknown>): { message?: string; code?: string | number } {
  const list = body.errList;
  const listed = Array.isArray(list) ? list.find(isRecord) : isRecord(list) ? list : undefined;
  const first = listed ?? (isRecord(body.error) ? body.error : undefined);
  const src = first ?? body;
  const message = str(src.errLogMessage) ?? str(src.errorMessage) ?? str(src.errorString);
  const rawCode = src.errorCode;
  const code = num(rawCode) ?? str(rawCode);
  return { message: message?.trim() || undefined, code: (message ?? first) !== undefined ? code : undefined };
}

/** The server's words for an error answer that may be JSON, XML or plain text. */
export function serverWords(res: RawResponse, secrets: readonly string[] = []): string | undefined {
  if (looksLikeHtml(res)) return undefined;
  const t = res.text.trim();
  if (!t) return undefined;
  let msg: string | undefined;
  try {
    msg = firstError(parseAnswer(res, 'the call', t.startsWith('<') ? 'xml' : 'json')).message;
  } catch {
    msg = undefined;
  }
  return safe(msg ?? t, secrets);
}

/** The server's words made fit to show: one line, secrets scrubbed, at most 300 characters. */
export function safe(s: string | undefined, secrets: readonly string[] = []): string | undefined {
  if (!s) return undefined;
  return truncate(redactText(s.replace(/\s+/g, ' ').trim(), secrets), 300) || undefined;
}

/** A request body: JSON, or XML with the fields under `xmlRoot`. */
export function encodeBody(fields: Record<string, unknown>, format: Format, xmlRoot: string): string {
  return format === 'json' ? JSON.stringify(fields) : buildXml({ [xmlRoot]: fields });
}

/** XML text of `{ root: content }`, in the attribute-and-child shape of {@link xmlBuilder}. */
export function buildXml(doc: Record<string, unknown>): string {
  return xmlBuilder().build(doc);
}

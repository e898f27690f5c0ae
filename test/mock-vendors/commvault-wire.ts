// The wire format of the Commvault mock (commvault.ts): JSON or XML by the Accept header, request bodies in
// either, the Authtoken header, and the base64 password. Scalars go to XML attributes, as the real server does.
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import type { MockReply, MockRequest } from './types';
import { json } from './util';

export type Format = 'json' | 'xml';

const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
const xmlBuilder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

export function reply(status: number, format: Format, xmlRoot: string, value: Record<string, unknown>): MockReply {
  if (format === 'json') return json(status, value);
  // Scalars become attributes, objects and arrays of objects child elements; empty lists are left out.
  const body = `<?xml version="1.0" encoding="UTF-8" standalone="no" ?>${xmlBuilder.build({ [xmlRoot]: dropEmptyLists(value) })}`;
  return { status, headers: { 'content-type': 'application/xml; charset=utf-8' }, body };
}

function dropEmptyLists(v: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => !(Array.isArray(x) && x.length === 0)));
}

export function text(status: number, body: string): MockReply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

export function acceptFormat(req: MockRequest): Format {
  const accept = String(req.headers.accept ?? '');
  return /xml/i.test(accept) && !/json/i.test(accept) ? 'xml' : 'json';
}

export function authtoken(req: MockRequest): string | null {
  const v = req.headers.authtoken;
  const s = Array.isArray(v) ? v[0] : v;
  return s ? s : null;
}

/** JSON when the Content-Type says so, XML when it says XML (the root element's attributes), null otherwise. */
export function parseBody(body: string, contentType: string, xmlRoot: string | null): Record<string, unknown> | null {
  if (/json/i.test(contentType)) {
    try {
      const v: unknown = JSON.parse(body);
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  if (/xml/i.test(contentType)) {
    if (XMLValidator.validate(body) !== true) return null;
    const doc = xmlParser.parse(body) as Record<string, unknown>;
    const rootName = Object.keys(doc).find((k) => !k.startsWith('?'));
    if (!rootName || (xmlRoot && rootName !== xmlRoot)) return null;
    const root = doc[rootName];
    return typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : {};
  }
  return null;
}

/** Strict base64 → UTF-8; null when the text is not base64 (a plain password then fails like a wrong one). */
export function decodeBase64(s: string): string | null {
  if (!s || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  const buf = Buffer.from(s, 'base64');
  if (buf.toString('base64') !== s) return null;
  return buf.toString('utf8');
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

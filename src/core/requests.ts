// Helpers around explored requests: what is remembered (never a secret) and how XML answers are displayed.
import { REDACTED } from './redact';
import type { ExploreRequest } from './types';
import { xml } from './xml';

const SECRET_KEY = /^(password|passwd|secret|token|visa|key|apikey|api_key|access_token|refresh_token|sessionid|session)$/i;

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

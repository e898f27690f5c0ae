// Validation of connection entries. The extension's `authExplorer.connections` setting and the CLI's
// `api-auth.json` share this: bad entries are reported with their reason, never dropped silently, never a crash.
import type { Adapters } from '../core/adapter';
import { AUTH_KINDS, type AuthKind, authOf, type ConnectionConfig, VENDORS, type VendorId } from '../core/types';
import { isRecord } from '../core/util';

export interface ConfigProblem {
  /** Position in the list (0-based). */
  index: number;
  /** The entry's id when it has one. */
  id: string | null;
  label: string | null;
  problems: string[];
  /** Which list it is in, when there are several (the extension's "user settings" / "workspace settings"). */
  where?: string;
}

export interface ParsedConnections {
  connections: ConnectionConfig[];
  invalid: ConfigProblem[];
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Validates a raw list (from settings JSON or a file) against the vendors' adapters. */
export function parseConnections(adapters: Adapters, raw: unknown): ParsedConnections {
  const out: ParsedConnections = { connections: [], invalid: [] };
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) {
    out.invalid.push({ index: -1, id: null, label: null, problems: ['"connections" must be a list'] });
    return out;
  }
  const seen = new Set<string>();
  raw.forEach((entry, index) => {
    const problems = validateConnection(entry, adapters);
    const id = isRecord(entry) && typeof entry.id === 'string' ? entry.id : null;
    const label = isRecord(entry) && typeof entry.label === 'string' ? entry.label : null;
    if (id && seen.has(id)) problems.push(`the id "${id}" is used by an earlier connection`);
    if (id) seen.add(id);
    if (problems.length) out.invalid.push({ index, id, label, problems });
    else out.connections.push(normalize(entry as ConnectionConfig));
  });
  return out;
}

const STRING_FIELDS = ['label', 'username', 'partner', 'domain', 'commserver', 'deviceId', 'tokenPath'] as const;
/** Every field of a connection entry (the settings schema has additionalProperties: false, so does this). */
const KNOWN_FIELDS = [
  'id',
  'vendor',
  'baseUrl',
  'auth',
  'format',
  'apiKeyIn',
  'lifetimeSeconds',
  'timeoutMs',
  'tls',
  'keepAlive',
  'refreshLeadSeconds',
  'proxy',
  ...STRING_FIELDS,
];
const KNOWN_TLS_FIELDS = ['rejectUnauthorized', 'caFile'];

/** `"keepalive" is not a known field (did you mean "keepAlive"?)` — a typo must not be ignored silently. */
function unknownFields(entry: Record<string, unknown>, known: readonly string[], prefix = ''): string[] {
  return Object.keys(entry)
    .filter((k) => !known.includes(k))
    .map((k) => {
      const near = known.find((f) => f.toLowerCase() === k.toLowerCase().replace(/[-_ ]/g, ''));
      return `"${prefix}${k}" is not a known field${near ? ` (did you mean "${prefix}${near}"?)` : ''}`;
    });
}

/**
 * What a stored secret or session belongs to: the vendor, the server and the account. A secret stored for one
 * server is never sent to another that reuses the connection id (another workspace, an edited baseUrl).
 */
export function connectionBinding(conn: ConnectionConfig): string {
  return JSON.stringify([conn.vendor, conn.baseUrl.trim().replace(/\/+$/, ''), conn.username ?? '', authOf(conn)]);
}

/** Returns the problems of one entry as short phrases; empty when it is valid. */
export function validateConnection(entry: unknown, adapters: Adapters): string[] {
  if (!isRecord(entry)) return ['the entry is not an object'];
  const p: string[] = unknownFields(entry, KNOWN_FIELDS);
  if (typeof entry.id !== 'string' || !entry.id) p.push('"id" is missing');
  else if (!ID_PATTERN.test(entry.id)) p.push('"id" may only hold letters, digits, ".", "_" and "-" (at most 64)');
  if (typeof entry.vendor !== 'string' || !(VENDORS as readonly string[]).includes(entry.vendor)) {
    p.push(`"vendor" must be one of ${VENDORS.join(', ')}`);
  }
  if (typeof entry.baseUrl !== 'string' || !entry.baseUrl) {
    p.push('"baseUrl" is missing');
  } else {
    try {
      const u = new URL(entry.baseUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') p.push('"baseUrl" must start with http:// or https://');
    } catch {
      p.push(`"baseUrl" is not a valid URL`);
    }
  }
  for (const f of STRING_FIELDS) {
    if (entry[f] !== undefined && typeof entry[f] !== 'string') p.push(`"${f}" must be text`);
  }
  if (entry.timeoutMs !== undefined && !(typeof entry.timeoutMs === 'number' && entry.timeoutMs >= 100 && entry.timeoutMs <= 600_000)) {
    p.push('"timeoutMs" must be a number from 100 to 600000');
  }
  if (entry.lifetimeSeconds !== undefined && !(typeof entry.lifetimeSeconds === 'number' && entry.lifetimeSeconds > 0)) {
    p.push('"lifetimeSeconds" must be a positive number');
  }
  if (entry.refreshLeadSeconds !== undefined && !(typeof entry.refreshLeadSeconds === 'number' && entry.refreshLeadSeconds >= 0)) {
    p.push('"refreshLeadSeconds" must be zero or more');
  }
  if (entry.keepAlive !== undefined && typeof entry.keepAlive !== 'boolean') p.push('"keepAlive" must be true or false');
  if (entry.format !== undefined && entry.format !== 'json' && entry.format !== 'xml') p.push('"format" must be "json" or "xml"');
  if (entry.apiKeyIn !== undefined && entry.apiKeyIn !== 'body' && entry.apiKeyIn !== 'header') p.push('"apiKeyIn" must be "body" or "header"');
  if (entry.tls !== undefined) {
    if (!isRecord(entry.tls)) {
      p.push('"tls" must be an object');
    } else {
      p.push(...unknownFields(entry.tls, KNOWN_TLS_FIELDS, 'tls.'));
      if (entry.tls.rejectUnauthorized !== undefined && typeof entry.tls.rejectUnauthorized !== 'boolean') {
        p.push('"tls.rejectUnauthorized" must be true or false');
      }
      if (entry.tls.caFile !== undefined && typeof entry.tls.caFile !== 'string') p.push('"tls.caFile" must be a file path');
    }
  }
  if (p.length) return p;
  const vendor = entry.vendor as VendorId;
  const adapter = adapters[vendor];
  if (entry.auth !== undefined) {
    if (typeof entry.auth !== 'string' || !(AUTH_KINDS as readonly string[]).includes(entry.auth)) {
      p.push(`"auth" must be one of ${adapter.authKinds.join(', ')}`);
    } else if (!adapter.authKinds.includes(entry.auth as AuthKind)) {
      p.push(`"auth": ${adapter.displayName} supports ${adapter.authKinds.join(', ')}, not ${entry.auth}`);
    }
  }
  if (p.length) return p;
  // Only now is the entry a ConnectionConfig: the adapter checks its vendor's own rules, relying on all of the above.
  return adapter.validate(entry as unknown as ConnectionConfig);
}

function normalize(c: ConnectionConfig): ConnectionConfig {
  return { ...c, baseUrl: c.baseUrl.trim() };
}

/** One line for an invalid entry: `connections[2] "prod": "vendor" must be one of …`. */
export function describeProblem(p: ConfigProblem): string {
  const name = p.label || p.id;
  return `${p.where ? `${p.where}: ` : ''}connections[${p.index}]${name ? ` "${name}"` : ''}: ${p.problems.join('; ')}`;
}

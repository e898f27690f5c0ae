// Validation of connection entries. The extension's `authExplorer.connections` setting and the CLI's
// `api-auth.json` share this: bad entries are reported with their reason, never dropped silently, never a crash.
import type { Adapters } from '../core/adapter';
import { maskUrlCredentials } from '../core/origin';
import { AUTH_KINDS, type AuthKind, authOf, type ConnectionConfig, VENDORS, type VendorId } from '../core/types';
import { isRecord } from '../core/util';
import { parseProxyUrl } from '../core/proxy';

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
  'maxResponseBytes',
  'proxy',
  'tls',
  'keepAlive',
  'refreshLeadSeconds',
  'proxy',
  ...STRING_FIELDS,
];
const KNOWN_TLS_FIELDS = ['rejectUnauthorized', 'caFile', 'certFile', 'keyFile', 'pfxFile', 'servername'];
/** Largest `maxResponseBytes` accepted: 1 GiB (an answer is held in memory whole). */
export const MAX_RESPONSE_BYTES_LIMIT = 1024 * 1024 * 1024;
/** Query parameters that carry a secret: such a baseUrl would put it in every log line and curl command. */
const SECRET_PARAM =
  /^(password|passwd|pass|pwd|secret|client_secret|token|access_token|refresh_token|id_token|key|apikey|api_key|api-key|visa|auth|authtoken|sessionid|session)$/i;

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
  if (typeof entry.baseUrl !== 'string' || !entry.baseUrl) p.push('"baseUrl" is missing');
  else p.push(...baseUrlProblems(entry.baseUrl));
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
  const max = entry.maxResponseBytes;
  if (max !== undefined && !(typeof max === 'number' && Number.isInteger(max) && max >= 1 && max <= MAX_RESPONSE_BYTES_LIMIT)) {
    p.push(`"maxResponseBytes" must be a whole number of bytes from 1 to ${MAX_RESPONSE_BYTES_LIMIT} (1 GiB)`);
  }
  if (entry.proxy !== undefined) p.push(...proxyProblems(entry.proxy));
  if (entry.keepAlive !== undefined && typeof entry.keepAlive !== 'boolean') p.push('"keepAlive" must be true or false');
  if (entry.format !== undefined && entry.format !== 'json' && entry.format !== 'xml') p.push('"format" must be "json" or "xml"');
  if (entry.apiKeyIn !== undefined && entry.apiKeyIn !== 'body' && entry.apiKeyIn !== 'header') p.push('"apiKeyIn" must be "body" or "header"');
  if (entry.tls !== undefined) {
    if (!isRecord(entry.tls)) {
      p.push('"tls" must be an object');
    } else {
      // A passphrase is a secret: it is asked for and kept in secret storage, never written in settings.
      const { passphrase, ...rest } = entry.tls;
      if (passphrase !== undefined) {
        p.push('"tls.passphrase" does not belong in the settings: the passphrase is asked for when needed and kept in secret storage');
      }
      p.push(...unknownFields(rest, KNOWN_TLS_FIELDS, 'tls.'));
      p.push(...tlsProblems(entry.tls));
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

/**
 * A baseUrl that is a URL of the http(s) API and nothing more: no user name or password (axios would turn them into
 * an Authorization header replacing the vendor's own, and `api-auth list` would print them), no secret in the query,
 * no fragment (never sent). The password is never repeated: `https://user:***@host`.
 */
export function baseUrlProblems(raw: string): string[] {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return ['"baseUrl" is not a valid URL'];
  }
  const p: string[] = [];
  if (u.protocol !== 'http:' && u.protocol !== 'https:') p.push('"baseUrl" must start with http:// or https://');
  if (u.username || u.password) {
    p.push(
      `"baseUrl" must not hold a user name or password (${maskUrlCredentials(raw.trim())}): put the user name in "username"; the password is asked for and kept in secret storage`,
    );
  }
  const secrets = [...new Set([...u.searchParams.keys()].filter((k) => SECRET_PARAM.test(k)))];
  if (secrets.length) {
    p.push(`"baseUrl" must not carry a secret in its query (${secrets.map((k) => `"${k}"`).join(', ')}): secrets are asked for and kept in secret storage`);
  }
  if (raw.includes('#')) p.push('"baseUrl" must not have a fragment ("#…"): it is never sent to the server');
  return p;
}

/**
 * What the extension says of fields it does not use: `proxy` is the CLI's; in VS Code, VS Code's own proxy settings
 * apply (they are not ours to override).
 */
export function cliOnlyNotes(conns: readonly ConnectionConfig[]): string[] {
  return conns
    .filter((c) => c.proxy !== undefined)
    .map((c) => `connection "${c.id}": "proxy" is used by the api-auth CLI only; in VS Code the http.proxy and http.noProxy settings apply`);
}

/**
 * `proxy`: `false` (direct), or the proxy's address as the CLI reads it (src/core/proxy.ts parseProxyUrl: http://, or
 * host:port); never echoed (its password).
 */
export function proxyProblems(proxy: unknown): string[] {
  if (proxy === false) return [];
  const form = '"proxy" must be false or the proxy\'s address, http://[user:pass@]host:port';
  if (typeof proxy !== 'string') return [form];
  try {
    parseProxyUrl(proxy);
    return [];
  } catch {
    return [form];
  }
}

/** The client-certificate and SNI fields of `tls` (their types, and which go together). */
function tlsProblems(tls: Record<string, unknown>): string[] {
  const p: string[] = [];
  if (tls.rejectUnauthorized !== undefined && typeof tls.rejectUnauthorized !== 'boolean') p.push('"tls.rejectUnauthorized" must be true or false');
  for (const f of ['caFile', 'certFile', 'keyFile', 'pfxFile'] as const) {
    if (tls[f] !== undefined && (typeof tls[f] !== 'string' || !tls[f].trim())) p.push(`"tls.${f}" must be a file path`);
  }
  if (tls.certFile !== undefined && tls.keyFile === undefined) p.push('"tls.certFile" needs "tls.keyFile" (the private key of the certificate)');
  if (tls.keyFile !== undefined && tls.certFile === undefined) p.push('"tls.keyFile" needs "tls.certFile" (the certificate of the key)');
  if (tls.pfxFile !== undefined && (tls.certFile !== undefined || tls.keyFile !== undefined)) {
    p.push('"tls.pfxFile" holds the certificate and its key: give either it or "tls.certFile" + "tls.keyFile", not both');
  }
  if (tls.servername !== undefined) {
    const name = tls.servername;
    // SNI carries a host name only (RFC 6066): Node refuses an IP address there.
    if (typeof name !== 'string' || !/^(?=.*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/.test(name)) {
      p.push('"tls.servername" must be a host name (such as api.example.com), not an IP address or a URL');
    }
  }
  return p;
}

function normalize(c: ConnectionConfig): ConnectionConfig {
  return { ...c, baseUrl: c.baseUrl.trim() };
}

/** One line for an invalid entry: `connections[2] "prod": "vendor" must be one of …`. */
export function describeProblem(p: ConfigProblem): string {
  const name = p.label || p.id;
  return `${p.where ? `${p.where}: ` : ''}connections[${p.index}]${name ? ` "${name}"` : ''}: ${p.problems.join('; ')}`;
}

// Ready-made auth material for the clipboard: the header line and a working curl command per vendor.
// The curl line carries exactly what the vendor's adapter puts on the wire for the same request (method, URL,
// auth header / cookie / visa / API key, Accept and Content-Type, body bytes): both come from the adapter's `wire`,
// so a pasted line behaves like the extension's own call. test/unit/curl-run.test.ts runs the lines against the mock
// vendors and compares them with the adapter's requests.
import type { WireRequest } from '../core/http';
import type { ConnectionConfig, Session } from '../core/types';
import { checkWireTarget } from './requests';

/** POSIX shell single-quoting. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The auth as the vendor wants it, as one line: `Authorization: Bearer …`, `Authtoken: QSDK …`, `Cookie: Red60urne=…`,
 * for Cove the JSON-RPC field `"visa": "…"`, for an IPCortex body key `"auth": {"type":"auth","key":"…"}`. */
export function authLine(session: Session): string {
  const a = session.attach;
  switch (a.kind) {
    case 'header':
      return `${a.name}: ${a.value}`;
    case 'cookie':
      return `Cookie: ${a.name}=${a.value}`;
    case 'jsonrpc':
      return `"visa": ${JSON.stringify(a.value)}`;
    case 'body':
      return `"auth": ${JSON.stringify({ type: 'auth', key: a.value })}`;
  }
}

/**
 * A curl command that sends `w`, what the vendor's adapter puts on the wire (its `wire()`): `-k` when the
 * connection accepts untrusted certificates, `--cacert` for its CA file, `--cert`/`--key` (or `--cert-type P12
 * --cert`) for its client certificate — never the key's passphrase: curl asks for it —, the credential first (`-H` header or
 * `-b` cookie), then the other headers, the body as `--data-raw` (sent byte for byte, no `@file` reading), the URL.
 * A URL off the connection's server or base path is refused as the engine refuses to send it (AuthError `config`).
 */
export function curlCommand(conn: Pick<ConnectionConfig, 'tls' | 'baseUrl'>, w: WireRequest): string {
  checkWireTarget(conn, w);
  const parts = ['curl'];
  if (conn.tls?.rejectUnauthorized === false) parts.push('-k');
  if (conn.tls?.caFile) parts.push(`--cacert ${shellQuote(conn.tls.caFile)}`);
  // curl reads `--cert FILE:PASSWORD`: a colon in the path is escaped so that it stays part of the name.
  const certArg = (file: string): string => shellQuote(file.replace(/:/g, '\\:'));
  if (conn.tls?.pfxFile) parts.push(`--cert-type P12 --cert ${certArg(conn.tls.pfxFile)}`);
  else if (conn.tls?.certFile && conn.tls.keyFile) parts.push(`--cert ${certArg(conn.tls.certFile)} --key ${shellQuote(conn.tls.keyFile)}`);
  if (w.method === 'HEAD') parts.push('-I');
  // GET is curl's default, but --data alone would turn it into a POST.
  else if (w.method !== 'GET' || w.data !== undefined) parts.push(`-X ${w.method}`);
  // `-b` takes a cookie string only when it holds a `=` (else it is a cookie file name); `-H 'Name;'` sends an empty header.
  const header = (k: string, v: string): string =>
    k.toLowerCase() === 'cookie' && v.includes('=') ? `-b ${shellQuote(v)}` : `-H ${shellQuote(v === '' ? `${k};` : `${k}: ${v}`)}`;
  const names = Object.keys(w.headers);
  const auth = w.authHeader && names.includes(w.authHeader) ? w.authHeader : undefined;
  if (auth) parts.push(header(auth, w.headers[auth]));
  for (const k of names) if (k !== auth) parts.push(header(k, w.headers[k]));
  // Bytes come from the auth gateway only, which copies no curl line; shown as their UTF-8 reading all the same.
  if (w.data !== undefined) parts.push(`--data-raw ${shellQuote(typeof w.data === 'string' ? w.data : w.data.toString('utf8'))}`);
  parts.push(shellQuote(w.url));
  return parts.join(' ');
}

// Shared by the gateway suites: the renewal fixtures (loopback vendors on a test clock, a real SessionManager with
// ADAPTERS), a gateway started per test and stopped after it, and a raw HTTP client that sets any Host or target.
import * as http from 'node:http';
import type { ConnectionConfig } from '../../src/core/types';
import { type Gateway, type GatewayOptions, startGateway } from '../../src/engine/gateway';
import type { SessionManager } from '../../src/engine/manager';
import { useRenewal } from './manager-fixtures';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body's bytes as received (`text` is their UTF-8 reading). */
  bytes: Buffer;
}

/** One request to the gateway. `key: null` sends no key; `host` replaces the Host header; `path` is sent as is. */
export function call(
  gw: Gateway,
  method: string,
  path: string,
  opts: { key?: string | null; host?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: http.Agent } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { host: opts.host ?? `127.0.0.1:${gw.port}`, ...opts.headers };
  const key = opts.key === undefined ? gw.key : opts.key;
  if (key !== null) headers['x-api-auth-key'] = key;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: gw.port, method, path, headers, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: bytes.toString('utf8'), bytes });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** {@link useRenewal} plus `start(conns, opts)`: a gateway exposing `conns`, stopped after each test; `lines`: its log. */
export function useGateway() {
  const r = useRenewal();
  const lines: string[] = [];
  let gw: Gateway | undefined;
  const start = async (conns: ConnectionConfig[], opts: Partial<GatewayOptions> = {}, m: SessionManager = r.manager()) => {
    gw = await startGateway({ manager: m, connections: () => conns, exposed: conns.map((c) => c.id), log: (l) => lines.push(String(l)), ...opts });
    return { gw, m };
  };
  afterEach(async () => {
    await gw?.stop();
    gw = undefined;
    lines.length = 0;
  });
  return { ...r, start, lines };
}

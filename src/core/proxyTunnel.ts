// The CONNECT tunnel for https:// servers behind a proxy (CLI only): the https-proxy-agent that axios itself would
// build, with two changes.
//  - The TLS handshake with the server is ours: https-proxy-agent v5 sends the server's host as SNI even when it is
//    an IP address, which Node reports on standard error ("[DEP0123] Setting the TLS ServerName to an IP address").
//    Here SNI is sent for host names only, and the certificate is still checked against the host (name or IP), with
//    the connection's TLS fields (CA, rejectUnauthorized, client certificate …) that our transport puts on each
//    request (src/core/tlsTransport.ts) and agent-base hands to the callback.
//  - A refused CONNECT (407, 502 …) is marked on the request, so that its answer is known to be the proxy's.
// axios uses an agent given as httpsAgent as it is when it is an HttpsProxyAgent (the same module axios imports).
import type * as http from 'node:http';
import type * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import createHttpsProxyAgent from 'https-proxy-agent';
import { ANSWERED_BY_PROXY, type ProxySetting } from './proxy';

type Callback = InstanceType<typeof createHttpsProxyAgent.HttpsProxyAgent>['callback'];

/** The TLS fields of a request's options: what the handshake with the server behind the tunnel uses. */
const TLS_FIELDS = ['rejectUnauthorized', 'ca', 'cert', 'key', 'pfx', 'passphrase', 'servername'] as const;

/**
 * The agent for https:// requests through a proxy: a CONNECT tunnel. Its class is made on first use: the extension's
 * bundle, which never has a proxy of its own, has a stand-in for https-proxy-agent.
 */
export function throughProxy(proxy: ProxySetting): https.Agent {
  class Tunnel extends createHttpsProxyAgent.HttpsProxyAgent {
    override async callback(...[req, opts]: Parameters<Callback>): ReturnType<Callback> {
      // secureEndpoint false: https-proxy-agent opens the tunnel and hands back the plain socket.
      const socket = await super.callback(req, { ...opts, secureEndpoint: false });
      // A refused CONNECT gives a read-only stand-in that replays the proxy's answer.
      if (!socket.writable) {
        (req as http.ClientRequest & { [ANSWERED_BY_PROXY]?: boolean })[ANSWERED_BY_PROXY] = true;
        return socket;
      }
      const host = opts.host ?? 'localhost';
      const fields: tls.ConnectionOptions = {};
      for (const f of TLS_FIELDS) if ((opts as tls.ConnectionOptions)[f] !== undefined) Object.assign(fields, { [f]: (opts as tls.ConnectionOptions)[f] });
      const servername = fields.servername ?? host;
      return tls.connect({
        ...fields,
        socket,
        // Checked against the certificate (servername, else host); SNI only for a name (RFC 6066).
        host,
        servername: net.isIP(servername) ? undefined : servername,
        ALPNProtocols: ['http/1.1'],
      });
    }
  }
  return new Tunnel({
    protocol: 'http:',
    hostname: proxy.host,
    port: proxy.port,
    ...(proxy.auth ? { auth: `${proxy.auth.username}:${proxy.auth.password}` } : {}),
  }) as unknown as https.Agent;
}

// The axios `transport` of every client: the connection's TLS fields on each request, and errors tagged with where
// the exchange broke (during the TLS handshake, after the headers).
import * as http from 'node:http';
import * as https from 'node:https';
import { TLSSocket } from 'node:tls';
import type { TlsRequestOptions } from './tlsMaterial';
import { AFTER_HEADERS, DURING_HANDSHAKE } from './transportErrors';

/**
 * The `transport` axios calls instead of http/https: the connection's TLS fields go on every request's options, where
 * they survive an agent replaced by VS Code's network patch (it keeps these fields) and reach a proxy's tunnel. The
 * module's `request` is looked up at call time because VS Code patches that property. An agent axios set (own
 * keep-alive agent, proxy tunnel) stays.
 */
export function tlsTransport(tlsOptions: TlsRequestOptions): { request: typeof https.request } {
  const request = (options: https.RequestOptions, cb?: (res: http.IncomingMessage) => void): http.ClientRequest => {
    const secure = /^https/i.test(options.protocol ?? '');
    let answered = false;
    const onResponse = (res: http.IncomingMessage): void => {
      answered = true;
      cb?.(res);
    };
    const req = secure ? https.request({ ...options, ...tlsOptions }, onResponse) : http.request(options, onResponse);
    tagErrors(req, () => answered);
    return req;
  };
  return { request: request as typeof https.request };
}

/**
 * Tags the error that ends a request with where it happened: before the TLS handshake completed (a server refusing
 * a missing client certificate resets it) or after the answer's headers came (the body was cut off).
 */
function tagErrors(req: http.ClientRequest, answered: () => boolean): void {
  let handshaking = false;
  req.once('socket', (socket) => {
    if (req.reusedSocket || !(socket instanceof TLSSocket)) return;
    handshaking = true;
    socket.once('secureConnect', () => (handshaking = false));
  });
  req.once('error', (err) => {
    const tags = err as unknown as Record<symbol, boolean>;
    if (handshaking) tags[DURING_HANDSHAKE] = true;
    if (answered()) tags[AFTER_HEADERS] = true;
  });
}

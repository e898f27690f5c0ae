// Stand-in for axios's HTTP/2 session pool (lib/helpers/Http2Sessions.js): axios makes one when it loads, and uses it
// only for `httpVersion: 2`, which we never set (our transport is HTTP/1.1 with the TLS fields of tlsTransport.ts).
export default class NoHttp2Sessions {
  getSession(): never {
    throw new Error('API Auth Explorer does not send HTTP/2 requests through axios');
  }
}

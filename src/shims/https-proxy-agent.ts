// Stand-in for `https-proxy-agent` inside the extension's bundle (the CLI's has the real one). axios (node build) and
// src/core/proxyTunnel.ts build one only to tunnel through a proxy; the extension never gives its clients a proxy
// (VS Code's network layer applies http.proxy), so it is never constructed. A class, because axios also tests
// `instanceof` against it. This keeps https-proxy-agent and agent-base (≈7 KB) out of the extension.
export default class HttpsProxyAgent {
  constructor() {
    throw new Error('the extension never sends through a proxy of its own (proxy: false)');
  }
}

// Stand-in for `https-proxy-agent` inside our bundles. axios (node build) builds one only to tunnel through a proxy;
// every client here sets proxy: false (credentials never go through a proxy), so it is never constructed. A class,
// because axios also tests `instanceof` against it. This keeps https-proxy-agent and agent-base (≈7 KB) out.
export default class HttpsProxyAgent {
  constructor() {
    throw new Error('API Auth Explorer never uses a proxy (proxy: false)');
  }
}

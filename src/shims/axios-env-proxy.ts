// Stand-in, in the extension's bundle only, for axios's environment-proxy lookup (proxy-from-env's getProxyForUrl
// and lib/helpers/shouldBypassProxy.js): every client of the extension sets `proxy: false` (VS Code's own network
// layer applies http.proxy), so axios never asks. The CLI bundles the real ones.
export function getProxyForUrl(): string {
  return '';
}
export default function shouldBypassProxy(): boolean {
  return true;
}

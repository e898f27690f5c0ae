// Stand-in for `follow-redirects` inside our bundles. axios (node build) uses it only when maxRedirects ≠ 0; every
// client here sets maxRedirects: 0 (a redirect must never carry credentials to another host), so axios picks
// node's own http/https. This keeps follow-redirects and `debug` (≈15 KB) out of the bundle.
import * as http from 'node:http';
import * as https from 'node:https';

export default { http, https };
export { http, https };

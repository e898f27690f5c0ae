// Stand-in for axios's browser adapters (lib/adapters/xhr.js and fetch.js) inside our bundles. In Node, axios picks
// its http adapter (xhr is unavailable, and http comes before fetch in its default order); every request here must go
// through the http adapter anyway (its transport carries the TLS fields, its limits bound the answer). This keeps
// ≈ 10 KB of adapters that can never run out of the extension bundle.
export default false;
export const getFetch = (): false => false;

// Stand-in for axios's browser adapters (xhr.js and fetch.js) inside our bundles: in Node axios always dispatches
// through its http adapter (every client sets `adapter: 'http'`), so these ≈ 10 KB are dead weight. As xhr.js it is
// "not supported" (`false`); as fetch.js its `getFetch` finds no fetch.
export default false;
export const getFetch = (): false => false;

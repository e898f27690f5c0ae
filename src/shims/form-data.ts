// Stand-in for the `form-data` package inside our bundles. axios (node build) imports it for multipart bodies,
// and it drags in mime-db (≈140 KB minified). We never send multipart/form-data, so the bundle gets this class:
// axios's `instanceof FormData` checks stay false and building one fails loudly instead of silently.
export default class FormData {
  constructor() {
    throw new Error('multipart/form-data bodies are not supported by API Auth Explorer');
  }
}

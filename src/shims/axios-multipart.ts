// Stand-in for axios's multipart and form helpers (lib/helpers/toFormData.js, formDataToStream.js) inside our
// bundles: every body we send is a string (HttpRequest.data), so axios never turns one into form data. Should that
// change, the request fails loudly here instead of sending something else.
export const DEFAULT_FORM_DATA_MAX_DEPTH = 100;
export default function noMultipart(): never {
  throw new Error('API Auth Explorer sends string bodies only (no multipart/form-data)');
}

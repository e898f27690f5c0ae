// fast-xml-parser, loaded on first use only. Most sessions never see XML (only Commvault connections set to
// `format: "xml"` do), so the bundles keep it in a separate file, dist/xml.js, required here when first needed.
import type * as Fxp from 'fast-xml-parser';

let lib: typeof Fxp | undefined;

export function xml(): typeof Fxp {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lib ??= require('fast-xml-parser') as typeof Fxp;
  return lib;
}

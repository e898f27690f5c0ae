// Entry of dist/xml.js: fast-xml-parser as its own file, required lazily by src/core/xml.ts.
export * from 'fast-xml-parser';

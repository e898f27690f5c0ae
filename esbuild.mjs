// Bundles the extension and the CLI. `--production` minifies; `--watch` rebuilds on change. After a (non-watch)
// build, THIRD-PARTY-NOTICES.md is brought up to date from the builds' metafiles (scripts/notices.mjs).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NOTICES_FILE, writeNotices } from './scripts/notices.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the form VS Code's $esbuild-watch problem matcher understands. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    if (!watch) return;
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  // The bundled packages' licences are in THIRD-PARTY-NOTICES.md (shipped in the .vsix), in full: the minified
  // bundles carry no comment blocks.
  legalComments: production ? 'none' : 'inline',
  metafile: true,
  plugins: [problemMatcher],
  // axios pulls form-data → mime-types → mime-db (≈140 KB) for multipart bodies we never send,
  // follow-redirects for redirects we never follow (maxRedirects: 0), and debug (through https-proxy-agent) for logs
  // we never print.
  alias: {
    'form-data': './src/shims/form-data.ts',
    'follow-redirects': './src/shims/follow-redirects.ts',
    debug: './src/shims/debug.ts',
  },
};

/**
 * The extension never sends through a proxy of its own (VS Code's network layer applies http.proxy), so its bundle
 * has a stand-in for https-proxy-agent; the CLI tunnels to https:// servers with the real one (src/core/proxyTunnel.ts).
 */
const extensionAlias = { ...common.alias, 'https-proxy-agent': './src/shims/https-proxy-agent.ts' };

/**
 * Parts of axios that never run here, replaced by stand-ins that report themselves unused (src/shims/): its browser
 * adapters (xhr.js, fetch.js ≈ 16 KB; in Node axios picks its http adapter, the one whose transport carries our TLS
 * options, src/core/tlsTransport.ts), its multipart and form helpers (we send string bodies only), data: URLs, progress
 * and rate-limit streams, HTTP/2 sessions, CancelToken and the status-name enum (≈ 9 KB that no request reaches). `extension: true` also
 * replaces the environment-proxy lookup: the extension's clients all set `proxy: false`.
 */
function axiosUnused({ extension }) {
  const stand = {
    'adapters/xhr.js': 'axios-browser-adapters.ts',
    'adapters/fetch.js': 'axios-browser-adapters.ts',
    'helpers/toFormData.js': 'axios-multipart.ts',
    'helpers/formDataToStream.js': 'axios-multipart.ts',
    'helpers/formDataToJSON.js': 'axios-unused.ts',
    'helpers/fromDataURI.js': 'axios-unused.ts',
    'helpers/estimateDataURLDecodedBytes.js': 'axios-unused.ts',
    'helpers/AxiosTransformStream.js': 'axios-unused.ts',
    'helpers/progressEventReducer.js': 'axios-unused.ts',
    'cancel/CancelToken.js': 'axios-unused.ts',
    'helpers/Http2Sessions.js': 'axios-http2.ts',
    'helpers/HttpStatusCode.js': 'axios-status-codes.ts',
    ...(extension ? { 'helpers/shouldBypassProxy.js': 'axios-env-proxy.ts' } : {}),
  };
  // esbuild reports importers by their real path: with node_modules a symlink (a git worktree sharing one install),
  // the axios folder must be compared by its real path too, or no stand-in applies.
  const axiosLib = fs.realpathSync(path.resolve('node_modules/axios/lib'));
  return {
    name: 'axios-unused',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
        if (!/[\\/]axios[\\/]lib[\\/]/.test(args.importer)) return undefined;
        const rel = path.relative(axiosLib, path.resolve(args.resolveDir, args.path)).split(path.sep).join('/');
        return stand[rel] ? { path: path.resolve('src/shims', stand[rel]) } : undefined;
      });
      if (extension) build.onResolve({ filter: /^proxy-from-env$/ }, () => ({ path: path.resolve('src/shims/axios-env-proxy.ts') }));
    },
  };
}

/** fast-xml-parser lives in dist/xml.js, loaded on first XML use (src/core/xml.ts), not with the extension. */
const lazyXml = {
  name: 'lazy-xml',
  setup(build) {
    build.onResolve({ filter: /^fast-xml-parser$/ }, () => ({ path: './xml.js', external: true }));
  },
};

/**
 * Parts of the extension most windows never run, each in a chunk of its own required on first use: the auth gateway
 * (the engine's server and what runs it in a window, src/ext/gatewayRun.ts → dist/gateway.js, required when the user
 * starts it, src/ext/gateway.ts) and the Add Connection guide (src/ext/commands/addConnection.ts → dist/guide.js). A
 * chunk has its own copies of the core modules it uses, so errors and wordings crossing over are told by brand
 * (isAuthError, isWording).
 */
const CHUNKS = { gatewayRun: 'gateway.js', addConnection: 'guide.js' };
const lazyChunks = {
  name: 'lazy-chunks',
  setup(build) {
    build.onResolve({ filter: /^\.\/(gatewayRun|addConnection)$/ }, (args) => ({ path: `./${CHUNKS[args.path.slice(2)]}`, external: true }));
  },
};
const chunk = (entry, outfile) => ({
  ...common,
  entryPoints: [entry],
  outfile,
  external: ['vscode'],
  alias: extensionAlias,
  plugins: [problemMatcher, lazyXml, axiosUnused({ extension: true })],
});

const targets = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    alias: extensionAlias,
    plugins: [problemMatcher, lazyXml, lazyChunks, axiosUnused({ extension: true })],
  },
  chunk('src/ext/gatewayRun.ts', 'dist/gateway.js'),
  chunk('src/ext/commands/addConnection.ts', 'dist/guide.js'),
  {
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [problemMatcher, lazyXml, axiosUnused({ extension: false })],
  },
  { ...common, entryPoints: ['src/shims/xml-chunk.ts'], outfile: 'dist/xml.js' },
  // The Token Details page, loaded by the webview (no Node, no vscode module). It goes to media/ (git-ignored), the
  // only folder the webview may load from; its sourcemap is inline so that no stray .map file can be packaged.
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'media/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: production ? false : 'inline',
  },
];

if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
} else {
  const results = await Promise.all(targets.map((t) => esbuild.build(t)));
  const { packages, changed } = writeNotices(
    process.cwd(), // esbuild's working directory: the metafile paths are relative to it
    targets.map((t, i) => ({ outfile: t.outfile, metafile: results[i].metafile })),
  );
  if (changed) console.log(`${NOTICES_FILE}: updated (${packages.map((p) => `${p.name}@${p.version}`).join(', ')})`);
}

// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, bottom to top: core → vendors → engine → cli / ext (the webview page and the host share
 * src/shared). Each block forbids what its layer must not import; scripts/check-imports.mjs (also run by lint)
 * checks the same over the whole graph and finds cycles.
 */
const VSCODE = { name: 'vscode', message: 'Only src/ext talks to VS Code.' };
const layer = (files, patterns, paths = [VSCODE]) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
});
const above = (message, ...groups) => groups.map((group) => ({ group: [group], message }));
const boundaries = [
  layer(['src/core/**/*.ts'], above('core is the bottom layer: it imports nothing of the project outside itself.', '../*')),
  layer(['src/vendors/**/*.ts'], above('Vendor adapters build on core only.', '../engine/*', '../ext/*', '../cli/*', '../cli', '../shared/*', '../webview/*')),
  layer(
    ['src/shared/**/*.ts'],
    above('The shared protocol builds on core types only.', '../engine/*', '../ext/*', '../cli/*', '../cli', '../vendors', '../vendors/*', '../webview/*'),
  ),
  layer(
    ['src/engine/**/*.ts'],
    above(
      'The engine is handed the adapter registry; it imports neither the vendors nor a surface.',
      '../vendors',
      '../vendors/*',
      '../ext/*',
      '../cli/*',
      '../cli',
      '../webview/*',
    ),
  ),
  layer(['src/cli.ts', 'src/cli/**/*.ts'], [...above('The CLI does not use the extension.', './ext/*', '../ext/*', './webview/*', '../webview/*')]),
  // Relative patterns resolve per folder depth: src/ext/*.ts and src/ext/<folder>/*.ts get their own block.
  layer(['src/ext/*.ts'], above('The extension does not use the CLI or the page.', '../cli', '../cli/*', '../webview/*'), []),
  layer(['src/ext/*/**/*.ts'], above('The extension does not use the CLI or the page.', '../../cli', '../../cli/*', '../../webview/*'), []),
  layer(
    ['src/webview/**/*.ts'],
    [
      { group: ['../*', '!../core', '!../shared'], message: 'The page takes time formatting from core and the protocol from shared, nothing else.' },
      { group: ['../core/*', '!../core/time'], message: 'The page takes only core/time (it must not bundle jwt-decode, axios or Node modules).' },
    ],
  ),
];

export default tseslint.config(
  { ignores: ['.out-*/**', 'dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'media/**/*.min.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'smart'],
      // Braces around every body that spans lines, and alike in one if/else chain; a one-line `if (x) return;` stays.
      curly: ['error', 'multi-line', 'consistent'],
    },
  },
  ...boundaries,
  {
    files: ['src/cli.ts', 'src/cli/**/*.ts', 'test/**/*.ts', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        performance: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
);

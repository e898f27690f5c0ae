// Entry point bundled to dist/extension.js.
export { activate, deactivate } from './ext/extension';

// Shared state and UI helpers of the end-to-end journeys (test/e2e/*.test.mjs), run by scripts/e2e/run.mjs.
// The journeys drive the real workbench in the browser like a person: mouse and keyboard only, reading the DOM;
// they never call extension APIs. The runner fills `ctx` before mocha loads the test files.
// The helpers live in lib/ by job (lib/ is not a *.test.mjs file: the runner does not load it as a journey).
export * from './lib/base.mjs';
export * from './lib/workbench.mjs';
export * from './lib/quickpick.mjs';
export * from './lib/tree.mjs';
export * from './lib/journeys.mjs';

// Cleanup steps for the test runners: registered as things start, run once, last-registered first, each failure
// reported and never stopping the others. A step registered after the run began starts at once.
export function createCleanups(tag) {
  const steps = [];
  let running = null;
  return {
    add(fn) {
      if (running) return Promise.resolve().then(fn);
      steps.push(fn);
      return undefined;
    },
    run() {
      running ??= (async () => {
        for (const fn of steps.reverse()) {
          try {
            await fn();
          } catch (err) {
            console.error(`[${tag}] cleanup: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
      })();
      return running;
    },
  };
}

// The engine as the CLI uses it, from the compiled out/ modules.
import { out } from './util.mjs';

export const ADAPTERS_PATH = 'src/vendors/index.js';
export const { SessionManager } = out('src/engine/manager.js');
export const { ADAPTERS } = out(ADAPTERS_PATH);

/** A SessionManager with the real adapters (or `adapters`), the secret given, and no prompts. */
export function newManager(secret, adapters = ADAPTERS) {
  return new SessionManager({ adapters, getSecret: async () => secret });
}

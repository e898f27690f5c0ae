// Loopback mock of the commvault API — see ../../../shared/PROTOCOLS.md. (To be written.)
import type { MockEnv, VendorHandler } from './types';

export function createHandler(env: MockEnv): VendorHandler {
  void env;
  return () => ({ status: 404, headers: { 'content-type': 'text/plain' }, body: 'not implemented' });
}

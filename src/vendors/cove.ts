// N-able Cove adapter — see ../../../shared/PROTOCOLS.md. (To be written.)
import { AuthError } from '../core/errors';
import type { VendorAdapter } from './types';

const notYet = (): never => {
  throw new AuthError('config', 'N-able Cove support is not built yet');
};

export const coveAdapter: VendorAdapter = {
  vendor: 'cove',
  displayName: 'N-able Cove',
  authKinds: ['password'],
  secretLabel: () => 'password',
  validate: () => [],
  login: async () => notYet(),
  request: async () => notYet(),
  sampleRequests: [],
};

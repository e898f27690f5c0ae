// Commvault / SnapProtect adapter — see ../../../shared/PROTOCOLS.md. (To be written.)
import { AuthError } from '../core/errors';
import type { VendorAdapter } from './types';

const notYet = (): never => {
  throw new AuthError('config', 'Commvault / SnapProtect support is not built yet');
};

export const commvaultAdapter: VendorAdapter = {
  vendor: 'commvault',
  displayName: 'Commvault / SnapProtect',
  authKinds: ['password'],
  secretLabel: () => 'password',
  validate: () => [],
  login: async () => notYet(),
  request: async () => notYet(),
  sampleRequests: [],
};

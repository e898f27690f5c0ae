// IPCortex adapter — see ../../../shared/PROTOCOLS.md. (To be written.)
import { AuthError } from '../core/errors';
import type { VendorAdapter } from './types';

const notYet = (): never => {
  throw new AuthError('config', 'IPCortex support is not built yet');
};

export const ipcortexAdapter: VendorAdapter = {
  vendor: 'ipcortex',
  displayName: 'IPCortex',
  authKinds: ['password'],
  secretLabel: () => 'password',
  validate: () => [],
  login: async () => notYet(),
  request: async () => notYet(),
  sampleRequests: [],
};

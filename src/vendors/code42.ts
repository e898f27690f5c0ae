// Code42 adapter — see ../../../shared/PROTOCOLS.md. (To be written.)
import { AuthError } from '../core/errors';
import type { VendorAdapter } from './types';

const notYet = (): never => {
  throw new AuthError('config', 'Code42 support is not built yet');
};

export const code42Adapter: VendorAdapter = {
  vendor: 'code42',
  displayName: 'Code42',
  authKinds: ['password'],
  secretLabel: () => 'password',
  validate: () => [],
  login: async () => notYet(),
  request: async () => notYet(),
  sampleRequests: [],
};

// datarhei Core adapter — see ../../../shared/PROTOCOLS.md. (To be written.)
import { AuthError } from '../core/errors';
import type { VendorAdapter } from './types';

const notYet = (): never => {
  throw new AuthError('config', 'datarhei Core support is not built yet');
};

export const datarheiAdapter: VendorAdapter = {
  vendor: 'datarhei',
  displayName: 'datarhei Core',
  authKinds: ['password'],
  secretLabel: () => 'password',
  validate: () => [],
  login: async () => notYet(),
  request: async () => notYet(),
  sampleRequests: [],
};

// The registry of vendor adapters: one small object per vendor behind one interface.
import type { VendorId } from '../core/types';
import { code42Adapter } from './code42';
import { commvaultAdapter } from './commvault';
import { coveAdapter } from './cove';
import { datarheiAdapter } from './datarhei';
import { ipcortexAdapter } from './ipcortex';
import type { VendorAdapter } from './types';

export const ADAPTERS: Readonly<Record<VendorId, VendorAdapter>> = {
  cove: coveAdapter,
  commvault: commvaultAdapter,
  ipcortex: ipcortexAdapter,
  code42: code42Adapter,
  datarhei: datarheiAdapter,
};

export function adapterFor(vendor: VendorId): VendorAdapter {
  return ADAPTERS[vendor];
}

export type { VendorAdapter } from './types';

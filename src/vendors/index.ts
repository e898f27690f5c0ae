// The registry of vendor adapters: one small object per vendor behind one interface.
import type { Adapters } from '../core/adapter';
import { code42Adapter } from './code42';
import { commvaultAdapter } from './commvault';
import { coveAdapter } from './cove';
import { datarheiAdapter } from './datarhei';
import { ipcortexAdapter } from './ipcortex';

export const ADAPTERS: Adapters = {
  cove: coveAdapter,
  commvault: commvaultAdapter,
  ipcortex: ipcortexAdapter,
  code42: code42Adapter,
  datarhei: datarheiAdapter,
};

export type { Adapters, VendorAdapter } from '../core/adapter';

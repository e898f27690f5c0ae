// Shared by the renewal-policy tests: the loopback vendor servers with lifetimes of a second or two on a test clock
// shared by the servers and the manager, a connection per vendor and their stored passwords.
import { ADAPTERS } from '../../src/vendors';
import { SessionManager } from '../../src/engine/manager';
import type { ConnectionConfig, ExploreRequest } from '../../src/core/types';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { RENEWAL_LIFETIMES as LIFETIMES, testClock, useMockVendors } from './helpers';

export const PROCESS: ExploreRequest = { kind: 'rest', method: 'GET', path: '/api/v3/process' };
export const PARTNERS: ExploreRequest = { kind: 'rpc', method: 'EnumeratePartners', params: { parentPartnerId: 0 } };

/** A test clock, the mock vendors on it, the stored secrets (reset before each test) and a manager factory. */
export function useRenewal() {
  const clock = testClock();
  const mock = useMockVendors({ lifetimes: LIFETIMES, clock });
  const secrets = new Map<string, string>();
  const manager = (askTotp?: (c: ConnectionConfig, attempt: number) => Promise<string | undefined>) =>
    new SessionManager({ adapters: ADAPTERS, clock, getSecret: async (c) => secrets.get(c.id), ...(askTotp ? { askTotp } : {}) });
  const stat = (name: string) => mock().env.stats.get(name);

  const datarhei = (): ConnectionConfig => ({
    id: 'dr',
    vendor: 'datarhei',
    baseUrl: mock().baseUrl('datarhei'),
    username: ACCOUNTS.datarhei.username,
    refreshLeadSeconds: 0,
  });
  const cove = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    id: 'cove',
    vendor: 'cove',
    baseUrl: mock().baseUrl('cove'),
    partner: ACCOUNTS.cove.partner,
    username: ACCOUNTS.cove.username,
    ...over,
  });
  const commvault = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    id: 'cv',
    vendor: 'commvault',
    baseUrl: mock().baseUrl('commvault'),
    username: ACCOUNTS.commvault.username,
    ...over,
  });
  const code42 = (username: string = ACCOUNTS.code42.username): ConnectionConfig => ({
    id: `c42-${username}`,
    vendor: 'code42',
    baseUrl: mock().baseUrl('code42'),
    username,
  });
  const ipcortex = (): ConnectionConfig => ({ id: 'ipc', vendor: 'ipcortex', baseUrl: mock().baseUrl('ipcortex'), username: ACCOUNTS.ipcortex.username });

  beforeEach(() => {
    secrets.clear();
    secrets.set('dr', ACCOUNTS.datarhei.password);
    secrets.set('cove', ACCOUNTS.cove.password);
    secrets.set('cv', ACCOUNTS.commvault.password);
    secrets.set(`c42-${ACCOUNTS.code42.username}`, ACCOUNTS.code42.password);
    secrets.set(`c42-${ACCOUNTS.code42.mfa.username}`, ACCOUNTS.code42.mfa.password);
    secrets.set('ipc', ACCOUNTS.ipcortex.password);
  });
  return { clock, mock, secrets, manager, stat, datarhei, cove, commvault, code42, ipcortex };
}

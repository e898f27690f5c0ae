// Identifiers shared by package.json contributions and code. The integration suite keeps them in sync: every
// command package.json declares is registered, and every registered one is declared.

export const EXTENSION_ID = 'api-auth-explorer.api-auth-explorer';
export const VIEW_CONNECTIONS = 'authExplorer.connections';
export const SETTING_SECTION = 'authExplorer';
export const SETTING_CONNECTIONS = 'connections';
export const STATUS_ITEM_ID = 'authExplorer.status';
export const GATEWAY_ITEM_ID = 'authExplorer.gateway';
/** `authExplorer.gateway.*`: enabled, port, expose, allowedOrigins. */
export const SETTING_GATEWAY = 'gateway';
/** Context key: this window's gateway runs (package.json's command palette reads it). */
export const GATEWAY_CONTEXT = 'authExplorer.gatewayRunning';

export const Commands = {
  addConnection: 'authExplorer.addConnection',
  editConnection: 'authExplorer.editConnection',
  removeConnection: 'authExplorer.removeConnection',
  setSecret: 'authExplorer.setSecret',
  clearSecret: 'authExplorer.clearSecret',
  login: 'authExplorer.login',
  logout: 'authExplorer.logout',
  refreshToken: 'authExplorer.refreshToken',
  copyToken: 'authExplorer.copyToken',
  copyAuthHeader: 'authExplorer.copyAuthHeader',
  copyCurl: 'authExplorer.copyCurl',
  showDetails: 'authExplorer.showDetails',
  setActive: 'authExplorer.setActive',
  showLog: 'authExplorer.showLog',
  openSettings: 'authExplorer.openSettings',
  refreshView: 'authExplorer.refreshView',
  statusBarMenu: 'authExplorer.statusBarMenu',
  sendRequest: 'authExplorer.sendRequest',
  showRawAnswer: 'authExplorer.showRawAnswer',
  gatewayStart: 'authExplorer.gatewayStart',
  gatewayStop: 'authExplorer.gatewayStop',
  gatewayMenu: 'authExplorer.gatewayMenu',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

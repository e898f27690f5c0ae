// What every command is handed by activate(): the extension's objects, and the interactions tests replace.
import type { ConnectionConfig, ExploreRequest } from '../../core/types';
import type { ConnectionStore } from '../connections';
import type { GatewayService } from '../gateway';
import type { Log } from '../log';
import type { SessionService } from '../sessions';
import type { StatusBar } from '../statusBar';
import type { Vault } from '../vault';

export interface CommandDeps {
  store: ConnectionStore;
  sessions: SessionService;
  vault: Vault;
  log: Log;
  statusBar: StatusBar;
  /** The window's auth gateway (off until started) and its traffic log. */
  gateway: GatewayService;
  /** The Token Details panels (webview/panel.ts): opens a connection's, or brings it to the front. */
  panels: { show(connectionId: string): void };
  refreshTree(): void;
  sendRequest(conn: ConnectionConfig): Promise<unknown>;
  /** Show Raw Answer: a response document's answer with its secret-named fields unmasked (`arg`: its URI). */
  showRawAnswer(arg: unknown): Promise<unknown>;
  /** The request Copy as curl shows: the connection's last sent request, when there is one. */
  lastRequest(connectionId: string): ExploreRequest | undefined;
  /** Modal confirmation (replaceable: VS Code refuses dialogs while extension tests run). */
  confirm(message: string, action: string): Promise<boolean>;
}

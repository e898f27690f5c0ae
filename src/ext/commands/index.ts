// Every command, registered in one place: one handler per id, each run through `guarded` (errors.ts). From the tree
// a command gets the item; from the palette it asks (pick.ts).
import * as vscode from 'vscode';
import { type CommandId, Commands } from '../constants';
import { ADAPTERS } from '../../vendors';
import type * as Guide from './addConnection';
import { clearSecret, editConnection, openSettings, removeConnection, setSecret } from './connections';
import { copy } from './copy';
import type { CommandDeps } from './deps';
import { guardedBy, withConn } from './errors';
import { statusBarMenu } from './menu';
import { connectionFromArg, pick } from './pick';
import { login, logout, refreshToken, setActive, showDetails } from './session';

export function registerCommands(context: vscode.ExtensionContext, d: CommandDeps): void {
  const guarded = guardedBy(d, {
    setSecret: (conn) => setSecret(d, conn.id),
    openSettings: (conn) => openSettings(d, conn),
  });
  // A Record over every id: a command declared in constants.ts without a handler does not compile.
  const handlers: Record<CommandId, (arg: unknown) => unknown> = {
    // esbuild makes this `require('./guide.js')` in the extension's bundle (esbuild.mjs, lazyChunks).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    [Commands.addConnection]: () => (require('./addConnection') as typeof Guide).addConnection(d, ADAPTERS),
    [Commands.editConnection]: (arg) => editConnection(d, arg),
    [Commands.removeConnection]: (arg) => removeConnection(d, arg),
    [Commands.setSecret]: (arg) => setSecret(d, arg),
    [Commands.clearSecret]: (arg) => clearSecret(d, arg),
    [Commands.login]: (arg) => login(d, arg),
    [Commands.logout]: (arg) => logout(d, arg),
    [Commands.refreshToken]: (arg) => refreshToken(d, arg),
    [Commands.copyToken]: (arg) => copy(d, arg, 'token'),
    [Commands.copyAuthHeader]: (arg) => copy(d, arg, 'header'),
    [Commands.copyCurl]: (arg) => copy(d, arg, 'curl'),
    [Commands.showDetails]: (arg) => showDetails(d, arg),
    [Commands.setActive]: (arg) => setActive(d, arg),
    [Commands.showLog]: () => d.log.channel.show(),
    [Commands.openSettings]: (arg) => openSettings(d, connectionFromArg(arg, d.store)),
    [Commands.refreshView]: async () => {
      await d.sessions.restore();
      d.refreshTree();
    },
    [Commands.sendRequest]: async (arg) => {
      const conn = await pick(d, arg, 'Send a request with which connection?');
      await withConn(conn, () => d.sendRequest(conn));
    },
    [Commands.statusBarMenu]: () => statusBarMenu(d),
    [Commands.showRawAnswer]: (arg) => d.showRawAnswer(arg),
    [Commands.gatewayStart]: () => d.gateway.start(),
    [Commands.gatewayStop]: () => d.gateway.stop(),
    [Commands.gatewayMenu]: () => d.gateway.menu(),
  };
  for (const id of Object.values(Commands)) {
    const handler = handlers[id];
    context.subscriptions.push(vscode.commands.registerCommand(id, (arg: unknown) => guarded(id, () => handler(arg))));
  }
}

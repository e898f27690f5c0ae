// The status bar item's click: the shown connection's actions in one quick pick (Login when nothing is shown).
import * as vscode from 'vscode';
import { ADAPTERS } from '../../vendors';
import { Commands } from '../constants';
import type { CommandDeps } from './deps';

export async function statusBarMenu(d: CommandDeps): Promise<unknown> {
  const id = d.statusBar.shownId;
  const conn = id ? d.store.get(id) : undefined;
  if (!conn) return vscode.commands.executeCommand(Commands.login);
  const items: (vscode.QuickPickItem & { run: () => Thenable<unknown> | Promise<unknown> })[] = [
    { label: '$(sync) Refresh token', run: () => vscode.commands.executeCommand(Commands.refreshToken, conn.id) },
    { label: '$(sign-in) Log in again', run: () => vscode.commands.executeCommand(Commands.login, conn.id) },
    { label: '$(clippy) Copy token', run: () => vscode.commands.executeCommand(Commands.copyToken, conn.id) },
    { label: '$(clippy) Copy Authorization header', run: () => vscode.commands.executeCommand(Commands.copyAuthHeader, conn.id) },
    { label: '$(terminal) Copy as curl', run: () => vscode.commands.executeCommand(Commands.copyCurl, conn.id) },
    { label: '$(preview) Show token details', run: () => vscode.commands.executeCommand(Commands.showDetails, conn.id) },
    { label: '$(arrow-swap) Follow another connection…', run: () => vscode.commands.executeCommand(Commands.setActive) },
    { label: '$(sign-out) Log out', run: () => vscode.commands.executeCommand(Commands.logout, conn.id) },
  ];
  const chosen = await vscode.window.showQuickPick(items, { placeHolder: `${conn.label || conn.id} (${ADAPTERS[conn.vendor].displayName})` });
  if (chosen) await chosen.run();
  return undefined;
}

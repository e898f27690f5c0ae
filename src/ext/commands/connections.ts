// Connection commands: edit (opens the settings entry), remove, and the secret kept in secret storage.
import * as vscode from 'vscode';
import { authOf, type ConnectionConfig } from '../../core/types';
import { ADAPTERS } from '../../vendors';
import { EXTENSION_ID } from '../constants';
import type { CommandDeps } from './deps';
import { pick } from './pick';
import { ours } from '../../core/wording';

/** Opens the settings file that holds the connection, at its entry; without one, the extension's settings. */
export async function openSettings(d: CommandDeps, conn?: ConnectionConfig): Promise<void> {
  const scope = conn ? d.store.scopeOf(conn.id) : undefined;
  if (!conn || !scope) {
    await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${EXTENSION_ID}`);
    return;
  }
  await vscode.commands.executeCommand(scope === 'workspace' ? 'workbench.action.openWorkspaceSettingsFile' : 'workbench.action.openSettingsJson');
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const text = editor.document.getText();
  const at = text.search(new RegExp(`"id"\\s*:\\s*"${conn.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
  if (at >= 0) {
    const pos = editor.document.positionAt(at);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
  }
}

export async function editConnection(d: CommandDeps, arg: unknown): Promise<void> {
  await openSettings(d, await pick(d, arg, 'Edit which connection?'));
}

export async function removeConnection(d: CommandDeps, arg: unknown): Promise<void> {
  const conn = await pick(d, arg, 'Remove which connection?');
  const ok = await d.confirm(`Remove the connection "${conn.label || conn.id}"? Its settings entry, stored secret and session are deleted.`, 'Remove');
  if (!ok) return;
  await d.sessions.logout(conn);
  await d.store.remove(conn.id);
  await d.sessions.removeAll(conn.id);
  d.log.info('command', ours(`removed connection "${conn.id}" and its secrets`));
}

export async function setSecret(d: CommandDeps, arg: unknown): Promise<void> {
  const conn = await pick(d, arg, 'Set the secret of which connection?');
  const label = ADAPTERS[conn.vendor].secretLabel(authOf(conn));
  const value = await vscode.window.showInputBox({
    title: `${conn.label || conn.id}: ${label}`,
    prompt: `Stored only in VS Code's secret storage (the OS keychain), never in settings.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.length === 0 ? `The ${label} cannot be empty.` : undefined),
  });
  if (value === undefined) return;
  d.log.remember(value);
  if (!(await d.vault.setSecret(conn, value))) return notStored(conn, label);
  void vscode.window.setStatusBarMessage(`$(key) ${label} of ${conn.label || conn.id} stored in secret storage`, 4000);
}

/** Secret storage refused a write (the vault has logged why, without the value): say so, never "stored". */
export function notStored(conn: ConnectionConfig, label: string): void {
  void vscode.window.showWarningMessage(
    `Connection "${conn.label || conn.id}": VS Code's secret storage refused the ${label}, so it is not stored; you will be asked for it at login (Show Log says why).`,
  );
}

export async function clearSecret(d: CommandDeps, arg: unknown): Promise<void> {
  const conn = await pick(d, arg, 'Clear the stored secret of which connection?');
  await d.sessions.clearSecret(conn);
  void vscode.window.setStatusBarMessage(`$(trash) Stored secret of ${conn.label || conn.id} removed`, 4000);
}

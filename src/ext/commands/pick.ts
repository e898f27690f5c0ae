// Which connection a command acts on: from the tree it gets the item, with an id it looks it up, else it asks.
import * as vscode from 'vscode';
import { AuthError } from '../../core/errors';
import { timeLeftMs } from '../../core/session';
import { formatRemaining } from '../../core/time';
import type { ConnectionConfig } from '../../core/types';
import { ADAPTERS } from '../../vendors';
import type { ConnectionStore } from '../connections';
import { Commands } from '../constants';
import type { Node } from '../tree';
import type { CommandDeps } from './deps';
import { oneLineText } from '../../core/untrusted';

/** The connection a command argument names: a tree node (a connection or one of its children) or an id. */
export function connectionFromArg(arg: unknown, store: ConnectionStore): ConnectionConfig | undefined {
  if (typeof arg === 'string') return store.get(arg);
  if (typeof arg === 'object' && arg !== null) {
    const n = arg as Partial<Node> & { conn?: ConnectionConfig; connId?: string };
    if (n.type === 'connection' && n.conn) return store.get(n.conn.id);
    if (typeof n.connId === 'string') return store.get(n.connId);
  }
  return undefined;
}

/** Resolves the connection from a tree node, an id string, or by asking. */
export async function pick(
  d: CommandDeps,
  arg: unknown,
  placeHolder = 'Choose a connection',
  filter?: (c: ConnectionConfig) => boolean,
): Promise<ConnectionConfig> {
  const fromArg = connectionFromArg(arg, d.store);
  if (fromArg) return fromArg;
  const all = d.store.all().filter((c) => !filter || filter(c));
  if (all.length === 0) {
    if (d.store.all().length === 0) {
      const add = await vscode.window.showInformationMessage('No API connections are configured yet.', 'Add Connection');
      if (add) await vscode.commands.executeCommand(Commands.addConnection);
    } else {
      void vscode.window.showInformationMessage('No connection fits: log in to one first.');
    }
    throw new AuthError('cancelled', 'no connection');
  }
  if (all.length === 1 && filter) return all[0];
  const now = Date.now();
  const chosen = await vscode.window.showQuickPick(
    all.map((c) => {
      const s = d.sessions.get(c.id);
      const left = s ? timeLeftMs(s, now) : null;
      return {
        label: oneLineText(c.label || c.id),
        description: ADAPTERS[c.vendor].displayName,
        detail: s ? (left === null ? 'logged in' : `logged in · ${formatRemaining(left)} left`) : 'not logged in',
        id: c.id,
      };
    }),
    { placeHolder, matchOnDescription: true },
  );
  if (!chosen) throw new AuthError('cancelled', 'no connection chosen');
  const conn = d.store.get(chosen.id);
  if (!conn) throw new AuthError('cancelled', 'connection removed');
  return conn;
}

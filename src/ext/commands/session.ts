// Session commands: log in, log out, refresh, show the token, follow a connection in the status bar.
import * as vscode from 'vscode';
import { AuthError, isAuthError } from '../../core/errors';
import { timeLeftMs } from '../../core/session';
import { formatRemaining } from '../../core/time';
import type { ConnectionConfig, Session } from '../../core/types';
import type { CommandDeps } from './deps';
import { withConn } from './errors';
import { connectionFromArg, pick } from './pick';

export async function login(d: CommandDeps, arg: unknown): Promise<Session> {
  const conn = await pick(d, arg, 'Log in to which connection?');
  return withConn(conn, async () => {
    const s = await Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Logging in to ${conn.label || conn.id}…` }, () => d.sessions.login(conn)),
    );
    const left = timeLeftMs(s, Date.now());
    void vscode.window.setStatusBarMessage(`$(pass) Logged in to ${conn.label || conn.id}${left === null ? '' : ` — ${formatRemaining(left)} left`}`, 4000);
    return s;
  });
}

/** The session of a connection, offering to log in when there is none. */
export async function sessionOf(d: CommandDeps, arg: unknown, why: string): Promise<{ conn: ConnectionConfig; session: Session }> {
  await d.sessions.restore();
  const conn = await pick(d, arg, why, connectionFromArg(arg, d.store) ? undefined : (c) => !!d.sessions.get(c.id)).catch(async (e: unknown) => {
    if (isAuthError(e) && e.message === 'no connection' && d.store.all().length) return pick(d, undefined, why);
    throw e;
  });
  let session = d.sessions.get(conn.id);
  if (!session) {
    const choice = await vscode.window.showInformationMessage(`"${conn.label || conn.id}" is not logged in.`, 'Log In');
    if (choice !== 'Log In') throw new AuthError('cancelled', 'not logged in');
    session = await login(d, conn.id);
  }
  return { conn, session };
}

export async function logout(d: CommandDeps, arg: unknown): Promise<void> {
  await d.sessions.restore();
  const conn = await pick(d, arg, 'Log out of which connection?', (c) => !!d.sessions.get(c.id));
  await withConn(conn, () => d.sessions.logout(conn));
}

export async function refreshToken(d: CommandDeps, arg: unknown): Promise<void> {
  await d.sessions.restore();
  const conn = await pick(d, arg, 'Refresh the token of which connection?');
  await withConn(conn, async () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Renewing ${conn.label || conn.id}…` }, () => d.sessions.refresh(conn)),
  );
}

export async function showDetails(d: CommandDeps, arg: unknown): Promise<void> {
  await d.sessions.restore();
  const conn = await pick(d, arg, 'Show the token of which connection?');
  d.panels.show(conn.id);
}

export async function setActive(d: CommandDeps, arg: unknown): Promise<void> {
  await d.sessions.restore();
  const conn = await pick(d, arg, 'Which connection should the status bar follow?');
  await d.sessions.setActive(conn.id);
}

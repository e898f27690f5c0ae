// How a command fails: `guarded` reports a failure once, as one sentence naming the connection and the cause, with
// the actions that fit its kind (Retry / Set Secret / Open Settings / Show Log). Cancelling is silent.
import * as vscode from 'vscode';
import { type AuthErrorKind, errorMessage, isAuthError } from '../../core/errors';
import type { ConnectionConfig } from '../../core/types';
import { Commands } from '../constants';
import type { CommandDeps } from './deps';
import { ours } from '../../core/wording';

const RETRY = 'Retry';
const SET_SECRET = 'Set Secret';
const OPEN_SETTINGS = 'Open Settings';
const SHOW_LOG = 'Show Log';

/** Which follow-up actions fit an error kind. */
function actionsFor(kind: AuthErrorKind | undefined): string[] {
  switch (kind) {
    case 'credentials':
    case 'locked':
      return [RETRY, SET_SECRET, SHOW_LOG];
    case 'config':
    case 'tls':
    case 'protocol':
      return [OPEN_SETTINGS, RETRY, SHOW_LOG];
    case 'network':
    case 'timeout':
      return [RETRY, OPEN_SETTINGS, SHOW_LOG];
    default:
      return [RETRY, SHOW_LOG];
  }
}

/** Wraps an error with the connection it happened on, so `guarded` can name it. */
class ConnectionError extends Error {
  constructor(
    readonly conn: ConnectionConfig,
    override readonly cause: unknown,
  ) {
    super(errorMessage(cause));
  }
}

/** Runs `fn` on behalf of `conn`: a failure is reported naming that connection. */
export async function withConn<T>(conn: ConnectionConfig, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new ConnectionError(conn, e);
  }
}

/** Runs a command; reports its failure once, as one sentence with actions. Never rethrows. */
type Guarded = (id: string, fn: () => Promise<unknown> | unknown, conn?: ConnectionConfig) => Promise<unknown>;

/** What an error message's actions do on the failing connection. */
interface ErrorActions {
  setSecret(conn: ConnectionConfig): Promise<unknown>;
  openSettings(conn: ConnectionConfig | undefined): Promise<unknown>;
}

export function guardedBy(d: CommandDeps, actions: ErrorActions): Guarded {
  const guarded: Guarded = async (id, fn, conn) => {
    try {
      return await fn();
    } catch (e) {
      const cause = e instanceof ConnectionError ? e.cause : e;
      if (isAuthError(cause) && cause.kind === 'cancelled') return undefined;
      const c = conn ?? (e instanceof ConnectionError ? e.conn : undefined);
      const message = c ? d.log.describeError(cause, c) : d.log.errorText(cause);
      d.log.error('command', ours(`${id}: ${message}`));
      const kind = isAuthError(cause) ? cause.kind : undefined;
      // The command ends now; the message's actions run whenever (if ever) the user picks one.
      void vscode.window.showErrorMessage(message, ...actionsFor(kind)).then(async (choice) => {
        // Retry acts on the same connection: from the palette it does not ask again which one.
        if (choice === RETRY) await (c ? vscode.commands.executeCommand(id, c.id) : guarded(id, fn));
        else if (choice === SET_SECRET && c) await guarded(Commands.setSecret, () => actions.setSecret(c), c);
        else if (choice === OPEN_SETTINGS) await actions.openSettings(c);
        else if (choice === SHOW_LOG) d.log.channel.show(true);
      });
      return undefined;
    }
  };
  return guarded;
}

// Copy Token / Authorization header / curl command: what is copied must work when pasted, so an expired (or about
// to be refreshed) token is renewed first.
import * as vscode from 'vscode';
import { authLine, curlCommand } from '../../engine/curl';
import { fillSample } from '../../engine/requests';
import type { ConnectionConfig, ExploreRequest, Session } from '../../core/types';
import { ADAPTERS } from '../../vendors';
import type { CommandDeps } from './deps';
import { withConn } from './errors';
import { sessionOf } from './session';

type CopyWhat = 'token' | 'header' | 'curl';

const ASK: Record<CopyWhat, string> = { token: 'token', header: 'Authorization header', curl: 'curl command' };
const COPIED: Record<CopyWhat, string> = { token: 'Token', header: 'Auth header', curl: 'curl command' };

export async function copy(d: CommandDeps, arg: unknown, what: CopyWhat): Promise<void> {
  const found = await sessionOf(d, arg, `Copy the ${ASK[what]} of which connection?`);
  const { conn } = found;
  let { session } = found;
  if (d.sessions.manager.needsRenewal(conn, session)) session = await withConn(conn, () => d.sessions.refresh(conn));
  const text =
    what === 'token'
      ? session.token
      : what === 'header'
        ? authLine(session)
        : curlCommand(conn, ADAPTERS[conn.vendor].wire(conn, session, d.lastRequest(conn.id) ?? defaultRequest(conn, session)));
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(`$(clippy) ${COPIED[what]} of ${conn.label || conn.id} copied`, 3000);
}

/** The request a curl line shows: the vendor's first read-only sample call, made concrete for the session. */
function defaultRequest(conn: ConnectionConfig, session?: Session): ExploreRequest {
  const sample = ADAPTERS[conn.vendor].sampleRequests[0];
  return sample ? fillSample(sample, conn, session) : { kind: 'rest', method: 'GET', path: '/' };
}

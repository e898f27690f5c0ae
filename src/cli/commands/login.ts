// `api-auth login ID`: logs in and prints a one-line summary of the session, or the session as JSON.
import { EXPIRY_REASON_TEXT, timeLeftMs } from '../../core/session';
import { formatInstant, formatRemaining } from '../../core/time';
import type { ConnectionConfig, Session } from '../../core/types';
import { ADAPTERS } from '../../vendors';
import type { Options } from '../args';
import { findConnection } from '../config';
import { EXIT } from '../exit';
import { managerFor } from '../manager';
import { print, sessionJson } from '../output';
import { stringifyForTerminal } from '../../core/untrusted';
import { ours, outside, type Wording, wording } from '../../core/wording';

export async function loginCommand(args: string[], opts: Options): Promise<number> {
  const conn = findConnection(opts, args[0]);
  const { manager, login } = managerFor(conn, opts);
  const session = await login();
  // The CLI's own words stay whole; what the server sent (tokens, claims, the user name) is scrubbed in place.
  print(opts.secrets, opts.json ? ours(stringifyForTerminal(sessionJson(conn, session, opts.secrets))) : summary(conn, session, manager.clock()));
  return EXIT.ok;
}

function summary(conn: ConnectionConfig, s: Session, now: number): Wording {
  const name = conn.label ?? conn.id;
  const who = s.user?.name ? wording` as ${outside(s.user.name)}` : '';
  const left = timeLeftMs(s, now);
  let expiry: string;
  if (s.expiresAt !== null) {
    expiry = `expires ${formatInstant(s.expiresAt)} (${formatRemaining(left)} left; ${EXPIRY_REASON_TEXT[s.expiresBecause]})`;
  } else if (s.expiresBecause === 'unknown') {
    // IPCortex: the protocol documents no session lifetime. Say so, and how to get a countdown anyway.
    const what = s.attach.kind === 'cookie' ? 'session cookie' : 'session token';
    expiry = `${what}; its lifetime is not documented, so no countdown (set lifetimeSeconds in the connection for an idle timeout)`;
  } else {
    expiry = EXPIRY_REASON_TEXT[s.expiresBecause];
  }
  const refresh = s.refreshExpiresAt ? `; refresh token until ${formatInstant(s.refreshExpiresAt)}` : '';
  return wording`Logged in to "${name}" (${ADAPTERS[s.vendor].displayName})${who}: ${expiry}${refresh}.`;
}

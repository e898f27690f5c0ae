// What more than one vendor adapter does the same way and src/core does not cover: the explored calls of a JSON REST
// API whose credential is one header (Code42, datarhei Core).
import type { VendorAdapter } from '../core/adapter';
import { AuthError } from '../core/errors';
import { type AdapterContext, jsonRestRequest, type RawResponse, send, toApiResponse, type WireRequest } from '../core/http';
import { touch } from '../core/session';
import type { CallResult, ConnectionConfig, ExploreRequest, Session } from '../core/types';

/**
 * `wire` and `request` of such an API. `wire`: a REST request only (`<displayName> takes REST requests, not
 * JSON-RPC`), JSON body, the session's header put last. `request`: HTTP 401 throws what `rejected` makes of it (the
 * vendor's words, `expired` or a setting to change); any other status is the answer; the call is recorded as the
 * session's last use.
 */
export function jsonRestCalls(displayName: string, rejected: (res: RawResponse, session: Session) => AuthError): Pick<VendorAdapter, 'wire' | 'request'> {
  function wire(conn: ConnectionConfig, session: Session, req: ExploreRequest): WireRequest {
    if (req.kind !== 'rest') throw new AuthError('config', `${displayName} takes REST requests, not JSON-RPC`);
    return jsonRestRequest(conn.baseUrl, req, session.attach);
  }
  async function request(conn: ConnectionConfig, session: Session, req: ExploreRequest, ctx: AdapterContext): Promise<CallResult> {
    const res = await send(ctx, wire(conn, session, req));
    if (res.status === 401) throw rejected(res, session);
    return { response: toApiResponse(res), session: touch(session, ctx.clock()) };
  }
  return { wire, request };
}

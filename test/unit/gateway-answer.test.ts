// The auth gateway's pure parts: how a request target is read and logged, and how an answer loses our credentials.
import * as assert from 'node:assert/strict';
import type { CallResult, Session } from '../../src/core/types';
import { answerOf, forwardedHeaders, HELD_MARKER, HELD_MARKER_HEADER } from '../../src/engine/gatewayAnswer';
import { hostAllowed, loggedTarget, parseTarget } from '../../src/engine/gatewayGuard';
import { call, useGateway } from './gateway-fixtures';

const OLD = 'old-token-0123456789';
const NEW = 'new-token-9876543210';

function session(token: string, history: string[] = [token]): Session {
  return {
    connectionId: 'ipc',
    vendor: 'ipcortex',
    authKind: 'password',
    token,
    attach: { kind: 'cookie', name: 'Red60urne', value: token },
    issuedAt: 0,
    expiresAt: null,
    expiresBecause: 'sliding-idle',
    slidingWindowMs: null,
    lastUsedAt: 0,
    refreshToken: null,
    refreshExpiresAt: null,
    jwt: null,
    refreshJwt: null,
    history: history.map((t) => ({ at: 0, event: 'call', method: 'x', token: t, replaced: null, expiresAt: null })),
    user: null,
    vendorState: {},
  };
}

describe('auth gateway: targets and answers', () => {
  it('reads /ID/rest and /~KEY/ID/rest; refuses absolute-form, scheme-relative and id-less targets', () => {
    assert.deepEqual(parseTarget('/dr/api/x?y=1'), { connectionId: 'dr', path: '/api/x?y=1' });
    assert.deepEqual(parseTarget('/dr?y=1'), { connectionId: 'dr', path: '/?y=1' });
    assert.deepEqual(parseTarget('/~K3y/cove'), { keyInPath: 'K3y', connectionId: 'cove', path: '' });
    for (const t of ['http://other/x', '//other/x', '*', '/', '/~K3y', '/~K3y/']) assert.equal(parseTarget(t), null, t);
  });

  it('logs the target with the path key and query values hidden', () => {
    assert.equal(loggedTarget('/~secret-key/dr/api?token=abc&x=1'), '/~***/dr/api?token=…&x=…');
  });

  it('Host must name the loopback address and port', () => {
    assert.equal(hostAllowed('127.0.0.1:8080', 8080), true);
    assert.equal(hostAllowed('LOCALHOST:8080', 8080), true);
    assert.equal(hostAllowed('127.0.0.1.nip.io:8080', 8080), false);
    assert.equal(hostAllowed(undefined, 8080), false);
  });

  it('the Red60urne Set-Cookie and any token of the session (old or renewed) become the marker; other cookies stay', () => {
    const result: CallResult = {
      response: {
        status: 200,
        statusText: 'OK',
        headers: {
          'set-cookie': `Red60urne=${NEW}; Path=/; HttpOnly, theme=dark; Expires=Wed, 21 Oct 2037 07:28:00 GMT`,
          'x-echo': OLD,
          'content-length': '5',
        },
        body: { ok: true },
        rawBody: `{"was":"${OLD}","now":"${NEW}"}`,
        contentType: 'application/json',
        durationMs: 1,
      },
      session: session(NEW, [OLD, NEW]),
    };
    const a = answerOf(result, session(OLD), undefined, false);
    assert.deepEqual(a.headers['set-cookie'], [`Red60urne=${HELD_MARKER_HEADER}; Path=/; HttpOnly`, 'theme=dark; Expires=Wed, 21 Oct 2037 07:28:00 GMT']);
    assert.equal(a.headers['x-echo'], HELD_MARKER_HEADER);
    assert.equal(a.headers['content-length'], undefined, 'the gateway sets its own length');
    assert.equal(a.body.toString('utf8'), `{"was":"${HELD_MARKER}","now":"${HELD_MARKER}"}`);
  });

  it('drops hop-by-hop headers, the key header and a client Red60urne cookie from what is forwarded', () => {
    const h = forwardedHeaders(
      { host: 'x', connection: 'keep-alive', 'x-api-auth-key': 'k', cookie: 'a=1; Red60urne=forged', accept: 'application/json', 'sec-fetch-mode': 'cors' },
      'x-api-auth-key',
    );
    assert.deepEqual(h, { cookie: 'a=1', accept: 'application/json' });
  });
});

describe('auth gateway: answer size', () => {
  const { start, cove } = useGateway();

  it("an answer larger than the connection's maxResponseBytes is a 502 error answer, not a truncated body", async () => {
    const conn = cove({ maxResponseBytes: 64 });
    const { gw } = await start([conn]);
    const a = await call(gw, 'POST', '/cove', { body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'EnumerateColumns', params: {} }) });
    assert.equal(a.status, 502, a.text);
    assert.equal(a.headers['x-api-auth-error'], 'protocol');
    assert.match(a.text, /larger than the 64 B limit|larger than the .* limit/);
  });
});

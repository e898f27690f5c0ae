// How Send Request shows an answer: the head (status, timing, redacted headers) as a comment in the body's own
// syntax, the session's tokens masked where the body repeats them, and the cap on large bodies — on real answers
// of the loopback vendor servers.
import * as assert from 'node:assert/strict';
import { SessionManager } from '../../src/engine/manager';
import { fillSample, MAX_BODY_CHARS, renderResponse, responseFormat } from '../../src/engine/requests';
import { sessionSecrets } from '../../src/core/session';
import type { ApiResponse, ConnectionConfig } from '../../src/core/types';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { useMockVendors } from './helpers';
import { ADAPTERS } from '../../src/vendors';

/** The document minus its `//` comment lines: what a JSON parser sees of a JSONC document. */
function withoutLineComments(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^\s*\/\//.test(l))
    .join('\n');
}

describe('Send Request answers as documents', () => {
  const mock = useMockVendors();
  const secrets = new Map<string, string>();
  const manager = () => new SessionManager({ adapters: ADAPTERS, getSecret: async (c) => secrets.get(c.id) });

  it('Cove: valid JSONC with the head as comments, and the new visa in the body masked', async () => {
    const conn: ConnectionConfig = {
      id: 'cove',
      label: 'Cove lab',
      vendor: 'cove',
      baseUrl: mock().baseUrl('cove'),
      partner: ACCOUNTS.cove.partner,
      username: ACCOUNTS.cove.username,
    };
    secrets.set('cove', ACCOUNTS.cove.password);
    const m = manager();
    await m.login(conn);
    const req = { kind: 'rpc', method: 'EnumeratePartners', params: { parentPartnerId: 0 } } as const;
    const { response, session } = await m.request(conn, req);
    assert.equal(responseFormat(response), 'jsonc');
    const text = renderResponse(conn, req, response, sessionSecrets(session));

    assert.match(text, /^\/\/ Cove lab — EnumeratePartners\n\/\/ HTTP 200 OK · \d+ ms\n/);
    assert.match(text, /^\/\/ content-type: application\/json/m);
    assert.match(text, /^\/\/ Tokens in the body are masked/m);
    const body = JSON.parse(withoutLineComments(text)) as { visa: string; result: { result: unknown[] } };
    assert.ok(Array.isArray(body.result.result) && body.result.result.length > 0, 'the partners are shown');
    assert.ok(!text.includes(session.token), 'the current visa is not in the document');
    assert.equal(typeof response.body === 'object' && (response.body as { visa: string }).visa, session.token, 'the answer did carry the new visa');
    assert.match(body.visa, /^.{6}….{6}$/);
    assert.equal(body.visa, `${session.token.slice(0, 6)}…${session.token.slice(-6)}`);
  });

  it('Commvault XML: the head is an XML comment and the answer is indented XML', async () => {
    const conn: ConnectionConfig = {
      id: 'cvx',
      vendor: 'commvault',
      format: 'xml',
      baseUrl: mock().baseUrl('commvault'),
      username: ACCOUNTS.commvault.username,
    };
    secrets.set('cvx', ACCOUNTS.commvault.password);
    const m = manager();
    const req = { kind: 'rest', method: 'POST', path: '/WhoAmI' } as const;
    const { response, session } = await m.request(conn, req);
    assert.equal(responseFormat(response), 'xml');
    const text = renderResponse(conn, req, response, sessionSecrets(session));
    assert.match(text, /^<\?xml version="1\.0"[^>]*\?>\n<!--\n {2}cvx — POST \/WhoAmI\n {2}HTTP 200 OK · \d+ ms\n/, 'the XML declaration stays first');
    const [comment, rest] = text.split('\n-->\n');
    assert.ok(rest, 'the comment is closed');
    assert.ok(!comment.slice(comment.indexOf('<!--') + 4).includes('--'), 'no "--" inside the XML comment');
    assert.match(rest.trim(), /^<\w[\s\S]*>$/, 'XML after the comment');
    assert.match(rest, /\n {2}</, 'indented');
    assert.ok(!text.includes(session.token.replace(/^QSDK /, '')), 'no Authtoken anywhere');
  });

  it('Cove samples are filled in from the login answer and the connection, and the server accepts them', async () => {
    const conn: ConnectionConfig = {
      id: 'cove2',
      vendor: 'cove',
      baseUrl: mock().baseUrl('cove'),
      partner: ACCOUNTS.cove.partner,
      username: ACCOUNTS.cove.username,
    };
    secrets.set('cove2', ACCOUNTS.cove.password);
    const m = manager();
    const session = await m.login(conn);
    const partnerId = session.user?.detail?.PartnerId;
    assert.equal(typeof partnerId, 'number');
    for (const sample of ADAPTERS['cove'].sampleRequests) {
      const req = fillSample(sample, conn, m.get(conn.id));
      assert.ok(!JSON.stringify(req).includes('{partner'), `${JSON.stringify(req)} has no placeholder left`);
      const { response } = await m.request(conn, req);
      assert.ok(!(response.body as { error?: unknown }).error, `${sample.kind === 'rpc' ? sample.method : ''}: ${JSON.stringify(response.body)}`);
    }
    const partners = fillSample(ADAPTERS['cove'].sampleRequests[0], conn, session);
    assert.deepEqual(partners.kind === 'rpc' && (partners.params as { parentPartnerId: unknown }).parentPartnerId, partnerId);
    const info = fillSample(ADAPTERS['cove'].sampleRequests[1], conn, session);
    assert.deepEqual(info.kind === 'rpc' && info.params, { name: ACCOUNTS.cove.partner });
  });

  it('caps a large body with a note in the document syntax', () => {
    const conn: ConnectionConfig = { id: 'big', vendor: 'datarhei', baseUrl: 'http://127.0.0.1:1' };
    const huge = Array.from({ length: 40_000 }, (_, i) => ({ id: `process-${i}`, state: 'running' }));
    const res: ApiResponse = { status: 200, statusText: 'OK', headers: {}, body: huge, rawBody: '', contentType: 'application/json', durationMs: 3 };
    const text = renderResponse(conn, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, res);
    assert.ok(text.length < MAX_BODY_CHARS + 2000, `document is ${text.length} chars`);
    assert.match(text, /\n\/\/ … body truncated: \d+ KB, the first 512 KB are shown\.\n$/);
  });
});

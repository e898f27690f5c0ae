// curlCommand: the shape of the curl line for requests with bodies, user headers, cookies and JSON-RPC ids.
import * as assert from 'node:assert/strict';
import { isAuthError } from '../../src/core/errors';
import { createSession } from '../../src/core/session';
import type { ConnectionConfig, Session } from '../../src/core/types';
import { curlCommand, wireRequest } from './curl-relay';

describe('curlCommand: shape of the line', () => {
  const session = (over: Partial<Session>): Session => ({
    ...createSession({
      connectionId: 'x',
      vendor: 'datarhei',
      authKind: 'password',
      token: 'tok',
      attach: { kind: 'header', name: 'Authorization', value: 'Bearer tok' },
      now: 0,
      method: 'POST /api/login',
    }),
    ...over,
  });
  const dr: ConnectionConfig = { id: 'dr', vendor: 'datarhei', baseUrl: 'https://core.example/', username: 'admin' };

  it('GET stays GET even with a body (curl would make --data a POST); HEAD is -I', () => {
    assert.equal(
      curlCommand(dr, session({}), { kind: 'rest', method: 'get', path: '/api/v3/process', body: { a: 1 } }),
      `curl -X GET -H 'Authorization: Bearer tok' -H 'Accept: application/json' -H 'Content-Type: application/json' --data-raw '{"a":1}' 'https://core.example/api/v3/process'`,
    );
    assert.equal(
      curlCommand(dr, session({}), { kind: 'rest', method: 'HEAD', path: '/api' }),
      `curl -I -H 'Authorization: Bearer tok' -H 'Accept: application/json' 'https://core.example/api'`,
    );
  });

  it('a client certificate goes as --cert/--key or --cert-type P12 --cert, beside --cacert; never a passphrase', () => {
    const req = { kind: 'rest', method: 'GET', path: '/api' } as const;
    const pem = curlCommand({ ...dr, tls: { caFile: '/etc/ca.pem', certFile: '/etc/client.pem', keyFile: "/etc/it's.key" } }, session({}), req);
    assert.match(pem, /^curl --cacert '\/etc\/ca\.pem' --cert '\/etc\/client\.pem' --key '\/etc\/it'\\''s\.key' -H /);
    const p12 = curlCommand({ ...dr, tls: { pfxFile: '/etc/client.p12' } }, session({}), req);
    assert.match(p12, /^curl --cert-type P12 --cert '\/etc\/client\.p12' -H /);
    // curl reads `--cert FILE:PASSWORD`: a colon in the path is escaped, so curl asks for the passphrase itself.
    const colon = curlCommand({ ...dr, tls: { pfxFile: '/certs/a:b.p12' } }, session({}), req);
    assert.match(colon, / --cert '\/certs\/a\\:b\.p12' /);
  });

  it('a body starting with @ is sent as text, not read from a file', () => {
    const line = curlCommand(dr, session({}), { kind: 'rest', method: 'POST', path: '/x', body: '@/etc/passwd' });
    assert.match(line, / --data-raw '@\/etc\/passwd' /);
  });

  it('the Commvault Authtoken cannot be overridden by a user header; user headers replace the defaults', () => {
    const cv: ConnectionConfig = { id: 'cv', vendor: 'commvault', baseUrl: 'https://cs.example/webconsole/api', username: 'admin', format: 'xml' };
    const s = session({ vendor: 'commvault', token: 'QSDK abc', attach: { kind: 'header', name: 'Authtoken', value: 'QSDK abc' } });
    const w = wireRequest(cv, s, { kind: 'rest', method: 'GET', path: '/Client', headers: { authtoken: 'mine', accept: 'application/json' } });
    assert.deepEqual(w.headers, { accept: 'application/json', Authtoken: 'QSDK abc' });
    assert.equal(
      curlCommand(cv, s, { kind: 'rest', method: 'POST', path: '/QCommand', body: '<App_Req a="1"/>' }),
      `curl -X POST -H 'Authtoken: QSDK abc' -H 'Accept: application/xml' -H 'Content-Type: application/xml' --data-raw '<App_Req a="1"/>' 'https://cs.example/webconsole/api/QCommand'`,
    );
  });

  it('a Commvault XML body that is neither an object nor text is refused, as the adapter refuses it', () => {
    const cv: ConnectionConfig = { id: 'cv', vendor: 'commvault', baseUrl: 'https://cs.example/api', username: 'admin', format: 'xml' };
    const s = session({ vendor: 'commvault', token: 'QSDK abc', attach: { kind: 'header', name: 'Authtoken', value: 'QSDK abc' } });
    assert.throws(
      () => curlCommand(cv, s, { kind: 'rest', method: 'POST', path: '/X', body: [1, 2] }),
      (e: unknown) => isAuthError(e) && e.kind === 'config',
    );
  });

  it('an IPCortex cookie joins a cookie of the user’s own in one -b', () => {
    const ipc: ConnectionConfig = { id: 'ipc', vendor: 'ipcortex', baseUrl: 'https://pabx.example', username: 'alice' };
    const s = session({ vendor: 'ipcortex', token: 'c00k', attach: { kind: 'cookie', name: 'Red60urne', value: 'c00k' } });
    assert.equal(
      curlCommand(ipc, s, { kind: 'rest', method: 'POST', path: '/rest/user/list', body: {}, headers: { Cookie: 'lang=en' } }),
      `curl -X POST -b 'lang=en; Red60urne=c00k' -H 'Accept: application/json' -H 'Content-Type: application/json' --data-raw '{}' 'https://pabx.example/rest/user/list'`,
    );
  });

  it('the Cove id follows the session’s last JSON-RPC id, as the adapter numbers its calls', () => {
    const cove: ConnectionConfig = { id: 'cove', vendor: 'cove', baseUrl: 'https://api.backup.management/jsonapi', partner: 'P', username: 'u' };
    const s = session({ vendor: 'cove', token: 'V2', attach: { kind: 'jsonrpc', name: 'visa', value: 'V2' }, vendorState: { lastRpcId: '4' } });
    assert.equal(
      curlCommand(cove, s, { kind: 'rpc', method: 'EnumerateColumns' }),
      `curl -X POST -H 'Content-Type: application/json' -H 'Accept: application/json' --data-raw '{"jsonrpc":"2.0","id":"5","visa":"V2","method":"EnumerateColumns","params":{}}' 'https://api.backup.management/jsonapi'`,
    );
  });
});

// One origin for credentials, without a server: joinUrl's table of hostile and ordinary paths, what every vendor's
// wire() and Copy as curl make of them, and URLs shown with their credentials masked.
import * as assert from 'node:assert/strict';
import { AuthError } from '../../src/core/errors';
import { joinUrl } from '../../src/core/http';
import { maskUrlCredentials, shownPath } from '../../src/core/origin';
import { createSession } from '../../src/core/session';
import type { ConnectionConfig, Session, VendorId } from '../../src/core/types';
import { curlCommand } from '../../src/engine/curl';
import { checkRequestTarget, staysOnOrigin } from '../../src/engine/requests';
import { ADAPTERS } from '../../src/vendors';
import { hostilePaths, onOriginLookalikes } from './origin-fixtures';

const BASE = 'http://127.0.0.1:3000/datarhei';
const OTHER_PORT = 4000;

function refusal(fn: () => unknown): AuthError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AuthError, `expected an AuthError, got ${String(e)}`);
    assert.equal(e.kind, 'config');
    return e;
  }
  assert.fail('expected a refusal');
}

describe('one origin for credentials: joinUrl', () => {
  it('joins relative paths under the base path, with or without the leading slash, and normalises like axios', () => {
    const cases: [string, string, string][] = [
      [BASE, '/api/v3/process', `${BASE}/api/v3/process`],
      [BASE, 'api/v3/process', `${BASE}/api/v3/process`],
      [`${BASE}/`, '/api', `${BASE}/api`],
      [`${BASE}//`, '/api', `${BASE}/api`],
      [BASE, '', `${BASE}/`],
      [BASE, '/a/../b', `${BASE}/b`],
      [BASE, '/x?y=1&next=http://127.0.0.2:4000/', `${BASE}/x?y=1&next=http://127.0.0.2:4000/`],
      [BASE, '/%2F%2F127.0.0.2:4000/x', `${BASE}/%2F%2F127.0.0.2:4000/x`],
      [BASE, '/\uFF0F\uFF0F127.0.0.2/x', `${BASE}/%EF%BC%8F%EF%BC%8F127.0.0.2/x`],
      ['http://127.0.0.1:3000', '/ping', 'http://127.0.0.1:3000/ping'],
      ['http://127.0.0.1:3000/', 'ping', 'http://127.0.0.1:3000/ping'],
      // A full URL on the same server, under the base path, is taken as it is (pasted from documentation).
      [BASE, `${BASE}/api`, `${BASE}/api`],
      [BASE, 'HTTP://127.0.0.1:3000/datarhei/x', `${BASE}/x`],
      ['https://h.example/api', 'https://h.example:443/api/x', 'https://h.example/api/x'],
      // The base's query is not kept (a query belongs to a request, not to the API root).
      ['https://h.example/api?x=1', '/y', 'https://h.example/api/y'],
    ];
    for (const [base, path, want] of cases) assert.equal(joinUrl(base, path), want, `${base} + ${path}`);
  });

  it('refuses every hostile path with the sentence, and never names a password', () => {
    const table = hostilePaths(OTHER_PORT, 3000);
    assert.ok(table.length >= 35);
    for (const [path, sentence] of table) {
      const e = refusal(() => joinUrl(BASE, path));
      assert.match(e.message, sentence, JSON.stringify(path));
      assert.ok(!e.message.includes('hunter2-pw'), e.message);
      assert.ok(!Array.from(e.message).some((c) => c < ' ' || c === '\x7f'), `raw control character in ${JSON.stringify(e.message)}`);
      assert.ok(e.details.nextStep, 'a way forward');
    }
  });

  it('says where a hostile path would have gone, in the words of the issue', () => {
    const e = refusal(() => joinUrl('https://conn.example/api', 'https://other.host/x'));
    assert.equal(
      e.message,
      `the path "https://other.host/x" points to another server (https://other.host); only paths on https://conn.example are sent with this connection's credentials`,
    );
    const up = refusal(() => joinUrl('https://cs.example/webconsole/api', '/../../commandcenter/api/x'));
    assert.equal(
      up.message,
      `the path "/../../commandcenter/api/x" leads out of the connection's base path (/webconsole/api); only paths under https://cs.example/webconsole/api/ are sent with this connection's credentials`,
    );
    // http:x is relative against an http base, another server against an https one (the scheme differs).
    assert.match(refusal(() => joinUrl('https://conn.example/api', 'http:other.host/x')).message, /points to another server \(http:\/\/other\.host\)/);
    assert.match(refusal(() => joinUrl('https://conn.example/api', 'https://me@conn.example/api/x')).message, /carries a user name or password/);
  });

  it('shows a refused path with its password masked and control characters visible', () => {
    assert.equal(shownPath('https://u:secret-pw@h/x'), 'https://u:***@h/x');
    assert.equal(shownPath('//token-as-user@h/x'), '//***@h/x');
    assert.equal(shownPath('/a\tb\u001b[2J'), '/a\\tb\\x1b[2J');
    assert.equal(maskUrlCredentials('https://user:pass@host'), 'https://user:***@host');
    assert.equal(maskUrlCredentials('http://u:p@proxy.example:8080/'), 'http://u:***@proxy.example:8080');
    assert.equal(maskUrlCredentials('https://ghp_token@host/api'), 'https://***@host/api');
    assert.equal(maskUrlCredentials('https://host/api'), 'https://host/api');
  });
});

describe('one origin for credentials: wire() and Copy as curl for every vendor', () => {
  const base = (vendor: VendorId) => `http://127.0.0.1:3000/${vendor}${vendor === 'cove' ? '/jsonapi' : ''}`;
  const conns: ConnectionConfig[] = [
    { id: 'dr', vendor: 'datarhei', baseUrl: base('datarhei'), username: 'admin' },
    { id: 'cv', vendor: 'commvault', baseUrl: base('commvault'), username: 'admin' },
    { id: 'cvx', vendor: 'commvault', baseUrl: base('commvault'), username: 'admin', format: 'xml' },
    { id: 'ipc', vendor: 'ipcortex', baseUrl: base('ipcortex'), username: 'alice' },
    { id: 'ipk', vendor: 'ipcortex', baseUrl: base('ipcortex'), auth: 'apiKey', apiKeyIn: 'body' },
    { id: 'c42', vendor: 'code42', baseUrl: base('code42'), username: 'u', auth: 'basic' },
  ];
  const session = (conn: ConnectionConfig): Session =>
    createSession({
      connectionId: conn.id,
      vendor: conn.vendor,
      authKind: conn.auth ?? 'password',
      token: 'tok-123',
      attach:
        conn.vendor === 'ipcortex'
          ? { kind: 'cookie', name: 'Red60urne', value: 'tok-123' }
          : { kind: 'header', name: 'Authorization', value: 'Bearer tok-123' },
      now: 0,
      method: 'login',
    });

  it('no REST vendor builds a request, nor a curl line, for a hostile path; ordinary look-alikes stay on the server', () => {
    for (const conn of conns) {
      const s = session(conn);
      for (const [path, sentence] of hostilePaths(OTHER_PORT, 3000)) {
        const req = { kind: 'rest' as const, method: 'POST', path, body: {} };
        assert.match(refusal(() => ADAPTERS[conn.vendor].wire(conn, s, req)).message, sentence, `${conn.id} ${JSON.stringify(path)}`);
        assert.match(refusal(() => checkRequestTarget(conn, req)).message, sentence);
        assert.equal(staysOnOrigin(conn, req), false);
      }
      for (const path of onOriginLookalikes(OTHER_PORT)) {
        const w = ADAPTERS[conn.vendor].wire(conn, s, { kind: 'rest', method: 'POST', path, body: {} });
        assert.ok(w.url.startsWith(`${conn.baseUrl}/`), `${conn.id} ${path} → ${w.url}`);
        assert.ok(curlCommand(conn, w).endsWith(`'${w.url}'`));
      }
    }
  });

  it('curlCommand refuses a wire request whose URL is off the connection (whatever built it)', () => {
    const conn = conns[0];
    const w = ADAPTERS.datarhei.wire(conn, session(conn), { kind: 'rest', method: 'GET', path: '/api' });
    assert.match(
      refusal(() => curlCommand(conn, { ...w, url: 'http://127.0.0.2:4000/api' })).message,
      /points to another server \(http:\/\/127\.0\.0\.2:4000\)/,
    );
    assert.match(
      refusal(() => curlCommand(conn, { ...w, url: 'http://127.0.0.1:3000/other-app/api' })).message,
      /leads out of the connection's base path \(\/datarhei\)/,
    );
  });

  it('Cove: a JSON-RPC call always goes to the baseUrl itself; method and params only change the body', () => {
    const cove: ConnectionConfig = { id: 'cove', vendor: 'cove', baseUrl: base('cove'), partner: 'P', username: 'u' };
    const s = { ...session(cove), attach: { kind: 'jsonrpc' as const, name: 'visa' as const, value: 'tok-123' } };
    const w = ADAPTERS.cove.wire(cove, s, { kind: 'rpc', method: 'http://127.0.0.2:4000/x', params: { url: '//127.0.0.2:4000' } });
    assert.equal(w.url, cove.baseUrl);
    checkRequestTarget(cove, { kind: 'rpc', method: 'X' });
    assert.ok(curlCommand(cove, w).endsWith(`'${cove.baseUrl}'`));
  });
});

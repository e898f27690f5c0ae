// datarhei Core mock, the about answers: GET /api, /ping and /api/v3 reproduce the answers captured from a real
// Core v16.16 server byte for byte, headers in the server order.
import * as assert from 'node:assert/strict';
import { setDatarheiAuth0 } from '../mock-vendors/datarhei';
import { startMockVendors } from '../mock-vendors/server';
import { ABOUT_SHORT_TRANSCRIPT, ABOUT_SHORT_WITH_AUTH0, AUTH0_ENTRY, INVALID_JWT, raw, useWireMock } from './datarhei-fixtures';

describe('datarhei Core mock: wire format of the real server', () => {
  const { mock, url, goodLogin } = useWireMock();

  it('GET /api without a token: the short about, headers in the server order', async () => {
    setDatarheiAuth0(mock().env, true);
    const r = await raw(url('/api'), 'GET');
    assert.equal(r.status, 200);
    assert.equal(r.statusMessage, 'OK');
    assert.equal(r.body, ABOUT_SHORT_WITH_AUTH0);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers.vary, 'Origin');
    assert.deepEqual(r.headerNames.slice(0, 4), ['Content-Type', 'Vary', 'Date', 'Content-Length']);
    assert.equal(r.headers['content-length'], String(Buffer.byteLength(r.body)));
  });

  it('with Auth0 off, GET /api is the transcript byte for byte (75 bytes)', async () => {
    setDatarheiAuth0(mock().env, false);
    const r = await raw(url('/api'), 'GET');
    assert.equal(r.body, ABOUT_SHORT_TRANSCRIPT);
    assert.equal(r.headers['content-length'], '75');
  });

  it('startMockVendors({ datarheiAuth0: false }): GET /api is the transcript from the start (75 bytes)', async () => {
    const m = await startMockVendors({ datarheiAuth0: false, lifetimes: { datarheiBadLoginDelayMs: 50 } });
    try {
      const r = await raw(`${m.baseUrl('datarhei')}/api`, 'GET');
      assert.equal(r.body, ABOUT_SHORT_TRANSCRIPT);
      assert.equal(r.headers['content-length'], '75');
      assert.deepEqual(r.headerNames.slice(0, 4), ['Content-Type', 'Vary', 'Date', 'Content-Length']);
    } finally {
      await m.close();
    }
  });

  it('GET /ping → text/plain "pong" (4 bytes)', async () => {
    const r = await raw(url('/ping'), 'GET');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/plain; charset=UTF-8');
    assert.equal(r.headers.vary, 'Origin');
    assert.equal(r.body, 'pong');
    assert.equal(r.headers['content-length'], '4');
  });

  it('GET /api/v3/process without a token → 401 "Missing or invalid JWT token" (81 bytes)', async () => {
    const r = await raw(url('/api/v3/process'), 'GET');
    assert.equal(r.status, 401);
    assert.equal(r.statusMessage, 'Unauthorized');
    assert.equal(r.body, INVALID_JWT);
    assert.equal(r.headers['content-length'], '81');
    assert.equal(r.headers['content-type'], 'application/json');
  });

  it('HEAD /api/v3/process without a token → 401 with no body', async () => {
    const r = await raw(url('/api/v3/process'), 'HEAD');
    assert.equal(r.status, 401);
    assert.equal(r.body, '');
    assert.equal(r.headers.vary, 'Origin');
    assert.equal(r.headers['content-type'], undefined);
  });

  it('GET /api with an access token: the full about, in the server key order', async () => {
    const t = await goodLogin();
    const r = await raw(url('/api'), 'GET', { Authorization: `Bearer ${t.access_token}` });
    assert.equal(r.status, 200);
    const about = JSON.parse(r.body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(about), ['app', 'auths', 'name', 'id', 'created_at', 'uptime_seconds', 'version']);
    assert.equal(about.app, 'datarhei-core');
    assert.deepEqual(about.auths, ['localjwt', AUTH0_ENTRY]);
    assert.match(String(about.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(typeof about.uptime_seconds, 'number');
    assert.deepEqual(about.version, {
      number: '16.16.0',
      repository_commit: '0de97f4a6b2e390ebde9ff702b95de3260119566',
      repository_branch: 'main',
      build_date: '',
      arch: 'linux/amd64',
      compiler: 'go1.23.5',
    });
    assert.ok(r.body.endsWith('}\n'));
  });

  it('GET /api/v3/process with the access token → "[]" with Vary Origin + Accept-Encoding; lowercase "bearer" works', async () => {
    const t = await goodLogin();
    for (const scheme of ['Bearer', 'bearer']) {
      const r = await raw(url('/api/v3/process'), 'GET', { Authorization: `${scheme} ${t.access_token}` });
      assert.equal(r.status, 200);
      assert.equal(r.body, '[]\n');
      assert.equal(r.headers['content-length'], '3');
      assert.equal(r.headers.vary, 'Origin, Accept-Encoding');
      assert.deepEqual(r.headerNames.slice(0, 5), ['Content-Type', 'Vary', 'Vary', 'Date', 'Content-Length']);
    }
  });
});

// The auth gateway refuses whoever does not hold its key, names other than its own loopback address (DNS
// rebinding), web pages, paths off the connection's origin and oversized bodies, and logs refusals without the key.
import * as assert from 'node:assert/strict';
import { datarheiReceived } from '../mock-vendors/datarhei';
import { call, useGateway } from './gateway-fixtures';

describe('auth gateway: who and what is refused', () => {
  const { mock, start, lines, datarhei } = useGateway();

  it('a request without the key, or with a wrong one, is answered 403 and logged without any key', async () => {
    const { gw } = await start([datarhei()]);
    const before = datarheiReceived(mock().env).length;
    const none = await call(gw, 'GET', '/dr/api/v3/process', { key: null });
    const wrong = await call(gw, 'GET', '/dr/api/v3/process', { key: `${gw.key.slice(0, -1)}x` });
    const wrongInPath = await call(gw, 'GET', '/~not-the-key/dr/api/v3/process', { key: null });
    for (const a of [none, wrong, wrongInPath]) {
      assert.equal(a.status, 403);
      assert.equal(a.headers['x-api-auth-error'], 'key');
    }
    assert.equal(datarheiReceived(mock().env).length, before, 'nothing reached the vendor');
    assert.equal(lines.length, 3);
    assert.ok(lines.every((l) => / → 403 key /.test(l) && !l.includes(gw.key) && !l.includes('not-the-key')));
  });

  it('the key as the first path segment (~KEY) works for tools that cannot set a header, and is not logged', async () => {
    const { gw } = await start([datarhei()]);
    const a = await call(gw, 'GET', new URL(gw.keyedBaseUrl('dr')).pathname + 'api/v3/process', { key: null });
    assert.equal(a.status, 200, a.text);
    assert.ok(!lines.join('\n').includes(gw.key));
    assert.match(lines[0], /\/~\*\*\*\/dr\/api\/v3\/process → 200/);
  });

  it('a Host other than 127.0.0.1:PORT or localhost:PORT (DNS rebinding) is refused with 421', async () => {
    const { gw } = await start([datarhei()]);
    for (const host of ['evil.example', `evil.example:${gw.port}`, `127.0.0.1:${gw.port + 1}`, `127.0.0.1`]) {
      const a = await call(gw, 'GET', '/dr/api/v3/process', { host });
      assert.equal(a.status, 421, host);
    }
    assert.equal((await call(gw, 'GET', '/dr/api/v3/process', { host: `localhost:${gw.port}` })).status, 200);
  });

  it('a browser Origin is refused with 403 unless allowed; an allowed one gets its CORS headers', async () => {
    const { gw } = await start([datarhei()], { allowedOrigins: ['http://localhost:5173'] });
    const evil = await call(gw, 'GET', '/dr/api/v3/process', { headers: { origin: 'https://evil.example' } });
    assert.equal(evil.status, 403);
    assert.equal(evil.headers['x-api-auth-error'], 'origin');
    const crossSite = await call(gw, 'GET', '/dr/api/v3/process', { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(crossSite.status, 403);
    const ok = await call(gw, 'GET', '/dr/api/v3/process', { headers: { origin: 'http://localhost:5173' } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.headers['access-control-allow-origin'], 'http://localhost:5173');
  });

  it('absolute, scheme-relative and climbing paths are refused with 400 before anything is sent', async () => {
    const { gw } = await start([datarhei()]);
    const before = datarheiReceived(mock().env).length;
    const targets = [
      `http://127.0.0.1:${gw.port}/dr/api/v3/process`,
      '/dr//evil.example/x',
      '/dr/../cove/jsonapi',
      '/dr/%2e%2e/cove/jsonapi',
      '/dr/\\\\evil.example/x',
    ];
    for (const t of targets) {
      const a = await call(gw, 'GET', t);
      assert.equal(a.status, 400, `${t}: ${a.text}`);
    }
    assert.equal(datarheiReceived(mock().env).length, before, 'nothing reached the vendor');
  });

  it('an unexposed or unknown connection id is 404', async () => {
    const conn = datarhei();
    const { gw } = await start([conn], { exposed: [] });
    assert.equal((await call(gw, 'GET', '/dr/api/v3/process')).status, 404);
    assert.equal((await call(gw, 'GET', '/nope/x')).status, 404);
  });

  it('a request body over the limit is answered 413 and not forwarded', async () => {
    const { gw } = await start([datarhei()], { limits: { maxBodyBytes: 1024 } });
    const before = datarheiReceived(mock().env).length;
    const a = await call(gw, 'POST', '/dr/api/v3/process', { body: Buffer.alloc(4096, 'a'), headers: { 'content-type': 'application/json' } });
    assert.equal(a.status, 413);
    const chunked = await call(gw, 'POST', '/dr/api/v3/process', { body: Buffer.alloc(4096, 'a'), headers: { 'transfer-encoding': 'chunked' } });
    assert.equal(chunked.status, 413);
    assert.equal(datarheiReceived(mock().env).length, before);
  });

  it('the gateway listens on 127.0.0.1 only', async () => {
    const { gw } = await start([datarhei()]);
    const other = await fetch(`http://127.0.0.2:${gw.port}/dr/`).then(
      () => 'answered',
      () => 'refused',
    );
    assert.equal(other, 'refused');
  });
});

// datarhei Core mock, the facts where it differed from a real Core v16.16 sent the same raw requests
// (../shared/PROTOCOLS.md §6): login content type, routes, the Bearer header, nbf/exp, CORS, swagger, gzip and the
// Connection header.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { setDatarheiOptions } from '../mock-vendors/datarhei';
import { A, clock, DELAY_MS, INVALID_JWT, MISSING_CREDENTIALS, raw, useWireMock } from './datarhei-fixtures';

/** One exchange on a given agent, the body kept as bytes (raw() reads text and uses no keep-alive). */
function bytes(url: string, headers: Record<string, string>, agent?: http.Agent): Promise<{ res: http.IncomingMessage; body: Buffer; port: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: agent ?? false }, (res) => {
        const port = res.socket.localPort ?? 0;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ res, body: Buffer.concat(chunks), port }));
      })
      .on('error', reject);
  });
}

describe('datarhei Core mock: where it now answers as the real server', () => {
  const { mock, delayed, url, loginRaw, goodLogin } = useWireMock();
  const creds = JSON.stringify({ username: A.username, password: A.password });
  const withToken = async (extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${(await goodLogin()).access_token}`, ...extra });
  afterEach(() => setDatarheiOptions(mock().env, { claims: {} }));

  it('datarhei login without a JSON content type is refused after 5 s', async () => {
    for (const headers of [{ 'Content-Type': 'text/plain' }, {}] as Record<string, string>[]) {
      const before = delayed();
      const r = await raw(url('/api/login'), 'POST', headers, creds);
      assert.equal(r.status, 400, JSON.stringify(headers));
      assert.equal(r.body, MISSING_CREDENTIALS);
      assert.equal(delayed(), before + 1, 'held back for the delay');
      assert.ok(r.ms >= DELAY_MS - 10, `answered after ${r.ms} ms`);
    }
    assert.equal((await loginRaw(creds, 'application/json; charset=utf-8')).status, 200, 'a charset parameter is fine');
  });

  it('datarhei GET /api/v3/skills has the key filter, not filters', async () => {
    const r = await raw(url('/api/v3/skills'), 'GET', await withToken());
    assert.equal(r.status, 200);
    const skills = JSON.parse(r.body) as Record<string, unknown>;
    assert.ok(Array.isArray(skills.filter) && skills.filter.length > 0);
    assert.equal(skills.filters, undefined);
  });

  it('datarhei a trailing slash is another path: /api/v3/process/ → 404 (401 without a token)', async () => {
    const headers = await withToken();
    assert.equal((await raw(url('/api/v3/process'), 'GET', headers)).status, 200);
    assert.equal((await raw(url('/api/v3/process/'), 'GET', headers)).status, 404);
    assert.equal((await raw(url('/api/v3/process/'), 'GET')).status, 401);
  });

  it('datarhei HEAD on v3 → 404 with a token (401 without)', async () => {
    const r = await raw(url('/api/v3/process'), 'HEAD', await withToken());
    assert.equal(r.status, 404);
    assert.equal(r.body, '');
    assert.equal((await raw(url('/api/v3/process'), 'HEAD')).status, 401);
  });

  it('datarhei "Bearer" followed by two spaces → 401', async () => {
    const { access_token } = await goodLogin();
    const r = await raw(url('/api/v3/process'), 'GET', { Authorization: `Bearer  ${access_token}` });
    assert.equal(r.status, 401);
    assert.equal(r.body, INVALID_JWT);
    assert.equal((await raw(url('/api/v3/process'), 'GET', { Authorization: `Bearer ${access_token}` })).status, 200);
  });

  it('datarhei a token with nbf in the future → 401, accepted once nbf has come', async () => {
    setDatarheiOptions(mock().env, { claims: { nbf: Math.floor(clock() / 1000) + 60 } });
    const headers = await withToken();
    assert.equal((await raw(url('/api/v3/process'), 'GET', headers)).status, 401);
    clock.advance(61_000);
    assert.equal((await raw(url('/api/v3/process'), 'GET', headers)).status, 200);
  });

  it('datarhei a token without exp is accepted', async () => {
    setDatarheiOptions(mock().env, { claims: { exp: undefined } });
    const { access_token } = await goodLogin();
    assert.equal(JSON.parse(Buffer.from(access_token.split('.')[1], 'base64url').toString()).exp, undefined);
    assert.equal((await raw(url('/api/v3/process'), 'GET', { Authorization: `Bearer ${access_token}` })).status, 200);
  });

  it('datarhei OPTIONS with an Origin → 204 with CORS headers, before any token check', async () => {
    const r = await raw(url('/api/v3/process'), 'OPTIONS', {
      Origin: 'https://ui.example',
      'Access-Control-Request-Method': 'GET',
      'Access-Control-Request-Headers': 'authorization',
    });
    assert.equal(r.status, 204);
    assert.equal(r.body, '');
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(r.headers['access-control-allow-methods'], 'GET,HEAD,PUT,PATCH,POST,DELETE');
    assert.equal(r.headers['access-control-allow-headers'], 'authorization');
    assert.equal(r.headers.vary, 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
    const simple = await raw(url('/api'), 'GET', { Origin: 'https://ui.example' });
    assert.equal(simple.headers['access-control-allow-origin'], '*', 'a simple request gets the origin header too');
  });

  it('datarhei /api/swagger/index.html needs no token', async () => {
    const r = await raw(url('/api/swagger/index.html'), 'GET');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/html/);
    assert.match(r.body, /swagger/i);
  });

  it('datarhei answers of 1000 bytes or more are gzip-compressed when the client accepts gzip', async () => {
    const headers = await withToken();
    const big = await bytes(url('/api/v3/skills'), { ...headers, 'Accept-Encoding': 'gzip' });
    assert.equal(big.res.headers['content-encoding'], 'gzip');
    assert.equal(big.res.headers['content-length'], String(big.body.length));
    const text = gunzipSync(big.body).toString('utf8');
    assert.ok(Buffer.byteLength(text) >= 1000, `${Buffer.byteLength(text)} bytes`);
    assert.ok('filter' in (JSON.parse(text) as object));
    const plain = await bytes(url('/api/v3/skills'), headers);
    assert.equal(plain.res.headers['content-encoding'], undefined, 'not asked: not compressed');
    assert.equal(plain.body.toString('utf8'), text);
    const small = await bytes(url('/api/v3/process'), { ...headers, 'Accept-Encoding': 'gzip' });
    assert.equal(small.res.headers['content-encoding'], undefined, 'under 1000 bytes: not compressed');
    assert.equal(small.body.toString('utf8'), '[]\n');
  });

  it('datarhei answers carry no Connection or Keep-Alive header, and the connection stays open', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const ports: number[] = [];
      for (const path of ['/api', '/ping', '/api/v3/process', '/api/login']) {
        const { res, port } = await bytes(url(path), {}, agent);
        const names = res.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
        assert.ok(!names.includes('connection') && !names.includes('keep-alive'), `${path}: ${names.join(', ')}`);
        ports.push(port);
      }
      assert.equal(new Set(ports).size, 1, 'one connection for all four');
    } finally {
      agent.destroy();
    }
  });
});

// The CLI's choice of proxy (flag, connection, environment, NO_PROXY), the parsing of proxy URLs and the sentences
// for a proxy that refuses: pure functions of src/core/proxy.ts, plus one client against the loopback test proxy.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { AuthError, describeError } from '../../src/core/errors';
import { createHttpClient, send } from '../../src/core/http';
import {
  bypassesProxy,
  maskProxyText,
  parseProxyUrl,
  proxyLabel,
  proxyOfClient,
  proxyOrigin,
  proxyRefusal,
  proxyTransportError,
  resolveProxy,
} from '../../src/core/proxy';
import { startTestProxy } from '../mock-vendors/proxy';
import { rejects } from './helpers';

const HTTPS = 'https://api.example.com/jsonapi';
const HTTP = 'http://cv.example.com:81/webconsole/api';

function configError(run: () => unknown): AuthError {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof AuthError, String(e));
    assert.equal(e.kind, 'config');
    return e;
  }
  assert.fail('expected a config error');
}

describe('proxy choice (resolveProxy)', () => {
  it('takes HTTPS_PROXY for an https:// server and HTTP_PROXY for an http:// one', () => {
    const env = { HTTPS_PROXY: 'http://secure.proxy:3128', HTTP_PROXY: 'http://plain.proxy:8080' };
    assert.deepEqual(resolveProxy({}, HTTPS, { env }), { protocol: 'http', host: 'secure.proxy', port: 3128 });
    assert.deepEqual(resolveProxy({}, HTTP, { env }), { protocol: 'http', host: 'plain.proxy', port: 8080 });
  });

  it('reads the lower-case spellings first, then ALL_PROXY; no variable means direct', () => {
    assert.equal(resolveProxy({}, HTTPS, { env: {} }), false);
    assert.equal(resolveProxy({}, HTTPS, { env: { HTTP_PROXY: 'http://p:1' } }), false, 'HTTP_PROXY is not for https:// servers');
    assert.deepEqual(resolveProxy({}, HTTPS, { env: { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' } }), {
      protocol: 'http',
      host: 'lower',
      port: 1,
    });
    assert.deepEqual(resolveProxy({}, HTTP, { env: { http_proxy: 'http://lower:3' } }), { protocol: 'http', host: 'lower', port: 3 });
    assert.deepEqual(resolveProxy({}, HTTP, { env: { ALL_PROXY: 'http://all:4' } }), { protocol: 'http', host: 'all', port: 4 });
    assert.deepEqual(resolveProxy({}, HTTPS, { env: { all_proxy: 'all:5', HTTPS_PROXY: '' } }), { protocol: 'http', host: 'all', port: 5 }, 'empty = unset');
  });

  it('puts --proxy before the connection and the connection before the environment', () => {
    const env = { HTTPS_PROXY: 'http://env:1' };
    assert.deepEqual(resolveProxy({ proxy: 'http://conn:2' }, HTTPS, { env }), { protocol: 'http', host: 'conn', port: 2 });
    assert.equal(resolveProxy({ proxy: false }, HTTPS, { env }), false, 'proxy: false is direct whatever the environment says');
    assert.deepEqual(resolveProxy({ proxy: false }, HTTPS, { env, flag: 'http://flag:3' }), { protocol: 'http', host: 'flag', port: 3 });
    assert.equal(resolveProxy({ proxy: 'http://conn:2' }, HTTPS, { env, flag: 'none' }), false, '--proxy none is direct');
    assert.equal(resolveProxy({}, HTTPS, { env, flag: ' NONE ' }), false);
  });

  it('lets NO_PROXY exempt hosts from the environment’s proxy (*, names, .domain, *.domain, host:port, IPs)', () => {
    const through = (url: string, noProxy: string, key = 'NO_PROXY') =>
      resolveProxy({}, url, { env: { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', [key]: noProxy } }) !== false;
    assert.equal(through(HTTPS, '*'), false);
    assert.equal(through(HTTPS, 'api.example.com'), false);
    assert.equal(through(HTTPS, 'API.Example.COM'), false, 'case-insensitive');
    assert.equal(through(HTTPS, 'example.com'), false, 'a name covers its sub-hosts (curl)');
    assert.equal(through(HTTPS, '.example.com'), false);
    assert.equal(through(HTTPS, '*.example.com'), false);
    assert.equal(through('https://example.com/x', '.example.com'), false, '.domain covers the domain itself');
    assert.equal(through(HTTPS, 'other.com, xample.com'), true, 'no partial label match');
    assert.equal(through(HTTPS, 'api.example.com:443'), false, 'the default port counts');
    assert.equal(through(HTTPS, 'api.example.com:8443'), true, 'another port does not match');
    assert.equal(through(HTTP, 'cv.example.com:81'), false);
    assert.equal(through('http://127.0.0.2:5000/x', 'localhost,127.0.0.2'), false, 'an IP in a list');
    assert.equal(through('http://127.0.0.2:5000/x', '127.0.0.1'), true);
    assert.equal(through('http://[::1]:5000/x', '[::1]:5000'), false, '[IPv6]:port');
    assert.equal(through('http://[::1]:5000/x', '::1'), false, 'a bare IPv6 address');
    assert.equal(through(HTTPS, 'example.com', 'no_proxy'), false, 'the lower-case spelling');
    assert.equal(through(HTTPS, ''), true);
  });

  it('uses a proxy named on purpose (flag, connection) even for a host NO_PROXY lists', () => {
    assert.deepEqual(resolveProxy({ proxy: 'http://conn:2' }, HTTPS, { env: { NO_PROXY: '*' } }), { protocol: 'http', host: 'conn', port: 2 });
    assert.deepEqual(resolveProxy({}, HTTPS, { env: { NO_PROXY: '*' }, flag: 'flag:3' }), { protocol: 'http', host: 'flag', port: 3 });
  });

  it('bypassesProxy reads the target URL’s host and port', () => {
    assert.equal(bypassesProxy(new URL('https://a.b.c:8443/'), 'b.c:8443'), true);
    assert.equal(bypassesProxy(new URL('https://a.b.c/'), 'b.c:8443'), false);
  });
});

describe('proxy URLs (parseProxyUrl)', () => {
  it('decodes percent-encoded credentials (axios would send a URL’s password still encoded)', () => {
    assert.deepEqual(parseProxyUrl('http://user:p%40ss%20w0rd@proxy.corp:3128'), {
      protocol: 'http',
      host: 'proxy.corp',
      port: 3128,
      auth: { username: 'user', password: 'p@ss w0rd' },
    });
    assert.deepEqual(parseProxyUrl('http://dom%5Cuser@proxy.corp'), {
      protocol: 'http',
      host: 'proxy.corp',
      port: 80,
      auth: { username: 'dom\\user', password: '' },
    });
  });

  it('reads a URL without scheme as http://, and an IPv6 host without brackets', () => {
    assert.deepEqual(parseProxyUrl('proxy.corp:3128'), { protocol: 'http', host: 'proxy.corp', port: 3128 });
    assert.deepEqual(parseProxyUrl('http://[::1]:3128/'), { protocol: 'http', host: '::1', port: 3128 });
  });

  it('refuses other schemes and non-URLs with a config error that never shows the password', () => {
    for (const bad of [
      'socks5://user:hunter2@p:1080',
      'https://user:hunter2@p:443',
      'http://user:hunter2@',
      'http://user:hunter2@p:99999',
      'http://user:hunter2@p:1/path',
    ]) {
      const e = configError(() => parseProxyUrl(bad));
      assert.match(e.message, /^the proxy ".*" is not a valid http:\/\/ URL$/);
      assert.ok(!e.message.includes('hunter2'), e.message);
      assert.ok(!describeError(e, { id: 'c' }).includes('hunter2'));
    }
    assert.match(configError(() => parseProxyUrl('socks5://user:hunter2@p:1080')).message, /"socks5:\/\/\*\*\*@p:1080"/);
  });

  it('a connection whose proxy is neither a URL nor false is a config error', () => {
    configError(() => resolveProxy({ proxy: 42 as unknown as string }, HTTPS, { env: {} }));
  });

  it('labels show the user but never the password', () => {
    assert.equal(proxyLabel(parseProxyUrl('http://user:p%40ss@proxy.corp:3128')), 'http://user:***@proxy.corp:3128');
    assert.equal(proxyLabel(parseProxyUrl('http://[::1]:3128')), 'http://[::1]:3128');
    assert.equal(maskProxyText('user:p@ss w0rd@proxy:1'), '***@proxy:1');
  });
});

describe('proxy refusals (proxyRefusal, proxyTransportError)', () => {
  const proxy = parseProxyUrl('http://127.0.0.1:3128');
  const withAuth = parseProxyUrl('http://user:hunter2@127.0.0.1:3128');
  const answer = (status: number, statusText: string, contentType = 'text/html', fromProxy = false) => ({ status, statusText, contentType, fromProxy });

  it('407 without credentials: the proxy asked for them; with credentials: it refused them', () => {
    const ask = proxyRefusal(answer(407, 'Proxy Authentication Required'), proxy, HTTPS);
    assert.equal(ask?.kind, 'network');
    assert.equal(ask?.message, 'the proxy http://127.0.0.1:3128 asked for credentials (HTTP 407 Proxy Authentication Required)');
    assert.equal(ask?.details.nextStep, `put user:password@ in the proxy URL (HTTPS_PROXY, the connection's "proxy" or --proxy)`);
    const refused = proxyRefusal(answer(407, 'Proxy Authentication Required'), withAuth, HTTPS);
    assert.match(refused?.message ?? '', /^the proxy http:\/\/127\.0\.0\.1:3128 refused the credentials given for it \(HTTP 407/);
    assert.ok(!describeError(refused, { id: 'c' }).includes('hunter2'));
  });

  it('502/503/504 are the proxy’s when its tunnel was refused or the page is not JSON/XML; a vendor’s JSON 502 is not', () => {
    assert.equal(
      proxyRefusal(answer(502, 'Bad Gateway', 'text/plain', true), proxy, HTTPS)?.message,
      'the proxy http://127.0.0.1:3128 could not reach https://api.example.com (HTTP 502 Bad Gateway)',
    );
    assert.match(proxyRefusal(answer(504, 'Gateway Timeout'), proxy, HTTP)?.message ?? '', /could not reach http:\/\/cv\.example\.com:81 \(HTTP 504/);
    assert.equal(proxyRefusal(answer(502, 'Bad Gateway', 'application/json'), proxy, HTTP), undefined);
    assert.equal(proxyRefusal(answer(500, 'Internal Server Error', 'text/html', true), proxy, HTTP), undefined);
    assert.equal(proxyRefusal(answer(200, 'OK'), proxy, HTTP), undefined);
  });

  it('a refused or unknown proxy host is "proxy unreachable"; other failures are left to the usual mapping', () => {
    const usual = new AuthError('network', 'server unreachable: connection refused at http://cv.example.com:81');
    assert.equal(proxyTransportError({ code: 'ECONNREFUSED' }, proxy, usual).message, 'proxy unreachable: connection refused at http://127.0.0.1:3128');
    assert.match(
      proxyTransportError({ cause: { code: 'ENOTFOUND' } }, withAuth, usual).message,
      /^proxy unreachable: host not found for http:\/\/127\.0\.0\.1:3128$/,
    );
    const tls = new AuthError('tls', 'the TLS certificate of https://api.example.com was rejected (CERT_HAS_EXPIRED)');
    assert.equal(proxyTransportError({ code: 'CERT_HAS_EXPIRED' }, proxy, tls), tls);
  });
});

describe('HTTP client with a proxy (loopback)', () => {
  it('a proxy that never answers the CONNECT: a timeout within timeoutMs that names the proxy too', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const setting = parseProxyUrl(`http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`);
      const client = createHttpClient({ timeoutMs: 400 }, { proxy: setting });
      const t0 = Date.now();
      const e = await rejects(send({ http: client, clock: Date.now }, { method: 'GET', url: 'https://127.0.0.2:9/x' }), 'timeout');
      const ms = Date.now() - t0;
      assert.ok(ms >= 350 && ms < 1400, `failed after ${ms} ms`);
      assert.equal(e.message, `no answer from https://127.0.0.2:9 within 0.4 s (timeout) through the proxy ${proxyOrigin(setting)}`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('a refused CONNECT is known to be the proxy’s answer, even one in JSON (marked on the request by the tunnel)', async () => {
    const body = '{"error":"upstream unreachable"}';
    const proxy = net.createServer((s) =>
      s.once('data', () => s.end(`HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`)),
    );
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const setting = parseProxyUrl(`http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`);
      const client = createHttpClient({ timeoutMs: 2000 }, { proxy: setting });
      const e = await rejects(send({ http: client, clock: Date.now }, { method: 'GET', url: 'https://127.0.0.2:9/x' }), 'network');
      assert.equal(e.message, `the proxy ${proxyOrigin(setting)} could not reach https://127.0.0.2:9 (HTTP 503 Service Unavailable)`);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('keeps its proxy, sends through it, and a client without one goes direct', async () => {
    const proxy = await startTestProxy({ refuse: true });
    try {
      const setting = parseProxyUrl(proxy.url);
      const client = createHttpClient({ timeoutMs: 2000 }, { proxy: setting });
      assert.deepEqual(proxyOfClient(client), setting);
      assert.equal(proxyOfClient(createHttpClient({})), undefined);
      const e = await rejects(send({ http: client, clock: Date.now }, { method: 'GET', url: 'http://127.0.0.2:9/x' }), 'network');
      assert.equal(e.message, `the proxy ${proxy.url} could not reach http://127.0.0.2:9 (HTTP 502 Bad Gateway)`);
      assert.deepEqual(proxy.log, ['GET http://127.0.0.2:9/x']);
    } finally {
      await proxy.close();
    }
  });
});

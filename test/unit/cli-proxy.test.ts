// The `api-auth` CLI behind a proxy, as users run it: dist/cli.js in a child process with HTTPS_PROXY / HTTP_PROXY /
// NO_PROXY set (and every other proxy variable absent), the test proxy on 127.0.0.1 logging what passes, the vendors
// on 127.0.0.2 (HTTPS certificate from the test CA). The proxy's log proves the route: CONNECT tunnels only for
// https:// servers (the proxy never sees the password), absolute-form requests for http:// ones.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConnectionConfig } from '../../src/core/types';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { startTestProxy, type TestProxy, type TestProxyOptions } from '../mock-vendors/proxy';
import { assertNoLeak, CLI, cli, leakForms, type Run } from './cli-fixtures';
import { useMockVendors } from './helpers';

const TLS_DIR = path.resolve(__dirname, '../../../test/fixtures/tls');
const CA_FILE = path.join(TLS_DIR, 'ca-cert.pem');
const PASSWORD = ACCOUNTS.datarhei.password;
/** Proxy credentials with characters that must be percent-encoded in a URL. */
const PROXY_USER = 'user';
const PROXY_PASS = 'p@ss w0rd';
const PROXY_PASS_ENCODED = 'p%40ss%20w0rd';
/** A run of the CLI through a proxy must end within this (no hang, no retry loop). */
const QUICK_MS = 5000;

describe('api-auth CLI behind a proxy', function () {
  this.timeout(30_000);
  const mock = useMockVendors({ host: '127.0.0.2', httpsCert: 'ca' });
  let dir: string;
  let config: string;
  let httpsPort: string;
  let httpPort: string;
  const proxies: TestProxy[] = [];

  before(() => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-auth-proxy-'));
    config = path.join(dir, 'api-auth.json');
    const m = mock();
    httpsPort = new URL(m.httpsUrl).port;
    httpPort = new URL(m.url).port;
    const secure = { vendor: 'datarhei', baseUrl: m.baseUrl('datarhei', true), username: ACCOUNTS.datarhei.username, tls: { caFile: CA_FILE } } as const;
    const connections: ConnectionConfig[] = [
      { id: 'dr-https', ...secure },
      { id: 'dr-http', vendor: 'datarhei', baseUrl: m.baseUrl('datarhei'), username: ACCOUNTS.datarhei.username },
      { id: 'dr-direct', ...secure, proxy: false },
      { id: 'dr-own', ...secure, proxy: `http://${PROXY_USER}:${PROXY_PASS_ENCODED}@127.0.0.1:9` },
      { id: 'dr-untrusted', ...secure, tls: {} },
      { id: 'dr-insecure', ...secure, tls: { rejectUnauthorized: false } },
    ];
    fs.writeFileSync(config, JSON.stringify({ connections }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });

  const proxy = async (opts: TestProxyOptions = {}): Promise<TestProxy> => {
    const p = await startTestProxy(opts);
    proxies.push(p);
    return p;
  };
  const withCredentials = (p: TestProxy, user = PROXY_USER, pass = PROXY_PASS_ENCODED) => p.url.replace('://', `://${user}:${pass}@`);

  /** `request ID GET /api/v3/process` (a login, then one call), timed; env: the proxy variables of this run. */
  async function call(id: string, env: Record<string, string>, extra: string[] = []): Promise<Run & { ms: number }> {
    const t0 = Date.now();
    const r = await cli(['request', id, 'GET', '/api/v3/process', '--config', config, ...extra], { env: { API_AUTH_SECRET: PASSWORD, ...env } });
    return { ...r, ms: Date.now() - t0 };
  }
  function assertOk(r: Run & { ms: number }): void {
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^HTTP 200/m);
    // Nothing on standard error: in particular no DEP0123 ("Setting the TLS ServerName to an IP address").
    assert.equal(r.stderr, '');
    assert.ok(r.ms < QUICK_MS, `took ${r.ms} ms`);
    assertNoLeak(r, leakForms(PASSWORD));
  }
  /** A port nothing listens on: bound, then closed. */
  async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  it('tunnels to an https:// server with CONNECT only: the proxy sees no request in clear', async () => {
    const p = await proxy();
    const r = await call('dr-https', { HTTPS_PROXY: p.url, HTTP_PROXY: p.url });
    assertOk(r);
    assert.ok(p.log.length >= 1);
    assert.deepEqual(new Set(p.log), new Set([`CONNECT 127.0.0.2:${httpsPort}`]), p.log.join('\n'));
  });

  it('sends to an http:// server in absolute form through HTTP_PROXY', async () => {
    const p = await proxy();
    const r = await call('dr-http', { HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: p.url });
    assertOk(r);
    assert.deepEqual(p.log, [`POST http://127.0.0.2:${httpPort}/datarhei/api/login`, `GET http://127.0.0.2:${httpPort}/datarhei/api/v3/process`]);
  });

  it('goes direct for a host NO_PROXY lists, and for a connection with "proxy": false', async () => {
    const p = await proxy();
    assertOk(await call('dr-https', { HTTPS_PROXY: p.url, HTTP_PROXY: p.url, NO_PROXY: 'localhost,127.0.0.2' }));
    assertOk(await call('dr-http', { HTTPS_PROXY: p.url, http_proxy: p.url, no_proxy: `127.0.0.2:${httpPort}` }));
    assertOk(await call('dr-direct', { HTTPS_PROXY: p.url, HTTP_PROXY: p.url }));
    assert.deepEqual(p.log, []);
  });

  it('--proxy overrides the environment and the connection; --proxy none connects directly', async () => {
    const p = await proxy();
    const down = `http://127.0.0.1:${await closedPort()}`;
    assertOk(await call('dr-https', { HTTPS_PROXY: down }, ['--proxy', p.url]));
    assertOk(await call('dr-own', { HTTPS_PROXY: down }, ['--proxy', p.url]));
    assert.deepEqual(new Set(p.log), new Set([`CONNECT 127.0.0.2:${httpsPort}`]));
    p.log.length = 0;
    assertOk(await call('dr-https', { HTTPS_PROXY: p.url, NO_PROXY: '' }, ['--proxy', 'none']));
    assert.deepEqual(p.log, []);
  });

  it('proxy credentials, percent-encoded in the URL, reach the proxy decoded and are printed nowhere', async () => {
    const p = await proxy({ credentials: `${PROXY_USER}:${PROXY_PASS}` });
    const url = withCredentials(p);
    const secrets = [PROXY_PASS, PROXY_PASS_ENCODED, Buffer.from(`${PROXY_USER}:${PROXY_PASS}`).toString('base64')];
    for (const id of ['dr-https', 'dr-http']) {
      const r = await call(id, { HTTPS_PROXY: url, HTTP_PROXY: url });
      assertOk(r);
      assertNoLeak(r, secrets);
    }
    assert.ok(p.log.length >= 3, p.log.join('\n'));
    assert.deepEqual(new Set(p.authorizations), new Set([`Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASS}`, 'utf8').toString('base64')}`]));
    const list = await cli(['list', '--config', config], { env: { HTTPS_PROXY: url } });
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`^dr-https\\t.*\\tvia http://user:\\*\\*\\*@127\\.0\\.0\\.1:${new URL(p.url).port}$`, 'm'));
    assert.match(list.stdout, /^dr-direct\t.*\tdirect$/m);
    assert.match(list.stdout, /^dr-own\t.*\tvia http:\/\/user:\*\*\*@127\.0\.0\.1:9$/m);
    const json = await cli(['list', '--json', '--config', config], { env: { HTTPS_PROXY: url } });
    const listed = JSON.parse(json.stdout) as { id: string; proxy?: string; route: string }[];
    assert.deepEqual(
      listed.filter((c) => c.id === 'dr-own').map(({ proxy, route }) => ({ proxy, route })),
      [{ proxy: 'http://user:***@127.0.0.1:9', route: 'via http://user:***@127.0.0.1:9' }],
    );
    for (const out of [list, json]) assertNoLeak(out, secrets);
  });

  it("the server's certificate is checked through the tunnel: untrusted refused, trusted by caFile or rejectUnauthorized false", async () => {
    const p = await proxy();
    const untrusted = await call('dr-untrusted', { HTTPS_PROXY: p.url });
    assert.equal(untrusted.code, 5, untrusted.stderr);
    assert.match(
      untrusted.stderr,
      new RegExp(`the TLS certificate of https://127\\.0\\.0\\.2:${httpsPort} was rejected: its issuer is not trusted \\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\\)`),
    );
    assertOk(await call('dr-insecure', { HTTPS_PROXY: p.url }));
    assert.deepEqual(new Set(p.log), new Set([`CONNECT 127.0.0.2:${httpsPort}`]));
  });

  it('the certificate must name the server, not the proxy (a certificate for 127.0.0.1 fails for 127.0.0.2)', async () => {
    // Trusted (its own CA) but issued for 127.0.0.1 and localhost only; the proxy listens on 127.0.0.1, so a check
    // against the proxy's address instead of the server's would wrongly pass.
    const read = (f: string) => fs.readFileSync(path.join(TLS_DIR, f));
    const server = https.createServer({ cert: read('selfsigned-cert.pem'), key: read('selfsigned-key.pem') }, (_q, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const file = path.join(dir, 'wrong-name.json');
    const conn: ConnectionConfig = {
      id: 'wrong-name',
      vendor: 'datarhei',
      baseUrl: `https://127.0.0.2:${port}`,
      username: 'admin',
      tls: { caFile: path.join(TLS_DIR, 'selfsigned-cert.pem') },
    };
    fs.writeFileSync(file, JSON.stringify({ connections: [conn] }));
    try {
      const p = await proxy();
      const r = await cli(['login', 'wrong-name', '--config', file], { env: { API_AUTH_SECRET: PASSWORD, HTTPS_PROXY: p.url } });
      assert.equal(r.code, 5, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `the TLS certificate of https://127\\.0\\.0\\.2:${port} was rejected: it was not issued for this host name \\(ERR_TLS_CERT_ALTNAME_INVALID\\); use a host name in baseUrl`,
        ),
      );
      assert.deepEqual(p.log, [`CONNECT 127.0.0.2:${port}`]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('407: a proxy that wants credentials, and one that refuses them, each get their sentence (exit 5)', async () => {
    const p = await proxy({ credentials: `${PROXY_USER}:${PROXY_PASS}` });
    for (const id of ['dr-https', 'dr-http']) {
      const r = await call(id, { HTTPS_PROXY: p.url, HTTP_PROXY: p.url });
      assert.equal(r.code, 5, r.stderr);
      assert.equal(
        r.stderr,
        `api-auth: Connection "${id}": the proxy ${p.url} asked for credentials (HTTP 407 Proxy Authentication Required); ` +
          `put user:password@ in the proxy URL (HTTPS_PROXY, the connection's "proxy" or --proxy).\n`,
      );
      assert.ok(r.ms < QUICK_MS, `took ${r.ms} ms`);
      const wrong = withCredentials(p, PROXY_USER, 'wr%40ng-pass');
      const refused = await call(id, { HTTPS_PROXY: wrong, HTTP_PROXY: wrong });
      assert.equal(refused.code, 5, refused.stderr);
      assert.match(refused.stderr, new RegExp(`: the proxy ${p.url} refused the credentials given for it \\(HTTP 407 Proxy Authentication Required\\); check`));
      assertNoLeak(refused, ['wr@ng-pass', 'wr%40ng-pass']);
    }
    // For the https:// server only tunnels were asked for: no request, so no password, reached the proxy.
    assert.ok(
      p.log.filter((l) => !l.startsWith('POST http://')).every((l) => l === `CONNECT 127.0.0.2:${httpsPort}`),
      p.log.join('\n'),
    );
  });

  it('502 from the proxy: "could not reach" the server, for https:// (refused CONNECT) and http:// servers', async () => {
    const p = await proxy({ refuse: true });
    const https = await call('dr-https', { HTTPS_PROXY: p.url });
    assert.equal(https.code, 5, https.stderr);
    assert.match(https.stderr, new RegExp(`"dr-https": the proxy ${p.url} could not reach https://127\\.0\\.0\\.2:${httpsPort} \\(HTTP 502 Bad Gateway\\)`));
    const http = await call('dr-http', { HTTP_PROXY: p.url });
    assert.equal(http.code, 5, http.stderr);
    assert.match(http.stderr, new RegExp(`"dr-http": the proxy ${p.url} could not reach http://127\\.0\\.0\\.2:${httpPort} \\(HTTP 502 Bad Gateway\\)`));
    for (const r of [https, http]) assert.ok(r.ms < QUICK_MS, `took ${r.ms} ms`);
  });

  it('a proxy that is down: "proxy unreachable", not the server (exit 5)', async () => {
    const down = `http://${PROXY_USER}:${PROXY_PASS_ENCODED}@127.0.0.1:${await closedPort()}`;
    for (const id of ['dr-https', 'dr-http']) {
      const r = await call(id, { HTTPS_PROXY: down, HTTP_PROXY: down });
      assert.equal(r.code, 5, r.stderr);
      assert.match(r.stderr, new RegExp(`"${id}": proxy unreachable: connection refused at http://127\\.0\\.0\\.1:${new URL(down).port}; check the proxy`));
      assertNoLeak(r, [PROXY_PASS, PROXY_PASS_ENCODED]);
      assert.ok(r.ms < QUICK_MS, `took ${r.ms} ms`);
    }
  });

  it('a proxy URL that is not http:// is a config error (exit 2) that does not show its password', async () => {
    const r = await call('dr-https', { HTTPS_PROXY: `socks5://${PROXY_USER}:${PROXY_PASS_ENCODED}@127.0.0.1:1080` });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /the proxy "socks5:\/\/\*\*\*@127\.0\.0\.1:1080" is not a valid http:\/\/ URL/);
    assertNoLeak(r, [PROXY_PASS, PROXY_PASS_ENCODED]);
  });
});

// Trust and client certificates against loopback HTTPS servers signed by the test CA (on 127.0.0.2, which VS Code's
// network patch does not exempt): the default trust, rejectUnauthorized false, a CA file (on top of the default
// roots), client certificates as PEM, encrypted PEM and PKCS#12 with their passphrase, and the errors of each.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import * as https from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as nodeTls from 'node:tls';
import { promisify } from 'node:util';
import { describeError } from '../../src/core/errors';
import { createHttpClient, send } from '../../src/core/http';
import { PASSPHRASE_NEEDED, PASSPHRASE_WRONG, loadTlsMaterial } from '../../src/core/tlsMaterial';
import type { ConnectionConfig, TlsOptions } from '../../src/core/types';
import { SessionManager } from '../../src/engine/manager';
import { ADAPTERS } from '../../src/vendors';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { type MockVendors, TLS_DIR, startMockVendors } from '../mock-vendors/server';
import { curlPath } from './curl-cases';
import { curlCommand } from './curl-relay';
import { rejects } from './helpers';

const PASS = 'fixture-pass';
const PASSWORD_OF_MOCK = ACCOUNTS.datarhei.password;
const tlsFile = (name: string): string => path.join(TLS_DIR, name);
const CLIENT_PEM: TlsOptions = { certFile: tlsFile('client-cert.pem'), keyFile: tlsFile('client-key.pem') };

function conn(mock: MockVendors, tls: TlsOptions | undefined, over: Partial<ConnectionConfig> = {}): ConnectionConfig {
  return {
    id: 'dr',
    label: 'TLS test',
    vendor: 'datarhei',
    baseUrl: mock.baseUrl('datarhei', true),
    username: ACCOUNTS.datarhei.username,
    tls,
    timeoutMs: 5000,
    ...over,
  };
}

function managerWith(passphrases: (string | undefined)[] = [], asked: string[] = []): SessionManager {
  return new SessionManager({
    adapters: ADAPTERS,
    getSecret: async () => ACCOUNTS.datarhei.password,
    getPassphrase: async (_c, reason) => {
      asked.push(reason);
      return passphrases.shift();
    },
  });
}

describe('TLS trust (server signed by the test CA, on 127.0.0.2)', function () {
  this.timeout(20_000);
  let mock: MockVendors;
  before(async () => {
    mock = await startMockVendors({ host: '127.0.0.2', httpsCert: 'ca' });
  });
  after(() => mock.close());

  it('is not trusted by default: a tls error that says why, in words and code', async () => {
    const c = conn(mock, undefined);
    const e = await rejects(managerWith().login(c), 'tls');
    assert.match(
      describeError(e, c),
      /^Connection "TLS test": the TLS certificate of https:\/\/127\.0\.0\.2:\d+ was rejected: its issuer is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); trust the server certificate \(tls\.caFile\)/,
    );
  });

  it('a self-signed server certificate is named so', async () => {
    const selfSigned = await startMockVendors();
    try {
      const c = conn(selfSigned, undefined);
      const e = await rejects(managerWith().login(c), 'tls');
      assert.match(
        describeError(e, c),
        /the TLS certificate of https:\/\/127\.0\.0\.1:\d+ was rejected: it is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\); trust/,
      );
    } finally {
      await selfSigned.close();
    }
  });

  it('is accepted with rejectUnauthorized false', async () => {
    const s = await managerWith().login(conn(mock, { rejectUnauthorized: false }));
    assert.ok(s.token);
  });

  it('is accepted with tls.caFile naming the test CA', async () => {
    const s = await managerWith().login(conn(mock, { caFile: tlsFile('ca-cert.pem') }));
    assert.ok(s.token);
  });

  it('is rejected with a CA file of an unrelated CA', async () => {
    await rejects(managerWith().login(conn(mock, { caFile: tlsFile('other-ca-cert.pem') })), 'tls');
  });

  it('tls.servername is the name checked in the certificate (a host name the certificate does not carry is refused)', async () => {
    const viaName = (servername: string) => managerWith().login(conn(mock, { caFile: tlsFile('ca-cert.pem'), servername }));
    assert.ok((await viaName('vendor.test')).token);
    const e = await rejects(viaName('elsewhere.test'), 'tls');
    assert.match(e.message, /was rejected: it was not issued for this host name \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
  });

  it("survives a network patch that replaces the request's agent and keeps only the TLS fields (as VS Code's does)", async () => {
    // What @vscode/proxy-agent does to https.request: the agent is its own, the TLS fields of the options stay.
    const httpsModule = createRequire(__filename)('node:https') as typeof https;
    const original = httpsModule.request;
    const seen: https.RequestOptions[] = [];
    httpsModule.request = ((options: https.RequestOptions, cb?: (res: IncomingMessage) => void) => {
      seen.push(options);
      return original({ ...options, agent: new https.Agent() }, cb);
    }) as typeof https.request;
    try {
      // The client is made before the patch is installed, as the extension's may be.
      const c = conn(mock, { caFile: tlsFile('ca-cert.pem') });
      const manager = new SessionManager({ adapters: ADAPTERS, getSecret: async () => PASSWORD_OF_MOCK, httpClientOptions: () => ({ ownAgents: false }) });
      manager.context(c);
      assert.ok((await manager.login(c)).token);
      assert.ok(seen.length >= 1, 'the patched request was used');
      assert.ok(seen.every((o) => Array.isArray(o.ca) && o.rejectUnauthorized === true));
      manager.dispose();
    } finally {
      httpsModule.request = original;
    }
  });

  it('a CA file adds to the default roots, and to NODE_EXTRA_CA_CERTS where Node cannot list its defaults', () => {
    const loaded = loadTlsMaterial({ caFile: tlsFile('other-ca-cert.pem') }, undefined, { NODE_EXTRA_CA_CERTS: tlsFile('ca-cert.pem') });
    const ca = loaded.ca ?? [];
    const extra = fs.readFileSync(tlsFile('ca-cert.pem'), 'utf8').trim();
    const other = fs.readFileSync(tlsFile('other-ca-cert.pem'), 'utf8').trim();
    assert.ok(ca.length > 100, 'the default roots are there');
    assert.ok(ca.includes(other), 'the CA file is there');
    // Node ≥ 22.15 lists its defaults itself (NODE_EXTRA_CA_CERTS included, as read at start-up).
    if (!('getCACertificates' in nodeTls)) assert.ok(ca.includes(extra), 'NODE_EXTRA_CA_CERTS is there');
    assert.equal(loadTlsMaterial({}).ca, undefined, 'without a CA file Node keeps its own defaults');
  });

  it('a CA file that is not PEM, /dev/zero and a missing one are config errors naming the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-auth-tls-'));
    try {
      const notPem = path.join(dir, 'ca.der');
      fs.writeFileSync(notPem, Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02]));
      const bad = await rejects(managerWith().login(conn(mock, { caFile: notPem })), 'config');
      assert.equal(bad.message, `the CA file "${notPem}" is not a PEM certificate file`);
      const zero = await rejects(managerWith().login(conn(mock, { caFile: '/dev/zero' })), 'config');
      assert.equal(zero.message, 'the CA file "/dev/zero" is not a regular file');
      const missing = await rejects(managerWith().login(conn(mock, { caFile: path.join(dir, 'nope.pem') })), 'config');
      assert.match(missing.message, /cannot read the CA file ".*nope\.pem" \(not found\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing TLS file is reported before the secret is read', async () => {
    let secretRead = false;
    const manager = new SessionManager({ adapters: ADAPTERS, getSecret: async () => ((secretRead = true), 'x') });
    await rejects(manager.login(conn(mock, { caFile: '/nonexistent/ca.pem' })), 'config');
    assert.equal(secretRead, false);
  });
});

describe('client certificates (server demands one signed by the test CA)', function () {
  this.timeout(20_000);
  let mock: MockVendors;
  const trust = { caFile: tlsFile('ca-cert.pem') };
  before(async () => {
    mock = await startMockVendors({ host: '127.0.0.2', httpsCert: 'ca', requireClientCert: true });
  });
  after(() => mock.close());

  it('without one: "the server asked for a client certificate and none was sent", with the settings to set', async () => {
    const c = conn(mock, trust);
    const e = await rejects(managerWith().login(c), 'tls');
    assert.equal(
      describeError(e, c),
      'Connection "TLS test": the server asked for a client certificate and none was sent; set tls.certFile and tls.keyFile (or tls.pfxFile) for this connection.',
    );
  });

  it('a TLS 1.2 server that ends the handshake is told apart the same way', async () => {
    // TLS 1.2 has no "certificate required" alert: the server ends the handshake with a handshake failure.
    const server = https.createServer(
      {
        key: fs.readFileSync(tlsFile('server-key.pem')),
        cert: fs.readFileSync(tlsFile('server-cert.pem')),
        ca: fs.readFileSync(tlsFile('ca-cert.pem')),
        requestCert: true,
        rejectUnauthorized: true,
        maxVersion: 'TLSv1.2',
      },
      (_req, res) => res.end('{}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    try {
      const url = `https://127.0.0.2:${(server.address() as AddressInfo).port}/`;
      const e = await rejects(send({ http: createHttpClient({ tls: trust }), clock: Date.now }, { method: 'GET', url }), 'tls');
      assert.equal(e.message, 'the server asked for a client certificate and none was sent');
      // With the client certificate, the same server lets us in.
      const ok = await send({ http: createHttpClient({ tls: { ...trust, ...CLIENT_PEM } }), clock: Date.now }, { method: 'GET', url });
      assert.equal(ok.status, 200);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("the TLS fields ride on each request: with Node's global agent (ownAgents false, as in VS Code) they still apply", async () => {
    const url = `${mock.baseUrl('datarhei', true)}/api`;
    const viaGlobal = (tls: TlsOptions) => send({ http: createHttpClient({ tls }, { ownAgents: false }), clock: Date.now }, { method: 'GET', url });
    assert.ok((await viaGlobal({ ...trust, ...CLIENT_PEM })).status < 500);
    await rejects(viaGlobal(trust), 'tls');
    await rejects(viaGlobal(CLIENT_PEM), 'tls');
  });

  it('logs in with a PEM certificate and key', async () => {
    const asked: string[] = [];
    const s = await managerWith([], asked).login(conn(mock, { ...trust, ...CLIENT_PEM }));
    assert.ok(s.token);
    assert.deepEqual(asked, [], 'no passphrase asked for a plain key');
  });

  it('logs in with an encrypted key once the passphrase is given, and asks only once per connection', async () => {
    const asked: string[] = [];
    const manager = managerWith([PASS], asked);
    const c = conn(mock, { ...trust, certFile: tlsFile('client-cert.pem'), keyFile: tlsFile('client-key-encrypted.pem') });
    assert.ok((await manager.login(c)).token);
    assert.ok((await manager.request(c, { kind: 'rest', method: 'GET', path: '/api/v3/process' })).response.status === 200);
    assert.deepEqual(asked, ['needed']);
    manager.dispose();
  });

  it('concurrent calls that need the passphrase share one dialogue', async () => {
    const asked: string[] = [];
    let answer = (_: string): void => undefined;
    const manager = new SessionManager({
      adapters: ADAPTERS,
      getSecret: async () => PASSWORD_OF_MOCK,
      getPassphrase: (_c, reason) => {
        asked.push(reason);
        return new Promise((resolve) => (answer = resolve));
      },
    });
    const c = conn(mock, { ...trust, pfxFile: tlsFile('client.pfx') });
    const calls = [manager.prepare(c), manager.prepare(c), manager.prepare(c)];
    await new Promise((r) => setImmediate(r));
    answer(PASS);
    const contexts = await Promise.all(calls);
    assert.deepEqual(asked, ['needed']);
    assert.ok(
      contexts.every((ctx) => ctx.http === contexts[0].http),
      'one client',
    );
    manager.dispose();
  });

  it('logs in with a PKCS#12 file and its passphrase', async () => {
    const asked: string[] = [];
    const s = await managerWith([PASS], asked).login(conn(mock, { ...trust, pfxFile: tlsFile('client.pfx') }));
    assert.ok(s.token);
    assert.deepEqual(asked, ['needed']);
  });

  it('a wrong passphrase is asked again ("wrong"), at most three times, and never shows in the message', async () => {
    const asked: string[] = [];
    const c = conn(mock, { ...trust, pfxFile: tlsFile('client.pfx') });
    const e = await rejects(managerWith(['nope-1', 'nope-2', 'nope-3', PASS], asked).login(c), 'config');
    assert.deepEqual(asked, ['needed', 'wrong', 'wrong']);
    assert.equal(e.details.code, PASSPHRASE_WRONG);
    assert.equal(e.message, `the passphrase of the client certificate "${tlsFile('client.pfx')}" is wrong`);
    assert.ok(!describeError(e, c).includes('nope'));
    // Right on the second try: logged in.
    const again: string[] = [];
    assert.ok((await managerWith(['nope', PASS], again).login(c)).token);
    assert.deepEqual(again, ['needed', 'wrong']);
  });

  it('an encrypted key without any way to ask is a config error marked passphrase-needed; cancelling is a cancel', async () => {
    const c = conn(mock, { ...trust, certFile: tlsFile('client-cert.pem'), keyFile: tlsFile('client-key-encrypted.pem') });
    const manager = new SessionManager({ adapters: ADAPTERS, getSecret: async () => 'x' });
    const e = await rejects(manager.login(c), 'config');
    assert.equal(e.details.code, PASSPHRASE_NEEDED);
    assert.equal(e.message, `the client key "${tlsFile('client-key-encrypted.pem')}" is encrypted and no passphrase is stored`);
    await rejects(managerWith([undefined]).login(c), 'cancelled');
  });

  it('Copy as curl carries the client certificate: the line runs with the system curl (a colon in a path too)', async function () {
    if (!curlPath()) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-auth-curl-mtls-'));
    try {
      const certWithColon = path.join(dir, 'client:cert.pem');
      fs.copyFileSync(tlsFile('client-cert.pem'), certWithColon);
      const c = conn(mock, { ...trust, certFile: certWithColon, keyFile: tlsFile('client-key.pem') });
      const manager = managerWith();
      const session = await manager.login(c);
      const line = curlCommand(c, session, { kind: 'rest', method: 'GET', path: '/api/v3/process' });
      assert.match(line, / --cert '.*client\\:cert\.pem' --key /);
      // Asynchronous: the server answering it runs in this process.
      const { stdout } = await promisify(execFile)('/bin/sh', ['-c', `${line} -s -S -o /dev/null -w '%{http_code}'`], {
        timeout: 10_000,
        env: { PATH: process.env.PATH ?? '' },
      });
      assert.equal(stdout, '200');
      manager.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad combinations and mismatched files are config errors', () => {
    assert.throws(() => loadTlsMaterial({ certFile: tlsFile('client-cert.pem') }), /tls\.certFile is set without tls\.keyFile/);
    assert.throws(() => loadTlsMaterial({ keyFile: tlsFile('client-key.pem') }), /tls\.keyFile is set without tls\.certFile/);
    assert.throws(() => loadTlsMaterial({ ...CLIENT_PEM, pfxFile: tlsFile('client.pfx') }), /tls\.pfxFile and tls\.certFile/);
    assert.throws(() => loadTlsMaterial({ certFile: tlsFile('server-cert.pem'), keyFile: tlsFile('client-key.pem') }), /do not belong together/);
    assert.throws(() => loadTlsMaterial({ certFile: tlsFile('client-key.pem'), keyFile: tlsFile('client-key.pem') }), /is not a PEM certificate/);
  });
});

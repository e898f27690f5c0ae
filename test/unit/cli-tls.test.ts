// The CLI (dist/cli.js in a child process) against HTTPS servers signed by the test CA on 127.0.0.2: a CA file, the
// NODE_EXTRA_CA_CERTS that must keep working beside it, TLS files checked before the secret is read, and client
// certificates whose passphrase comes from API_AUTH_TLS_PASSPHRASE (and never shows).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConnectionConfig } from '../../src/core/types';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { type MockVendors, TLS_DIR, startMockVendors } from '../mock-vendors/server';
import { CLI, assertNoLeak, cli } from './cli-fixtures';

const tlsFile = (name: string): string => path.join(TLS_DIR, name);
const PASSWORD = ACCOUNTS.datarhei.password;
const PASSPHRASE = 'fixture-pass';

describe('api-auth CLI over TLS', function () {
  this.timeout(30_000);
  let plain: MockVendors;
  let mtls: MockVendors;
  let dir: string;
  let config: string;

  before(async function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
    plain = await startMockVendors({ host: '127.0.0.2', httpsCert: 'ca' });
    mtls = await startMockVendors({ host: '127.0.0.2', httpsCert: 'ca', requireClientCert: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-auth-cli-tls-'));
    config = path.join(dir, 'api-auth.json');
    const dr = (id: string, m: MockVendors, tls?: ConnectionConfig['tls']): ConnectionConfig => ({
      id,
      vendor: 'datarhei',
      baseUrl: m.baseUrl('datarhei', true),
      username: ACCOUNTS.datarhei.username,
      timeoutMs: 5000,
      ...(tls ? { tls } : {}),
    });
    const connections: ConnectionConfig[] = [
      dr('bare', plain),
      dr('ca', plain, { caFile: tlsFile('ca-cert.pem') }),
      dr('other-ca', plain, { caFile: tlsFile('other-ca-cert.pem') }),
      dr('missing-ca', plain, { caFile: path.join(dir, 'missing.pem') }),
      dr('pfx', mtls, { caFile: tlsFile('ca-cert.pem'), pfxFile: tlsFile('client.pfx') }),
      dr('enc-key', mtls, { caFile: tlsFile('ca-cert.pem'), certFile: tlsFile('client-cert.pem'), keyFile: tlsFile('client-key-encrypted.pem') }),
      dr('no-cert', mtls, { caFile: tlsFile('ca-cert.pem') }),
    ];
    fs.writeFileSync(config, JSON.stringify({ connections }));
  });
  after(async () => {
    await plain?.close();
    await mtls?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const login = (id: string, env: Record<string, string> = {}) => cli(['login', id, '--config', config], { env: { API_AUTH_SECRET: PASSWORD, ...env } });

  it('without a CA file the test CA is not trusted (exit 5, tls sentence)', async () => {
    const r = await login('bare');
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /the TLS certificate of https:\/\/127\.0\.0\.2:\d+ was rejected: its issuer is not trusted/);
  });

  it('trusts the test CA through tls.caFile, and not through an unrelated CA file', async () => {
    const ok = await login('ca');
    assert.equal(ok.code, 0, ok.stderr);
    const other = await login('other-ca');
    assert.equal(other.code, 5, other.stderr);
  });

  it('NODE_EXTRA_CA_CERTS keeps working, alone and beside a tls.caFile of another CA', async () => {
    const env = { NODE_EXTRA_CA_CERTS: tlsFile('ca-cert.pem') };
    const alone = await login('bare', env);
    assert.equal(alone.code, 0, alone.stderr);
    const beside = await login('other-ca', env);
    assert.equal(beside.code, 0, beside.stderr);
  });

  it('a missing CA file fails at once, before the secret is read (standard input is never read)', async () => {
    // --secret-stdin with a standard input that stays open: reading it first would hang until the kill.
    const r = await new Promise<{ code: number | null; stderr: string; ms: number }>((resolve) => {
      const t0 = Date.now();
      const child = spawn(process.execPath, [CLI, 'login', 'missing-ca', '--config', config, '--secret-stdin'], { env: { PATH: process.env.PATH ?? '' } });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const kill = setTimeout(() => child.kill(), 10_000);
      child.on('close', (code) => {
        clearTimeout(kill);
        resolve({ code, stderr, ms: Date.now() - t0 });
      });
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /cannot read the CA file ".*missing\.pem" \(not found\)/);
    assert.ok(r.ms < 5000, `took ${r.ms} ms`);
  });

  describe('client certificates', function () {
    it('a PKCS#12 file and an encrypted key open with API_AUTH_TLS_PASSPHRASE, which never shows', async () => {
      for (const id of ['pfx', 'enc-key']) {
        const r = await login(id, { API_AUTH_TLS_PASSPHRASE: PASSPHRASE });
        assert.equal(r.code, 0, `${id}: ${r.stderr}`);
        assertNoLeak(r, [PASSPHRASE, Buffer.from(PASSPHRASE).toString('base64')]);
      }
    });

    it('without the passphrase and without a terminal: a config error naming the variable (exit 2)', async () => {
      const r = await login('pfx');
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /the client key ".*client\.pfx" is encrypted and no passphrase was given; set API_AUTH_TLS_PASSPHRASE/);
    });

    it('a wrong passphrase is said so, without showing it', async () => {
      const r = await login('enc-key', { API_AUTH_TLS_PASSPHRASE: 'not-the-passphrase' });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /API_AUTH_TLS_PASSPHRASE does not unlock the client key/);
      assertNoLeak(r, ['not-the-passphrase']);
    });

    it('no client certificate: "the server asked for a client certificate and none was sent" (exit 5)', async () => {
      const r = await login('no-cert');
      assert.equal(r.code, 5, r.stderr);
      assert.match(r.stderr, /the server asked for a client certificate and none was sent; set tls\.certFile and tls\.keyFile \(or tls\.pfxFile\)/);
    });
  });
});

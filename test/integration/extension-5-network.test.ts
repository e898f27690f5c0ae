// The extension in a real VS Code extension host (part 5, see setup.ts): networking as users meet it. Every other
// suite talks to 127.0.0.1, the one address that VS Code's network patch (@vscode/proxy-agent, `http.proxySupport`
// "override") leaves alone. Here the vendor servers listen on 127.0.0.2 (loopback too, but not exempted), so each
// login and call goes through the patched `http`/`https`: server certificates (untrusted CA, tls.caFile,
// tls.rejectUnauthorized false), client certificates (PEM, encrypted PEM, PKCS#12 with the passphrase in
// SecretStorage) and VS Code's proxy settings, changed at runtime as a user would (the patch reads them per request).
// The servers and the proxy run in a child process (network.ts); connections are datarhei (POST /api/login, then
// GET /api/v3/process with the Bearer token).
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ConnectionConfig, TlsOptions } from '../../src/core/types';
import { ACCOUNTS } from '../mock-vendors/accounts';
import {
  about,
  CALL,
  escapeRe,
  type HttpSettings,
  loginAndCall,
  loginError,
  type NetServers,
  PKI,
  type RemoteProxy,
  type RemoteVendors,
  startNetServers,
  storePassphrase,
  withHttpSettings,
} from './network';
import { addConnections, api, cfg, connOf, setup } from './setup';

/** The clear sentence of a rejected server certificate, with its way forward (errorMessage of a `tls` AuthError). */
const untrustedSentence = (conn: ConnectionConfig, origin: string) =>
  new RegExp(
    `^${escapeRe(about(conn))}the TLS certificate of ${escapeRe(origin)} was rejected(: [^();]+)? \\([A-Z_]+\\); ` +
      escapeRe('trust the server certificate (tls.caFile) or, for a self-signed test server, set tls.rejectUnauthorized to false'),
  );
/** The clear sentence of a handshake refused for want of a client certificate. */
const clientCertSentence = (conn: ConnectionConfig) => new RegExp(`^${escapeRe(about(conn))}the server asked for a client certificate\\b`);
const CLIENT_PEM: TlsOptions = { caFile: PKI.ca, certFile: PKI.clientCert, keyFile: PKI.clientKey };

describe('API Auth Explorer in VS Code', function () {
  this.timeout(60_000);
  before(setup);

  describe('networking on 127.0.0.2, through VS Code’s network patch', () => {
    let net: NetServers;
    /** Test CA's server certificate (untrusted unless the connection trusts ca-cert.pem). */
    let open: RemoteVendors;
    /** The same, demanding a client certificate signed by the test CA. */
    let mtls: RemoteVendors;
    let proxy: RemoteProxy;
    const ids: string[] = [];
    let n = 0;

    /** A datarhei connection to `server` (https unless `plain`), with its password stored. */
    async function connection(label: string, server: RemoteVendors, tls?: TlsOptions, plain = false): Promise<ConnectionConfig> {
      const id = `net-${++n}`;
      const conn: ConnectionConfig = {
        id,
        label,
        vendor: 'datarhei',
        baseUrl: server.baseUrl('datarhei', !plain),
        username: ACCOUNTS.datarhei.username,
        ...(tls ? { tls } : {}),
      };
      ids.push(id); // removed by after(), even if the settings check refuses it
      await addConnections([conn]);
      await api.vault.setSecret(connOf(id), ACCOUNTS.datarhei.password);
      return connOf(id);
    }

    /** The proxy log lines written while `fn` ran. */
    async function proxied(fn: () => Promise<void>): Promise<string[]> {
      const start = (await proxy.log()).length;
      await fn();
      return (await proxy.log()).slice(start);
    }

    before(async function () {
      this.timeout(30_000);
      // Editors and webviews left open by earlier suites make every later editor and settings change slower.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      net = await startNetServers();
      open = await net.vendors({ host: '127.0.0.2', httpsCert: 'ca' });
      mtls = await net.vendors({ host: '127.0.0.2', httpsCert: 'ca', requireClientCert: true });
      proxy = await net.proxy();
      assert.match(open.httpsUrl, /^https:\/\/127\.0\.0\.2:\d+$/);
    });

    after(async () => {
      for (const id of ids) await api.sessions.removeAll(id);
      for (const id of ids) await api.vault.deleteAll(id);
      const left = (cfg().inspect<ConnectionConfig[]>('connections')?.workspaceValue ?? []).filter((c) => !ids.includes(c.id));
      await cfg().update('connections', left.length ? left : undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('notifications.clearAll');
      await net?.close();
    });

    describe('server certificates', () => {
      it('an untrusted server certificate is rejected by default with the clear TLS sentence', async () => {
        const conn = await connection('Net untrusted', open);
        assert.match(await loginError(conn), untrustedSentence(conn, open.httpsUrl));
      });

      it('tls.rejectUnauthorized false accepts the untrusted server: login and a call', async () => {
        await loginAndCall(await connection('Net insecure', open, { rejectUnauthorized: false }));
      });

      it('tls.caFile naming the server’s CA accepts it (login and a call); an unrelated CA file does not', async () => {
        await loginAndCall(await connection('Net own CA', open, { caFile: PKI.ca }));
        const other = await connection('Net other CA', open, { caFile: PKI.otherCa });
        assert.match(await loginError(other), untrustedSentence(other, open.httpsUrl));
      });
    });

    describe('client certificates (the server demands one)', () => {
      it('without a client certificate the login is refused: "the server asked for a client certificate"', async () => {
        const conn = await connection('Net no client cert', mtls, { caFile: PKI.ca });
        assert.match(await loginError(conn), clientCertSentence(conn));
      });

      it('tls.certFile + tls.keyFile (PEM) reach it: login and a call', async () => {
        await loginAndCall(await connection('Net client PEM', mtls, CLIENT_PEM));
      });

      it('an encrypted tls.keyFile whose passphrase is in SecretStorage reaches it', async () => {
        const conn = await connection('Net client encrypted', mtls, { ...CLIENT_PEM, keyFile: PKI.clientKeyEncrypted });
        await storePassphrase(conn, PKI.passphrase);
        await loginAndCall(conn);
      });

      it('a tls.pfxFile whose passphrase is in SecretStorage reaches it', async () => {
        const conn = await connection('Net client pfx', mtls, { caFile: PKI.ca, pfxFile: PKI.pfx });
        await storePassphrase(conn, PKI.passphrase);
        await loginAndCall(conn);
      });
    });

    describe('VS Code’s proxy settings, changed at runtime', () => {
      const viaProxy = (): HttpSettings => ({ proxy: proxy.url });
      const hostPort = (origin: string) => origin.replace(/^https?:\/\//, '');
      const KEYS = ['proxy', 'noProxy', 'proxySupport'];
      const snapshot = () => JSON.stringify(KEYS.map((k) => vscode.workspace.getConfiguration('http').inspect(k)));
      let initial = '';
      before(() => {
        initial = snapshot();
      });

      it('http.proxy: a plain-http login and call go through the proxy (absolute form)', async () => {
        const conn = await connection('Net plain proxied', open, undefined, true);
        const lines = await withHttpSettings(viaProxy(), () => proxied(() => loginAndCall(conn)));
        assert.ok(lines.includes(`POST ${open.url}/datarhei/api/login`), lines.join('\n'));
        assert.ok(lines.includes(`${CALL.method} ${open.url}/datarhei${CALL.path}`), lines.join('\n'));
      });

      it('http.proxy: an https login and call go through CONNECT tunnels; tls.caFile applies behind the tunnel', async () => {
        const conn = await connection('Net https proxied', open, { caFile: PKI.ca });
        const lines = await withHttpSettings(viaProxy(), () => proxied(() => loginAndCall(conn)));
        const tunnels = lines.filter((l) => l === `CONNECT ${hostPort(open.httpsUrl)}`);
        assert.ok(tunnels.length >= 2, `one tunnel for the login, one for the call:\n${lines.join('\n')}`);
      });

      it('http.proxy: behind the tunnel an untrusted server is still rejected; rejectUnauthorized false still accepts it', async () => {
        const strict = await connection('Net proxied untrusted', open);
        const insecure = await connection('Net proxied insecure', open, { rejectUnauthorized: false });
        const lines = await withHttpSettings(viaProxy(), () =>
          proxied(async () => {
            assert.match(await loginError(strict), untrustedSentence(strict, open.httpsUrl));
            await loginAndCall(insecure);
          }),
        );
        assert.ok(lines.filter((l) => l === `CONNECT ${hostPort(open.httpsUrl)}`).length >= 3, lines.join('\n'));
      });

      it('http.proxy: behind the tunnel the client certificate (PEM, and .pfx with its passphrase) is presented; none is refused', async () => {
        const pem = await connection('Net proxied client PEM', mtls, CLIENT_PEM);
        const pfx = await connection('Net proxied client pfx', mtls, { caFile: PKI.ca, pfxFile: PKI.pfx });
        const none = await connection('Net proxied no client cert', mtls, { caFile: PKI.ca });
        await storePassphrase(pfx, PKI.passphrase);
        const lines = await withHttpSettings(viaProxy(), () =>
          proxied(async () => {
            await loginAndCall(pem);
            await loginAndCall(pfx);
            assert.match(await loginError(none), clientCertSentence(none));
          }),
        );
        assert.ok(lines.filter((l) => l === `CONNECT ${hostPort(mtls.httpsUrl)}`).length >= 5, lines.join('\n'));
      });

      it('http.noProxy ["127.0.0.2"]: neither plain-http nor https requests go through the proxy', async () => {
        const plain = await connection('Net plain no-proxy', open, undefined, true);
        const secure = await connection('Net https no-proxy', open, { caFile: PKI.ca });
        const lines = await withHttpSettings({ ...viaProxy(), noProxy: ['127.0.0.2'] }, () =>
          proxied(async () => {
            await loginAndCall(plain);
            await loginAndCall(secure);
          }),
        );
        assert.deepStrictEqual(lines, []);
      });

      it('http.proxySupport "off": neither plain-http nor https requests go through the proxy', async () => {
        const plain = await connection('Net plain proxy off', open, undefined, true);
        const secure = await connection('Net https proxy off', open, { rejectUnauthorized: false });
        const lines = await withHttpSettings({ ...viaProxy(), proxySupport: 'off' }, () =>
          proxied(async () => {
            await loginAndCall(plain);
            await loginAndCall(secure);
          }),
        );
        assert.deepStrictEqual(lines, []);
      });

      it('leaves no trace: http.proxy, http.noProxy and http.proxySupport are back as they were, in every scope', () => {
        assert.strictEqual(snapshot(), initial);
      });
    });
  });
});

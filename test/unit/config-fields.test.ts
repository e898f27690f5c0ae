// Connection validation of the networking fields: a baseUrl that is only an http(s) API root (no credentials, no
// secret in the query, no fragment), maxResponseBytes, proxy, and the client-certificate fields of tls. No message
// repeats a password; package.json's settings schema knows the same fields.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliOnlyNotes, validateConnection } from '../../src/engine/config';
import { VENDORS } from '../../src/core/types';
import { ADAPTERS } from '../../src/vendors';

const entry = { id: 'x', vendor: 'datarhei', baseUrl: 'https://core.example/api', username: 'admin' };
const problems = (over: Record<string, unknown>): string[] => validateConnection({ ...entry, ...over }, ADAPTERS);

describe('connection validation: baseUrl, one origin', () => {
  it('refuses a baseUrl with a user name or password, showing it as https://user:***@host', () => {
    const cases: [string, string][] = [
      ['https://admin:pa55-word@core.example', '"baseUrl" must not hold a user name or password (https://admin:***@core.example)'],
      ['https://admin:pa55-word@core.example:8443/api?x=1', '(https://admin:***@core.example:8443/api?x=1)'],
      // A user name alone may be a token (https://TOKEN@host): it is masked too.
      ['https://ghp_tokenlike@core.example/api', '(https://***@core.example/api)'],
      ['http://:pa55-word@core.example', '(http://:***@core.example)'],
    ];
    for (const vendor of VENDORS) {
      for (const [baseUrl, words] of cases) {
        const p = validateConnection({ ...entry, vendor, partner: 'P', baseUrl }, ADAPTERS);
        assert.equal(p.length, 1, `${vendor} ${p.join(' | ')}`);
        assert.ok(p[0].includes(words), p[0]);
        assert.match(p[0], /put the user name in "username"; the password is asked for and kept in secret storage/);
        assert.ok(!p[0].includes('pa55-word') && !p[0].includes('ghp_tokenlike'), p[0]);
      }
    }
  });

  it('refuses a secret in the query (any case), a fragment and a non-http(s) scheme; an ordinary query is fine', () => {
    const names = ['password', 'Pass', 'PWD', 'secret', 'token', 'key', 'apikey', 'API_KEY', 'visa', 'auth', 'AuthToken', 'sessionid', 'access_token'];
    for (const name of names) {
      const p = problems({ baseUrl: `https://core.example/api?a=1&${name}=s3cr3t-value` });
      assert.deepEqual(p, [`"baseUrl" must not carry a secret in its query ("${name}"): secrets are asked for and kept in secret storage`]);
    }
    assert.deepEqual(problems({ baseUrl: 'https://core.example/api#frag' }), ['"baseUrl" must not have a fragment ("#…"): it is never sent to the server']);
    assert.deepEqual(problems({ baseUrl: 'https://core.example/api#' }), ['"baseUrl" must not have a fragment ("#…"): it is never sent to the server']);
    for (const bad of ['ftp://core.example', 'file:///etc/passwd', 'javascript:alert(1)', 'ws://core.example']) {
      assert.deepEqual(problems({ baseUrl: bad }), ['"baseUrl" must start with http:// or https://'], bad);
    }
    assert.deepEqual(problems({ baseUrl: 'core.example/api' }), ['"baseUrl" is not a valid URL']);
    assert.deepEqual(problems({ baseUrl: 'https://core.example/api?lang=en&keyboard=1' }), []);
    assert.deepEqual(problems({ baseUrl: '  HTTPS://Core.Example:443/api/  ' }), []);
  });
});

describe('connection validation: Code42 tokenPath stays on the server', () => {
  it('refuses a tokenPath that a URL parser would send to another host or above the base path', () => {
    const c42 = { ...entry, vendor: 'code42', baseUrl: 'https://c42.example:4285/c42' };
    assert.deepEqual(validateConnection({ ...c42, tokenPath: '/api/v3/auth/jwt' }, ADAPTERS), []);
    for (const bad of ['//127.0.0.2/jwt', '/\\127.0.0.2/jwt', '/../api/v3/auth/jwt', '/%2e%2e/jwt']) {
      assert.deepEqual(
        validateConnection({ ...c42, tokenPath: bad }, ADAPTERS),
        ["tokenPath must be a path on the baseUrl's server, under its path (e.g. /api/v3/auth/jwt)"],
        bad,
      );
    }
  });
});

describe('connection validation: maxResponseBytes, proxy, tls client certificates', () => {
  it('maxResponseBytes is a whole number of bytes from 1 to 1 GiB', () => {
    for (const ok of [1, 1024, 16 * 1024 * 1024, 1024 ** 3]) assert.deepEqual(problems({ maxResponseBytes: ok }), [], String(ok));
    for (const bad of [0, -1, 1.5, 1024 ** 3 + 1, '1000', null, Number.NaN, Infinity]) {
      assert.deepEqual(problems({ maxResponseBytes: bad }), ['"maxResponseBytes" must be a whole number of bytes from 1 to 1073741824 (1 GiB)'], String(bad));
    }
  });

  it('proxy is false or an http proxy address, by the rule the CLI reads it with; its password never appears in a message', () => {
    for (const ok of [false, 'http://proxy.example:3128', 'proxy.example:3128', 'http://user:proxy-pw@127.0.0.1:8080/', 'HTTP://[::1]:3128']) {
      assert.deepEqual(problems({ proxy: ok }), [], String(ok));
    }
    const form = '"proxy" must be false or the proxy\'s address, http://[user:pass@]host:port';
    for (const bad of [
      true,
      3128,
      'https://proxy.example',
      'socks5://u:proxy-pw@proxy.example',
      'http://',
      'ftp://proxy.example',
      'not a url proxy-pw',
      'http://u:proxy-pw@proxy.example:3128/path',
      'http://proxy.example?x=1',
      'http://proxy.example#f',
    ]) {
      const p = problems({ proxy: bad });
      assert.deepEqual(p, [form], String(bad));
      assert.ok(!p[0].includes('proxy-pw'));
    }
  });

  it("the extension notes once that a connection's proxy is for the CLI only (VS Code's proxy settings apply there)", () => {
    const base = { vendor: 'datarhei' as const, baseUrl: 'http://127.0.0.1:9', username: 'admin' };
    assert.deepEqual(
      cliOnlyNotes([
        { id: 'a', ...base, proxy: 'http://proxy.example:3128' },
        { id: 'b', ...base },
        { id: 'c', ...base, proxy: false },
      ]),
      [
        'connection "a": "proxy" is used by the api-auth CLI only; in VS Code the http.proxy and http.noProxy settings apply',
        'connection "c": "proxy" is used by the api-auth CLI only; in VS Code the http.proxy and http.noProxy settings apply',
      ],
    );
  });

  it('tls: certFile goes with keyFile, pfxFile stands alone, servername is a host name, a passphrase is refused', () => {
    const tls = (t: Record<string, unknown>) => problems({ tls: t });
    assert.deepEqual(tls({ certFile: '/c.pem', keyFile: '/k.pem', caFile: '/ca.pem', servername: 'vendor.test', rejectUnauthorized: true }), []);
    assert.deepEqual(tls({ pfxFile: '/client.pfx', servername: 'api.example.com.' }), []);
    assert.deepEqual(tls({ certFile: '/c.pem' }), ['"tls.certFile" needs "tls.keyFile" (the private key of the certificate)']);
    assert.deepEqual(tls({ keyFile: '/k.pem' }), ['"tls.keyFile" needs "tls.certFile" (the certificate of the key)']);
    assert.deepEqual(tls({ pfxFile: '/p.pfx', certFile: '/c.pem', keyFile: '/k.pem' }), [
      '"tls.pfxFile" holds the certificate and its key: give either it or "tls.certFile" + "tls.keyFile", not both',
    ]);
    assert.deepEqual(tls({ certFile: 42, keyFile: '' }), ['"tls.certFile" must be a file path', '"tls.keyFile" must be a file path']);
    assert.deepEqual(tls({ pfxFile: false }), ['"tls.pfxFile" must be a file path']);
    for (const bad of ['127.0.0.1', '::1', 'https://vendor.test', 'vendor test', '', 7, '-bad.example']) {
      assert.deepEqual(tls({ servername: bad }), ['"tls.servername" must be a host name (such as api.example.com), not an IP address or a URL'], String(bad));
    }
    const pass = tls({ pfxFile: '/p.pfx', passphrase: 'fixture-pass' });
    assert.deepEqual(pass, ['"tls.passphrase" does not belong in the settings: the passphrase is asked for when needed and kept in secret storage']);
    assert.ok(!pass[0].includes('fixture-pass'));
    assert.deepEqual(tls({ certfile: '/c.pem' }), ['"tls.certfile" is not a known field (did you mean "tls.certFile"?)']);
  });

  it('package.json schema lists the same fields, with the passphrase and proxy notes', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: {
        configuration: {
          properties: Record<string, { items: { properties: Record<string, { markdownDescription?: string; properties?: Record<string, unknown> }> } }>;
        }[];
      };
    };
    const conf = [pkg.contributes.configuration].flat().find((c) => c.properties['authExplorer.connections']);
    const props = conf?.properties['authExplorer.connections'].items.properties ?? {};
    assert.ok(props.maxResponseBytes && props.proxy && props.tls);
    assert.deepEqual(Object.keys(props.tls.properties ?? {}).sort(), ['caFile', 'certFile', 'keyFile', 'pfxFile', 'rejectUnauthorized', 'servername']);
    assert.match(props.proxy.markdownDescription ?? '', /CLI only.*http\.proxy/s);
    const tlsProps = props.tls.properties as Record<string, { markdownDescription: string }>;
    assert.match(tlsProps.keyFile.markdownDescription, /passphrase is asked for and kept in secret storage, never in settings/);
    assert.match(tlsProps.pfxFile.markdownDescription, /passphrase is asked for and kept in secret storage, never in settings/);
  });
});

// Secret-named fields in answers are masked where shown: the pure masking of JSON and XML, the Send Request
// document, and the trace line, on the real config answer of the loopback datarhei Core.
import * as assert from 'node:assert/strict';
import { traceLine } from '../../src/core/http';
import { isSecretName, MASKED, maskBodyText, maskJson, maskXml } from '../../src/core/mask';
import type { ApiResponse, ConnectionConfig } from '../../src/core/types';
import { SessionManager } from '../../src/engine/manager';
import { renderResponse, renderResponseCounted, SHOW_RAW_ANSWER } from '../../src/engine/requests';
import { ADAPTERS } from '../../src/vendors';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { CONFIG_MEMFS_PASSWORD, CONFIG_RTMP_TOKEN, CONFIG_SRT_PASSPHRASE } from '../mock-vendors/datarhei';
import { useMockVendors } from './helpers';

/** Every secret the mock's config answer carries in clear. */
export const CONFIG_SECRETS = [ACCOUNTS.datarhei.password, ACCOUNTS.datarhei.jwtSecret, CONFIG_MEMFS_PASSWORD, CONFIG_RTMP_TOKEN, CONFIG_SRT_PASSPHRASE];

describe('secret-named fields', () => {
  it('secret names end in a secret word in any case style; names about a secret are not secret', () => {
    for (const n of ['password', 'Password', 'passwd', 'pwd', 'jwtSecret', 'client_secret', 'refreshToken', 'access_token', 'apiKey', 'api_key', 'x-api-key']) {
      assert.ok(isSecretName(n), n);
    }
    for (const n of ['APIKey', 'private_key', 'secret_access_key', 'passphrase', 'credentials', 'ns:Password', 'accesstoken', 'v3_user_token', 'token']) {
      assert.ok(isSecretName(n), n);
    }
    for (const n of ['tokenType', 'token_type', 'token_expires', 'keyframes', 'key_file', 'passwordPolicy', 'username', 'monkey', 'keyint', 'secretary', '']) {
      assert.ok(!isSecretName(n), n);
    }
  });

  it('JSON: string and number values under secret names are masked at any depth and in arrays; the shape stays', () => {
    const value = {
      api: { auth: { enable: true, username: 'admin', password: 'pw-1', jwt: { secret: 'jwt-2' } } },
      storage: { s3: [{ name: 'b', secret_access_key: 'k-3', access_key_id: 'AKIA' }] },
      pin: { pwd: 1234 },
      keys: ['k-4', 'k-5'],
      tokenType: 'Bearer',
      empty: { password: '' },
      nothing: { token: null, apiKey: false },
    };
    const { value: out, count } = maskJson(value);
    assert.equal(count, 6);
    assert.deepEqual(out, {
      api: { auth: { enable: true, username: 'admin', password: MASKED, jwt: { secret: MASKED } } },
      storage: { s3: [{ name: 'b', secret_access_key: MASKED, access_key_id: 'AKIA' }] },
      pin: { pwd: MASKED },
      keys: [MASKED, MASKED],
      tokenType: 'Bearer',
      empty: { password: '' },
      nothing: { token: null, apiKey: false },
    });
    assert.equal(value.api.auth.password, 'pw-1', 'the input is not changed');
    const clean = { a: [1, { b: 'c' }] };
    assert.equal(maskJson(clean).value, clean, 'nothing to mask: the same value');
    assert.equal(maskJson(clean).count, 0);
  });

  it('XML: secret-named attributes and text-only elements are masked, CDATA too; the rest of the text stays byte for byte', () => {
    const text = `<?xml version="1.0"?>\n<Config user="admin" password="pw-1" tokenType='x'>\n  <ApiKey>k-2</ApiKey>\n  <ns:Secret a="1"><![CDATA[s-3]]></ns:Secret>\n  <Password/>\n  <keyframes>30</keyframes>\n</Config>`;
    const { value, count } = maskXml(text);
    assert.equal(count, 3);
    assert.equal(
      value,
      `<?xml version="1.0"?>\n<Config user="admin" password="${MASKED}" tokenType='x'>\n  <ApiKey>${MASKED}</ApiKey>\n  <ns:Secret a="1">${MASKED}</ns:Secret>\n  <Password/>\n  <keyframes>30</keyframes>\n</Config>`,
    );
    assert.deepEqual(maskBodyText('plain text password=x'), { value: 'plain text password=x', count: 0 });
    assert.deepEqual(maskBodyText('{"password":"p"}'), { value: `{"password":"${MASKED}"}`, count: 1 });
  });

  it('the trace line masks secret-named fields of JSON and XML bodies, sent and received', () => {
    const line = traceLine(
      { method: 'POST', url: 'http://127.0.0.1/x', headers: {}, data: '{"user":"a","client_secret":"cs-1234"}' },
      200,
      5,
      '{"config":{"api":{"auth":{"password":"pw-12345","jwt":{"secret":"jwt-secret-1"}}}}} ',
    );
    for (const s of ['cs-1234', 'pw-12345', 'jwt-secret-1']) assert.ok(!line.includes(s), `${s} in ${line}`);
    assert.match(line, /"user":"a"/);
    assert.match(line, new RegExp(MASKED));
    const xml = traceLine({ method: 'GET', url: 'http://127.0.0.1/x' }, 200, 5, '<r><passphrase>pp-123456</passphrase></r>');
    assert.ok(!xml.includes('pp-123456'), xml);
  });
});

describe('the datarhei config answer as shown', () => {
  const mock = useMockVendors();

  async function configAnswer(): Promise<{ conn: ConnectionConfig; response: ApiResponse }> {
    const conn: ConnectionConfig = { id: 'core', vendor: 'datarhei', baseUrl: mock().baseUrl('datarhei'), username: ACCOUNTS.datarhei.username };
    const m = new SessionManager({ adapters: ADAPTERS, getSecret: async () => ACCOUNTS.datarhei.password });
    const { response } = await m.request(conn, { kind: 'rest', method: 'GET', path: '/api/v3/config' });
    return { conn, response };
  }

  it('the datarhei mock config answer carries the API password and the JWT secret in clear, as the real Core does', async () => {
    const { response } = await configAnswer();
    const body = response.body as { config: { api: { auth: { password: string; jwt: { secret: string } } } } };
    assert.equal(body.config.api.auth.password, ACCOUNTS.datarhei.password);
    assert.equal(body.config.api.auth.jwt.secret, ACCOUNTS.datarhei.jwtSecret);
  });

  it('the Send Request document masks the config secrets, says how many and how to see them; raw shows them', async () => {
    const { conn, response } = await configAnswer();
    const req = { kind: 'rest', method: 'GET', path: '/api/v3/config' } as const;
    const shown = renderResponseCounted(conn, req, response);
    assert.equal(shown.maskedFields, 5);
    for (const s of CONFIG_SECRETS) assert.ok(!shown.text.includes(s), `${s} shown`);
    assert.match(shown.text, /^\/\/ 5 secret-named fields were masked \(shown as ‹masked›\); "API Auth: Show Raw Answer" shows the answer as it came\.$/m);
    assert.ok(shown.text.includes(SHOW_RAW_ANSWER));
    // The document stays valid JSONC: the body parses, with the shape of the answer.
    const body = JSON.parse(shown.text.replace(/^\/\/.*$/gm, '')) as { config: { api: { auth: { username: string; password: string } } } };
    assert.equal(body.config.api.auth.username, 'admin');
    assert.equal(body.config.api.auth.password, MASKED);
    const raw = renderResponse(conn, req, response, [], { raw: true });
    for (const s of CONFIG_SECRETS) assert.ok(raw.includes(s), `${s} not in the raw answer`);
    assert.match(raw, /^\/\/ Raw answer: secret-named fields/m);
  });
});

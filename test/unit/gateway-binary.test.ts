// Binary bodies through the auth gateway, both ways, against the datarhei mock's in-memory filesystem
// (`/api/v3/fs/mem/…`, Bearer-protected as on a real Core v16); and the stored secret scrubbed from text answers.
import * as assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { isTextType, textOfBody } from '../../src/core/bodyText';
import { secretForms } from '../../src/core/errors';
import { createHttpClient, send } from '../../src/core/http';
import { HELD_MARKER } from '../../src/engine/gatewayAnswer';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { datarheiReceived } from '../mock-vendors/datarhei';
import { type Answer, call, useGateway } from './gateway-fixtures';

/** A PNG signature followed by every byte value up and down: any text decoding on the way would change it. */
const PNG_LIKE = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i)),
]);

function assertLengthIsBody(a: Answer): void {
  assert.equal(a.headers['content-length'], String(a.bytes.length), 'Content-Length is the length of the bytes sent');
}

describe('auth gateway: binary bodies and the stored secret', () => {
  const { clock, mock, start, datarhei, ipcortex, secrets } = useGateway();

  it('a PNG-like file with all 256 byte values goes up by PUT and comes back by GET byte-identical', async () => {
    const { gw } = await start([datarhei()]);
    const put = await call(gw, 'PUT', '/dr/api/v3/fs/mem/x.png', { headers: { 'content-type': 'image/png' }, body: PNG_LIKE });
    assert.equal(put.status, 201, put.text);
    assert.deepEqual(datarheiReceived(mock().env).at(-1)?.headers['content-length'], String(PNG_LIKE.length), 'the vendor got every byte');
    const get = await call(gw, 'GET', '/dr/api/v3/fs/mem/x.png');
    assert.equal(get.status, 200, get.text);
    assert.equal(get.headers['content-type'], 'image/png');
    assert.ok(get.bytes.equals(PNG_LIKE), 'the same bytes came back');
    assertLengthIsBody(get);
  });

  it('a gzip file served as application/octet-stream is passed on unchanged: not unpacked, no Content-Encoding', async () => {
    const { gw } = await start([datarhei()]);
    const gz = gzipSync(Buffer.from('{"a":"not to be unpacked"}'.repeat(50)));
    const put = await call(gw, 'PUT', '/dr/api/v3/fs/mem/dump.bin', { headers: { 'content-type': 'application/octet-stream' }, body: gz });
    assert.equal(put.status, 201, put.text);
    const get = await call(gw, 'GET', '/dr/api/v3/fs/mem/dump.bin', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(get.status, 200, get.text);
    assert.equal(get.headers['content-type'], 'application/octet-stream');
    assert.equal(get.headers['content-encoding'], undefined);
    assert.ok(get.bytes.equals(gz), 'the gzip bytes as stored');
    assertLengthIsBody(get);
  });

  it('a body declared as JSON but not UTF-8 is passed on as its bytes, not mangled into U+FFFD', async () => {
    const { gw } = await start([datarhei()]);
    const latin1 = Buffer.from('{"name":"Müller"}', 'latin1');
    assert.equal((await call(gw, 'PUT', '/dr/api/v3/fs/mem/l.bin', { headers: { 'content-type': 'application/json' }, body: latin1 })).status, 201);
    const get = await call(gw, 'GET', '/dr/api/v3/fs/mem/l.bin');
    assert.ok(get.bytes.equals(latin1), get.text);
  });

  it('a JSON answer that carries the session token still has it replaced by the marker, and Content-Length follows', async () => {
    const { gw, m } = await start([datarhei()]);
    assert.equal((await call(gw, 'GET', '/dr/api/v3/process')).status, 200);
    const token = m.get('dr')?.token ?? '';
    assert.ok(token.length > 20);
    const doc = Buffer.from(JSON.stringify({ note: 'copied by a careless tool', token }), 'utf8');
    assert.equal((await call(gw, 'PUT', '/dr/api/v3/fs/mem/t.json', { headers: { 'content-type': 'application/json' }, body: doc })).status, 201);
    const get = await call(gw, 'GET', '/dr/api/v3/fs/mem/t.json');
    assert.equal(get.headers['content-type'], 'application/json');
    assert.ok(!get.text.includes(token), 'the token reached the client');
    assert.deepEqual(JSON.parse(get.text), { note: 'copied by a careless tool', token: HELD_MARKER });
    assertLengthIsBody(get);
  });

  it('a vendor echoing the stored password in a normal answer has it replaced by the marker', async () => {
    const { gw } = await start([datarhei()]);
    // Core's own config answer carries api.auth.password in clear.
    const config = await call(gw, 'GET', '/dr/api/v3/config');
    assert.equal(config.status, 200, config.text);
    const auth = (JSON.parse(config.text) as { config: { api: { auth: { username: string; password: string } } } }).config.api.auth;
    assert.equal(auth.username, ACCOUNTS.datarhei.username);
    assert.equal(auth.password, HELD_MARKER);
    assert.ok(!config.text.includes(ACCOUNTS.datarhei.password));
    assertLengthIsBody(config);
  });

  it('the stored secret is replaced in every form (raw, base64, user:password base64) in a text answer', async () => {
    const { gw } = await start([datarhei()]);
    const { username, password } = ACCOUNTS.datarhei;
    const forms = [password, Buffer.from(password).toString('base64'), Buffer.from(`${username}:${password}`).toString('base64')];
    const text = forms.map((f, i) => `form ${i}: ${f}`).join('\n');
    assert.equal((await call(gw, 'PUT', '/dr/api/v3/fs/mem/echo.txt', { headers: { 'content-type': 'text/plain' }, body: text })).status, 201);
    const get = await call(gw, 'GET', '/dr/api/v3/fs/mem/echo.txt');
    assert.equal(get.text, forms.map((_, i) => `form ${i}: ${HELD_MARKER}`).join('\n'));
    for (const f of secretForms(password, username)) assert.ok(!get.text.includes(f), 'a form of the password reached the client');
  });

  it("the gateway's secretOf, when given, is the secret it scrubs", async () => {
    const { gw } = await start([datarhei()], { secretOf: async () => 'only-this-secret' });
    const body = `${ACCOUNTS.datarhei.password} only-this-secret`;
    assert.equal((await call(gw, 'PUT', '/dr/api/v3/fs/mem/s.txt', { headers: { 'content-type': 'text/plain' }, body })).status, 201);
    assert.equal((await call(gw, 'GET', '/dr/api/v3/fs/mem/s.txt')).text, `${ACCOUNTS.datarhei.password} ${HELD_MARKER}`);
  });

  it('the stored secret is read once for many requests, and again after a new login (it may have changed)', async () => {
    let reads = 0;
    let secret = 'first-secret-value';
    const { gw, m } = await start([datarhei()], {
      secretOf: async () => {
        reads++;
        return secret;
      },
    });
    const put = (body: string) => call(gw, 'PUT', '/dr/api/v3/fs/mem/c.txt', { headers: { 'content-type': 'text/plain' }, body });
    const get = async () => (await call(gw, 'GET', '/dr/api/v3/fs/mem/c.txt')).text;
    await put('first-secret-value second-secret-value');
    for (let i = 0; i < 5; i++) assert.equal(await get(), `${HELD_MARKER} second-secret-value`);
    const afterFirst = reads;
    assert.ok(afterFirst <= 2, `${afterFirst} reads for 6 requests`);
    secret = 'second-secret-value';
    await m.login(datarhei(), { secret: ACCOUNTS.datarhei.password });
    assert.equal(await get(), `first-secret-value ${HELD_MARKER}`, 'the new secret is scrubbed at once after the login');
    assert.equal(reads, afterFirst + 1);
  });

  it('IPCortex with the API key in the body refuses a binary body with 400 before anything is sent', async () => {
    const conn = { ...ipcortex(), id: 'ipck', auth: 'apiKey' as const, apiKeyIn: 'body' as const };
    secrets.set('ipck', ACCOUNTS.ipcortex.apiKey);
    const { gw } = await start([conn]);
    const a = await call(gw, 'POST', '/ipck/rest/user/list', { headers: { 'content-type': 'application/octet-stream' }, body: PNG_LIKE });
    assert.equal(a.status, 400, a.text);
    assert.match(a.text, /must be a JSON object/);
  });

  it('send() keeps the bytes of an answer; its text is the UTF-8 reading without a leading BOM, as before', async () => {
    const { gw } = await start([datarhei()]);
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"ok":"ü"}')]);
    assert.equal((await call(gw, 'PUT', '/dr/api/v3/fs/mem/bom.json', { body: withBom })).status, 201);
    const got = (await call(gw, 'GET', '/dr/api/v3/fs/mem/bom.json')).bytes;
    assert.ok(got.equals(withBom), 'the gateway keeps the BOM');
    const conn = datarhei();
    const ctx = { http: createHttpClient(conn), clock };
    const login = await send(ctx, {
      method: 'POST',
      url: `${conn.baseUrl}/api/login`,
      headers: { 'Content-Type': 'application/json' },
      data: JSON.stringify({ username: conn.username, password: ACCOUNTS.datarhei.password }),
    });
    const token = (JSON.parse(login.text) as { access_token: string }).access_token;
    const res = await send(ctx, { method: 'GET', url: `${conn.baseUrl}/api/v3/fs/mem/bom.json`, headers: { Authorization: `Bearer ${token}` } });
    assert.ok(res.bytes?.equals(withBom));
    assert.equal(res.text, '{"ok":"ü"}');
  });

  it('text is a text type (or none) and valid UTF-8; anything else is bytes', () => {
    for (const t of ['application/json', 'application/problem+json', 'text/xml; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded']) {
      assert.ok(isTextType(t), t);
    }
    for (const t of ['image/png', 'application/octet-stream', 'application/gzip', '']) assert.ok(!isTextType(t), t);
    assert.equal(textOfBody('', Buffer.from('plain')), 'plain');
    assert.equal(textOfBody(undefined, Buffer.from([0xff, 0xfe])), null);
    assert.equal(textOfBody('application/json', Buffer.from([0x7b, 0xc3])), null);
    assert.equal(textOfBody('application/octet-stream', Buffer.from('{}')), null);
  });
});

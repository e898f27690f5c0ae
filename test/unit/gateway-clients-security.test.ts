// The auth gateway's refusals as curl meets them: no key, a foreign Host (DNS rebinding), a web page's Origin, an
// absolute request target, and a stopped gateway, where nothing listens any more.
import * as assert from 'node:assert/strict';
import { datarheiReceived } from '../mock-vendors/datarhei';
import { type ClientAnswer, curl, curlRaw, requireClients } from './external-clients';
import { useGateway } from './gateway-fixtures';

describe('auth gateway with curl: who and what is refused', function () {
  this.timeout(10_000);
  const { mock, start, datarhei } = useGateway();
  before(async () => {
    await requireClients();
  });

  /** A refusal: the status, the kind in X-Api-Auth-Error and in the JSON error body, and nothing sent to the vendor. */
  const assertRefused = (a: ClientAnswer, status: number, kind: string) => {
    assert.equal(a.status, status, a.body);
    assert.equal(a.headers['x-api-auth-error'], kind);
    assert.equal((JSON.parse(a.body) as { error: { kind: string } }).error.kind, kind);
  };

  it('curl without the key is answered 403 key, and nothing reaches the vendor', async () => {
    const { gw } = await start([datarhei()]);
    const before = datarheiReceived(mock().env).length;
    assertRefused(await curl({ method: 'GET', url: `${gw.baseUrl('dr')}api/v3/process` }), 403, 'key');
    assertRefused(await curl({ method: 'GET', url: `${gw.baseUrl('dr')}api/v3/process`, headers: { 'X-Api-Auth-Key': 'guess' } }), 403, 'key');
    assert.equal(datarheiReceived(mock().env).length, before);
    // The same curl with the key gets through: the refusal was the key's, not the request's.
    assert.equal((await curl({ method: 'GET', url: `${gw.baseUrl('dr')}api/v3/process`, headers: { 'X-Api-Auth-Key': gw.key } })).status, 200);
  });

  it("curl with -H 'Host: evil.example' (DNS rebinding) is answered 421, even with the key", async () => {
    const { gw } = await start([datarhei()]);
    const a = await curl({ method: 'GET', url: `${gw.baseUrl('dr')}api/v3/process`, headers: { 'X-Api-Auth-Key': gw.key, Host: 'evil.example' } });
    assertRefused(a, 421, 'host');
    const keyed = await curl({ method: 'GET', url: `${gw.keyedBaseUrl('dr')}api/v3/process`, headers: { Host: 'evil.example' } });
    assertRefused(keyed, 421, 'host');
  });

  it('curl with Origin: https://evil.example is answered 403 origin, even with the key', async () => {
    const { gw } = await start([datarhei()]);
    const a = await curl({ method: 'GET', url: `${gw.baseUrl('dr')}api/v3/process`, headers: { 'X-Api-Auth-Key': gw.key, Origin: 'https://evil.example' } });
    assertRefused(a, 403, 'origin');
    assert.equal(a.headers['access-control-allow-origin'], undefined, 'no CORS grant for the page');
  });

  it('curl --request-target with an absolute URL (http://127.0.0.2/…) is answered 400 target, nothing forwarded', async () => {
    const { gw } = await start([datarhei()]);
    const before = datarheiReceived(mock().env).length;
    for (const target of ['http://127.0.0.2/dr/api/v3/process', `http://127.0.0.1:${gw.port}/dr/api/v3/process`, '//127.0.0.2/dr/api/v3/process']) {
      const a = await curl({ method: 'GET', url: `http://127.0.0.1:${gw.port}/`, headers: { 'X-Api-Auth-Key': gw.key } }, ['--request-target', target]);
      assertRefused(a, 400, 'target');
    }
    assert.equal(datarheiReceived(mock().env).length, before);
  });

  it('after stop() curl gets connection refused on the gateway port', async () => {
    const { gw } = await start([datarhei()]);
    const url = `${gw.baseUrl('dr')}api/v3/process`;
    assert.equal((await curl({ method: 'GET', url, headers: { 'X-Api-Auth-Key': gw.key } })).status, 200);
    await gw.stop();
    const r = await curlRaw(['-H', `X-Api-Auth-Key: ${gw.key}`, url]);
    assert.equal(r.code, 7, `curl exit code 7 is "failed to connect": ${r.stderr}`);
    assert.match(r.stderr, /Failed to connect|Connection refused|Couldn't connect/i);
    assert.equal(r.stdout, '');
  });
});

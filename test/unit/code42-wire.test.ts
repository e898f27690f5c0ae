// Code42 mock wire format: the answers of the loopback mock, as the real server gives them.
import * as assert from 'node:assert/strict';
import { ADAPTERS } from '../../src/vendors';
import { validateConnection } from '../../src/engine/config';
import { code42Adapter as adapter } from '../../src/vendors/code42';
import { CODE42_SIGNING_KEY } from '../mock-vendors/code42';
import { signHs256 } from '../mock-vendors/jwt';
import { basic, clock, rawGet, totpCode, U, useCode42 } from './code42-fixtures';

describe('Code42', () => {
  const { mock, conn } = useCode42();

  describe('mock wire format', () => {
    it('token resource: {"data":{"v3_user_token"},"error":null,"warnings":null}', async () => {
      for (const p of ['/c42api/v3/auth/jwt', '/api/v3/auth/jwt']) {
        const r = await rawGet(`${mock().baseUrl('code42')}${p}?useBody=true`, { Authorization: basic(U.username, U.password) });
        assert.equal(r.status, 200);
        assert.match(r.type, /^application\/json/);
        assert.match(r.body, /^\{"data":\{"v3_user_token":"eyJ[\w-]+\.[\w-]+\.[\w-]+"\},"error":null,"warnings":null\}$/);
      }
    });

    it('bad credentials: 401 with a SYSTEM error "Could not authenticate user"', async () => {
      const r = await rawGet(`${mock().baseUrl('code42')}/c42api/v3/auth/jwt?useBody=true`, { Authorization: basic(U.username, 'nope') });
      assert.equal(r.status, 401);
      const body = JSON.parse(r.body) as { data: unknown; error: { primaryErrorKey: string; description: string }[]; warnings: unknown };
      assert.equal(body.data, null);
      assert.equal(body.warnings, null);
      assert.equal(body.error[0].primaryErrorKey, 'SYSTEM');
      assert.equal(body.error[0].description, 'Could not authenticate user');
    });

    it('two-factor user without a code: exactly the documented 401 body', async () => {
      const r = await rawGet(`${mock().baseUrl('code42')}/c42api/v3/auth/jwt?useBody=true`, { Authorization: basic(U.mfa.username, U.mfa.password) });
      assert.equal(r.status, 401);
      assert.equal(r.body, '{"error":[{"primaryErrorKey":"TIME_BASED_ONE_TIME_PASSWORD_REQUIRED"}]}');
      const ok = await rawGet(`${mock().baseUrl('code42')}/c42api/v3/auth/jwt?useBody=true`, {
        Authorization: basic(U.mfa.username, U.mfa.password),
        'totp-auth': totpCode(),
      });
      assert.equal(ok.status, 200);
    });

    it('a forged or foreign-key bearer token is refused', async () => {
      const iat = Math.floor(clock() / 1000);
      const claims = { sub: '1042000000000001042', iat, exp: iat + 60 };
      const good = await rawGet(`${mock().baseUrl('code42')}/api/User/my`, { Authorization: `Bearer ${signHs256(claims, CODE42_SIGNING_KEY)}` });
      assert.equal(good.status, 200);
      const bad = await rawGet(`${mock().baseUrl('code42')}/api/User/my`, { Authorization: `Bearer ${signHs256(claims, 'other-key')}` });
      assert.equal(bad.status, 401);
    });
  });

  it('describes itself: token (default) and basic, no refresh, no logout', () => {
    assert.deepEqual(adapter.authKinds, ['token', 'basic']);
    assert.equal(adapter.secretLabel('token'), 'password');
    assert.equal(adapter.refresh, undefined);
    assert.equal(adapter.logout, undefined);
    assert.deepEqual(adapter.validate(conn()), []);
    assert.deepEqual(adapter.validate(conn({ username: undefined })), ['a username is required']);
    assert.deepEqual(adapter.validate(conn({ tokenPath: '/api/v3/auth/jwt' })), []);
    assert.equal(adapter.validate(conn({ tokenPath: 'c42api/v3/auth/jwt' })).length, 1);
    assert.deepEqual(validateConnection({ ...conn(), auth: 'password' }, ADAPTERS), ['"auth": Code42 supports token, basic, not password']);
    assert.deepEqual(
      adapter.sampleRequests.map((r) => (r.kind === 'rest' ? `${r.method} ${r.path}` : r.method)),
      ['GET /api/User/my', 'GET /api/v1/Org/my', 'GET /api/v1/Computer'],
    );
  });
});

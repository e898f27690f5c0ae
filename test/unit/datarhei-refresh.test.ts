// datarhei Core adapter, refresh and expiry: new access tokens, expired access and refresh tokens, a password change.
import * as assert from 'node:assert/strict';
import { datarheiAdapter as adapter } from '../../src/vendors/datarhei';
import { changeDatarheiPassword } from '../mock-vendors/datarhei';
import { ctxFor, rejects, shiftMockClock } from './helpers';
import { A, clock, useAdapterMock } from './datarhei-fixtures';

describe('datarhei Core adapter', () => {
  const { mock, conn, login } = useAdapterMock();
  let undo: (() => void) | undefined;
  afterEach(() => {
    undo?.();
    undo = undefined;
  });

  it('refresh: a new access token, the same refresh token, a "refresh" history entry', async () => {
    const c = conn();
    const s = await login();
    clock.advance(1000); // a new second, so the new token's iat differs
    const before = mock().env.stats.get('datarhei.refresh');
    const s2 = await adapter.refresh!(c, s, ctxFor(c, clock));
    assert.equal(mock().env.stats.get('datarhei.refresh'), before + 1);
    assert.notEqual(s2.token, s.token);
    assert.equal(s2.refreshToken, s.refreshToken);
    assert.equal(s2.refreshExpiresAt, s.refreshExpiresAt);
    assert.deepEqual(s2.attach, { kind: 'header', name: 'Authorization', value: `Bearer ${s2.token}` });
    assert.equal(s2.jwt?.claims.usefor, 'access');
    assert.ok((s2.jwt?.claims.iat as number) > (s.jwt?.claims.iat as number));
    assert.equal(s2.expiresAt, (s2.jwt?.claims.exp as number) * 1000);
    assert.equal(s2.history.length, 2);
    const h = s2.history[1];
    assert.equal(h.event, 'refresh');
    assert.equal(h.method, 'GET /api/login/refresh');
    assert.equal(h.token, s2.token);
    assert.equal(h.replaced, s.token);
    assert.equal(h.expiresAt, s2.expiresAt);
    const r = await adapter.request(c, s2, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock));
    assert.equal(r.response.status, 200);
  });

  it('refresh with an access token in place of the refresh token → expired', async () => {
    const c = conn();
    const s = await login();
    const e = await rejects(adapter.refresh!(c, { ...s, refreshToken: s.token, refreshExpiresAt: s.expiresAt }, ctxFor(c, clock)), 'expired');
    assert.equal(e.message, 'the refresh token was rejected');
    assert.equal(e.details.status, 401);
    assert.equal(e.details.serverMessage, 'Missing or invalid JWT token');
  });

  it('expired access token → request throws expired; a refresh brings calls back', async () => {
    const c = conn();
    const s = await login();
    undo = shiftMockClock(mock(), 4000);
    const e = await rejects(adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock)), 'expired');
    assert.equal(e.message, 'the access token was rejected');
    assert.equal(e.details.serverMessage, 'Missing or invalid JWT token');
    const s2 = await adapter.refresh!(c, s, ctxFor(c, clock));
    const r = await adapter.request(c, s2, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock));
    assert.equal(r.response.status, 200);
  });

  it('the access token expires when the time reaches its exp (3 s)', async () => {
    const c = conn();
    const s = await login();
    const ok = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock));
    assert.equal(ok.response.status, 200);
    assert.ok(s.expiresAt !== null);
    clock.advance(s.expiresAt - clock() - 1);
    const late = await adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock));
    assert.equal(late.response.status, 200, 'a millisecond before exp');
    clock.advance(1);
    await rejects(adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock)), 'expired');
  });

  it('expired refresh token → refresh throws expired (server check and client check)', async () => {
    const c = conn();
    const s = await login();
    undo = shiftMockClock(mock(), 9000);
    const e = await rejects(adapter.refresh!(c, s, ctxFor(c, clock)), 'expired');
    assert.equal(e.message, 'the refresh token was rejected');
    assert.equal(e.details.serverMessage, 'Missing or invalid JWT token');
    undo();
    undo = undefined;
    const before = mock().env.stats.get('datarhei.refresh');
    const e2 = await rejects(
      adapter.refresh!(
        c,
        s,
        ctxFor(c, () => clock() + 9000),
      ),
      'expired',
    );
    assert.equal(e2.message, 'the refresh token has expired');
    assert.equal(mock().env.stats.get('datarhei.refresh'), before, 'no request was sent');
  });

  it('a password change on the server: calls and refresh → expired', async () => {
    const c = conn();
    const s = await login();
    changeDatarheiPassword(mock().env, 'rotated-pass');
    try {
      await rejects(adapter.request(c, s, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock)), 'expired');
      await rejects(adapter.refresh!(c, s, ctxFor(c, clock)), 'expired');
      await rejects(login(), 'credentials');
      const s2 = await login({}, 'rotated-pass');
      assert.equal((await adapter.request(c, s2, { kind: 'rest', method: 'GET', path: '/api/v3/process' }, ctxFor(c, clock))).response.status, 200);
    } finally {
      changeDatarheiPassword(mock().env, A.password);
    }
  });
});

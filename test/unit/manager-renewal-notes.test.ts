// The session manager tells each request which renewal it caused or waited for (`CallResult.renewal`): what renewed
// (refresh, Commvault renew, login, login again), why (no session, ahead of expiry, past expiry, refused by the
// server) and whether it joined a renewal another caller had started. The Traffic view and the gateway log show it.
import * as assert from 'node:assert/strict';
import type { ExploreRequest } from '../../src/core/types';
import { renewalNote } from '../../src/engine/renewalPolicy';
import { PARTNERS, PROCESS, useRenewal } from './manager-fixtures';

describe('session manager: the renewal note of a request', () => {
  const { clock, mock, manager, stat, datarhei, commvault, cove } = useRenewal();

  it('a request on a fresh session carries no renewal note', async () => {
    const m = manager();
    const conn = datarhei();
    await m.login(conn);
    const result = await m.request(conn, PROCESS);
    assert.equal(result.response.status, 200);
    assert.equal(result.renewal, undefined);
  });

  it('the first request without a session notes a login because there was no session', async () => {
    const m = manager();
    const result = await m.request(datarhei(), PROCESS);
    assert.deepEqual(result.renewal, { how: 'login', why: 'no-session', joined: false });
  });

  it('datarhei with an expired access token notes a refresh because it expired', async () => {
    const m = manager();
    const conn = datarhei();
    await m.login(conn);
    clock.advance(2100);
    const result = await m.request(conn, PROCESS);
    assert.equal(result.response.status, 200);
    assert.deepEqual(result.renewal, { how: 'refresh', why: 'expired', joined: false });
  });

  it('datarhei within the refresh lead notes a refresh because the token was expiring', async () => {
    const m = manager();
    const conn = { ...datarhei(), refreshLeadSeconds: 30 }; // capped at half the 2 s lifetime: 1 s
    await m.login(conn);
    clock.advance(1200);
    const result = await m.request(conn, PROCESS);
    assert.deepEqual(result.renewal, { how: 'refresh', why: 'expiring', joined: false });
  });

  it('datarhei with an expired refresh token notes a login again because the token expired', async () => {
    const m = manager();
    const conn = datarhei();
    await m.login(conn);
    clock.advance(4100);
    const result = await m.request(conn, PROCESS);
    assert.deepEqual(result.renewal, { how: 'relogin', why: 'expired', joined: false });
  });

  it('datarhei: a 401 on a token the client thought valid notes a refresh because the server rejected it', async () => {
    const m = manager();
    const conn = datarhei();
    const s = await m.login(conn);
    m.set({ ...s, expiresAt: clock() + 60_000 }); // the client's idea of the expiry is off; the server's 2 s count
    clock.advance(2100);
    const result = await m.request(conn, PROCESS);
    assert.equal(result.response.status, 200);
    assert.deepEqual(result.renewal, { how: 'refresh', why: 'rejected', joined: false });
  });

  it('Commvault: a 401 on a renewable token notes a RenewLoginToken renew because the server rejected it', async () => {
    const m = manager();
    const conn = commvault();
    await m.login(conn);
    const renews = stat('commvault.renew');
    const body = JSON.stringify({ errorCode: 401, errorMessage: 'Access denied' });
    mock().setFault('commvault', { fault: { kind: 'reply', status: 401, contentType: 'application/json', body, path: '/webconsole/api/Client' }, times: 1 });
    const CLIENT: ExploreRequest = { kind: 'rest', method: 'GET', path: '/Client' };
    const result = await m.request(conn, CLIENT);
    assert.equal(result.response.status, 200);
    assert.equal(stat('commvault.renew'), renews + 1);
    assert.deepEqual(result.renewal, { how: 'renew', why: 'rejected', joined: false });
  });

  it('a session that only moved on by a call (a newer Cove visa) is no renewal', async () => {
    const m = manager();
    const conn = cove();
    await m.login(conn);
    await m.request(conn, PARTNERS);
    const moved = m.get(conn.id);
    assert.equal(moved?.history.at(-1)?.event, 'call');
    assert.equal(moved && renewalNote(moved, 'rejected', true), undefined);
  });

  it('20 concurrent requests on an expired datarhei token: one refresh noted as its own, 19 as joined', async () => {
    const m = manager();
    const conn = datarhei();
    await m.login(conn);
    clock.advance(2100);
    const refreshes = stat('datarhei.refresh');
    const results = await Promise.all(Array.from({ length: 20 }, () => m.request(conn, PROCESS)));
    assert.equal(stat('datarhei.refresh'), refreshes + 1);
    assert.ok(results.every((r) => r.renewal?.how === 'refresh' && r.renewal.why === 'expired'));
    assert.equal(results.filter((r) => r.renewal?.joined === false).length, 1);
    assert.equal(results.filter((r) => r.renewal?.joined === true).length, 19);
  });
});

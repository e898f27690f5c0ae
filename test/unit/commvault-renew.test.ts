// Commvault / SnapProtect adapter RenewLoginToken and logout against the loopback mock (the protocol: docs/protocols.md §2).
import * as assert from 'node:assert/strict';
import { commvaultAdapter as cv } from '../../src/vendors/commvault';
import { ctxFor } from './helpers';
import { authError, useCommvault } from './commvault-fixtures';

describe('Commvault adapter', () => {
  const { clock, mock, rec, conn, loginAdmin, whoAmI } = useCommvault();

  describe('RenewLoginToken', () => {
    it('gives a new working token, the old one stops working, the history records the renewal', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      const before = mock().env.stats.get('commvault.renew');
      assert.ok(cv.refresh);
      const r = await cv.refresh(c, s, ctxFor(c, clock));
      assert.equal(mock().env.stats.get('commvault.renew'), before + 1);
      assert.deepEqual(rec().lastRenewBody, { sessionId: s.token, deviceId: s.vendorState.deviceId });

      assert.notEqual(r.token, s.token);
      assert.match(r.token, /^QSDK [0-9a-f]{100,}$/);
      assert.deepEqual(r.attach, { kind: 'header', name: 'Authtoken', value: r.token });
      const last = r.history[r.history.length - 1];
      assert.equal(r.history.length, 2);
      assert.equal(last.event, 'renew');
      assert.equal(last.method, 'RenewLoginToken');
      assert.equal(last.token, r.token);
      assert.equal(last.replaced, s.token);
      assert.equal(r.expiresBecause, 'sliding-idle');

      assert.equal((await whoAmI(c, r)).response.status, 200);
      assert.equal((await authError(() => whoAmI(c, s))).kind, 'expired');
    });

    it('renewing a dead token: expired (HTTP 401)', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      const r = await cv.refresh!(c, s, ctxFor(c, clock));
      const e = await authError(() => cv.refresh!(c, s, ctxFor(c, clock)));
      assert.equal(e.kind, 'expired');
      assert.equal(e.details.status, 401);
      assert.equal((await whoAmI(c, r)).response.status, 200, 'the failed renewal did not hurt the current token');
    });

    it('renewing with another device id than the login one: expired, with the server message', async () => {
      const c = conn({ deviceId: 'laptop-42' });
      const s = await loginAdmin(c);
      const e = await authError(() => cv.refresh!(c, { ...s, vendorState: { ...s.vendorState, deviceId: 'other' } }, ctxFor(c, clock)));
      assert.equal(e.kind, 'expired');
      assert.equal(e.details.status, 200);
      assert.match(e.details.serverMessage ?? '', /device/i);
      const ok = await cv.refresh!(c, s, ctxFor(c, clock));
      assert.equal(rec().lastRenewBody?.deviceId, 'laptop-42');
      assert.equal((await whoAmI(c, ok)).response.status, 200);
    });

    it('renewal faults are typed', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      mock().setFault('commvault', { fault: { kind: 'status500' }, times: 1 });
      assert.equal((await authError(() => cv.refresh!(c, s, ctxFor(c, clock)))).kind, 'server');
      mock().setFault('commvault', { fault: { kind: 'notJson' }, times: 1 });
      assert.equal((await authError(() => cv.refresh!(c, s, ctxFor(c, clock)))).kind, 'protocol');
    });
  });

  describe('logout', () => {
    it('ends the token; a second logout ("Invalid authorization token provided.") is fine too', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      const before = mock().env.stats.get('commvault.logout');
      assert.ok(cv.logout);
      await cv.logout(c, s, ctxFor(c, clock));
      assert.equal(rec().lastAuthtoken, s.token);
      assert.equal((await authError(() => whoAmI(c, s))).kind, 'expired');
      await cv.logout(c, s, ctxFor(c, clock));
      assert.equal(mock().env.stats.get('commvault.logout'), before + 2);

      // What the server said both times (plain text).
      const s2 = await loginAdmin(c);
      const post = (token: string) =>
        ctxFor(c, clock)
          .http.post(`${c.baseUrl}/Logout`, undefined, { headers: { Authtoken: token } })
          .then((r) => String(r.data));
      assert.equal(await post(s2.token), 'User logged out');
      assert.equal(await post(s2.token), 'Invalid authorization token provided.');
    });

    it('a 500 on logout is a server error', async () => {
      const c = conn();
      const s = await loginAdmin(c);
      mock().setFault('commvault', { fault: { kind: 'status500' }, times: 1 });
      assert.equal((await authError(() => cv.logout!(c, s, ctxFor(c, clock)))).kind, 'server');
    });
  });
});

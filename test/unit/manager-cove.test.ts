// The session manager's renewal policy for N-able Cove: the visa chain, renewal after expiry and rejection.
import * as assert from 'node:assert/strict';
import axios from 'axios';
import { describeError } from '../../src/core/errors';
import { ACCOUNTS } from '../mock-vendors/accounts';
import type { CoveReceived } from '../mock-vendors/cove';
import { rejects } from './helpers';
import { PARTNERS, useRenewal } from './manager-fixtures';

describe('session manager: renewal policy per vendor', () => {
  const { clock, mock, secrets, manager, stat, cove } = useRenewal();

  describe('N-able Cove', () => {
    const received = async (): Promise<CoveReceived[]> => (await axios.get<CoveReceived[]>(`${mock().url}/cove/__mock/received`)).data;

    it('logs in again when the server says the visa lapsed, and the call succeeds', async () => {
      const m = manager();
      const conn = cove();
      await m.login(conn);
      clock.advance(1100);
      const logins = stat('cove.Login');
      const { response, session } = await m.request(conn, PARTNERS);
      assert.equal(response.status, 200);
      assert.equal(stat('cove.Login'), logins + 1);
      assert.deepEqual(
        session.history.slice(-2).map((h) => [h.event, h.method]),
        [
          ['relogin', 'Login'],
          ['call', 'EnumeratePartners'],
        ],
      );
    });

    it('logs in again without a failed call when the client knows the visa window has passed', async () => {
      const m = manager();
      const conn = cove({ lifetimeSeconds: 1 });
      await m.login(conn);
      clock.advance(1100);
      const [logins, calls] = [stat('cove.Login'), stat('cove.call')];
      await m.request(conn, PARTNERS);
      assert.equal(stat('cove.Login'), logins + 1);
      assert.equal(stat('cove.call'), calls + 1);
    });

    it('grows the visa chain by one entry per call and always sends the newest visa', async () => {
      const m = manager();
      const conn = cove();
      let s = await m.login(conn);
      for (let i = 0; i < 4; i++) {
        const before = s;
        const { session } = await m.request(conn, PARTNERS);
        const sent = (await received()).at(-1);
        assert.equal(sent?.visa, before.token, 'the newest visa is the one sent');
        assert.equal(session.history.length, before.history.length + 1);
        assert.equal(session.history.at(-1)?.replaced, before.token);
        assert.notEqual(session.token, before.token);
        s = session;
      }
      assert.equal(m.get(conn.id)?.token, s.token);
    });

    it('20 concurrent calls after the visa lapsed cause exactly one Login, and the chain keeps every call', async () => {
      const m = manager();
      const conn = cove();
      const s = await m.login(conn);
      clock.advance(1100);
      const [logins, calls] = [stat('cove.Login'), stat('cove.call')];
      const results = await Promise.all(Array.from({ length: 20 }, () => m.request(conn, PARTNERS)));
      assert.ok(results.every((r) => r.response.status === 200));
      assert.equal(stat('cove.Login'), logins + 1);
      // Cove has no refresh: the lapsed visa is rejected once per call, then each call is retried once.
      assert.equal(stat('cove.call'), calls + 40);
      const history = m.get(conn.id)?.history ?? [];
      assert.equal(history.length, s.history.length + 1 + 20);
      assert.equal(history.filter((h) => h.event === 'relogin').length, 1);
      assert.equal(history.filter((h) => h.event === 'call').length, 20);
    });

    it('a wrong stored password during re-login is a clear error, and the connection works once it is fixed', async () => {
      const m = manager();
      const conn = cove();
      await m.login(conn);
      secrets.set('cove', 'not-the-password');
      clock.advance(1100);
      const logins = stat('cove.Login');
      const err = await rejects(m.request(conn, PARTNERS), 'credentials');
      assert.equal(stat('cove.Login'), logins + 1, 'one login attempt with the wrong password, not a retry loop');
      const sentence = describeError(err, conn);
      assert.match(sentence, /^Connection "cove": wrong partner, username or password/);
      assert.ok(!sentence.includes('not-the-password'));
      secrets.set('cove', ACCOUNTS.cove.password);
      const { response, session } = await m.request(conn, PARTNERS);
      assert.equal(response.status, 200);
      assert.equal(stat('cove.Login'), logins + 2);
      assert.equal(session.history.at(-2)?.event, 'relogin');
    });
  });
});

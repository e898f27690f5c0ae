// A session listener that throws must not break the engine, and its failure must reach the log.
import * as assert from 'node:assert/strict';
import type { Adapters } from '../../src/core/adapter';
import type { Session } from '../../src/core/types';
import { type ManagerDeps, SessionManager } from '../../src/engine/manager';

const session: Session = {
  connectionId: 'x',
  vendor: 'datarhei',
  authKind: 'password',
  token: 'tok',
  attach: { kind: 'header', name: 'Authorization', value: 'Bearer tok' },
  issuedAt: 0,
  expiresAt: null,
  expiresBecause: 'unknown',
  slidingWindowMs: null,
  lastUsedAt: 0,
  refreshToken: null,
  refreshExpiresAt: null,
  jwt: null,
  refreshJwt: null,
  history: [],
  user: null,
  vendorState: {},
};

function managerWith(deps: Partial<ManagerDeps>): SessionManager {
  return new SessionManager({ adapters: {} as Adapters, getSecret: async () => undefined, ...deps });
}

describe('session listener errors', () => {
  it('are handed to onListenerError; the other listeners and the engine go on', () => {
    const errors: unknown[] = [];
    const m = managerWith({ onListenerError: (e) => errors.push(e) });
    const boom = new Error('listener bug');
    const seen: string[] = [];
    m.onDidChange(() => {
      throw boom;
    });
    m.onDidChange((id, s) => seen.push(`${id}:${s ? 'set' : 'gone'}`));
    m.set(session);
    m.forget('x');
    assert.deepEqual(errors, [boom, boom]);
    assert.deepEqual(seen, ['x:set', 'x:gone']);
    assert.equal(m.get('x'), undefined);
  });

  it('go to trace when no onListenerError is given', () => {
    const lines: string[] = [];
    const m = managerWith({ trace: (line) => lines.push(String(line)) });
    m.onDidChange(() => {
      throw new Error('listener bug');
    });
    m.set(session);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^a session listener failed: Error: listener bug/);
  });

  it('a failing reporter does not break the engine either', () => {
    const m = managerWith({
      onListenerError: () => {
        throw new Error('reporter bug');
      },
    });
    m.onDidChange(() => {
      throw new Error('listener bug');
    });
    assert.doesNotThrow(() => m.set(session));
    assert.equal(m.get('x'), session);
  });
});

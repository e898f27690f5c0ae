// Error sentences: what each AuthError kind tells the user about a connection.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuthError, describeError } from '../../src/core/errors';
import { AUTH_KIND_TEXT, AUTH_KINDS, type AuthKind, DEFAULT_AUTH, VENDORS } from '../../src/core/types';
import { ADAPTERS } from '../../src/vendors';

describe('error sentences', () => {
  it('names the connection, the cause, the server’s words and a way forward in one sentence', () => {
    const e = new AuthError('credentials', 'wrong partner, username or password', { serverMessage: 'Unknown partner/username or bad password', code: 2100 });
    assert.equal(
      describeError(e, { id: 'prod', label: 'Prod Cove' }),
      'Connection "Prod Cove": wrong partner, username or password (server said: "Unknown partner/username or bad password"); check the username and set the secret again.',
    );
    assert.match(describeError(new Error('boom'), { id: 'x' }), /^Connection "x": unexpected error: boom\.$/);
  });

  it('advises by credential kind when the connection says what it is', () => {
    const e = new AuthError('credentials', 'rejected');
    const advice = (conn: Parameters<typeof describeError>[1]) => describeError(e, conn).replace(/^.*; /, '');
    assert.equal(advice({ id: 'c', vendor: 'cove' }), 'check the partner name, username and password.');
    assert.equal(advice({ id: 'c', vendor: 'commvault' }), 'check the username and password.');
    assert.equal(advice({ id: 'c', vendor: 'ipcortex' }), 'check the username and password.');
    assert.equal(advice({ id: 'c', vendor: 'ipcortex', auth: 'apiKey' }), 'check the API key.');
    assert.equal(advice({ id: 'c', vendor: 'datarhei', auth: 'auth0' }), 'get a fresh Auth0 token.');
    assert.equal(advice({ id: 'c', vendor: 'datarhei' }), 'check the username and password.');
    assert.equal(advice({ id: 'c', vendor: 'code42' }), 'check the username and password.');
    assert.equal(advice({ id: 'c', vendor: 'code42', auth: 'basic' }), 'check the username and password.');
    // A whole ConnectionConfig works as well as {id, label}; without a vendor the advice stays generic.
    assert.equal(
      advice({ id: 'c', label: 'L', vendor: 'ipcortex', baseUrl: 'http://x', auth: 'apiKey' } as Parameters<typeof describeError>[1]),
      'check the API key.',
    );
    assert.equal(advice({ id: 'c' }), 'check the username and set the secret again.');
    // Other kinds keep their own advice.
    assert.match(
      describeError(new AuthError('twoFactorRequired', 'the two-factor code was rejected'), { id: 'c', vendor: 'code42' }),
      /enter the current code from your authenticator app\.$/,
    );
  });

  it('without `auth`, advises as for the vendor’s default auth kind (its adapter’s first)', () => {
    const e = new AuthError('credentials', 'rejected');
    for (const vendor of VENDORS) {
      assert.equal(describeError(e, { id: 'c', vendor }), describeError(e, { id: 'c', vendor, auth: ADAPTERS[vendor].authKinds[0] }), vendor);
    }
  });

  it('the settings schema names each auth kind in the same words as the UI (AUTH_KIND_TEXT)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { items: { properties: { auth: { enum: AuthKind[]; enumDescriptions: string[] } } } }> } };
    };
    const auth = pkg.contributes.configuration.properties['authExplorer.connections'].items.properties.auth;
    assert.deepEqual(auth.enum, [...AUTH_KINDS]);
    auth.enum.forEach((kind, i) =>
      assert.ok(auth.enumDescriptions[i].toLowerCase().includes(AUTH_KIND_TEXT[kind].toLowerCase()), `${kind}: ${auth.enumDescriptions[i]}`),
    );
  });

  it('each vendor’s default auth kind (core’s DEFAULT_AUTH) is its adapter’s first', () => {
    for (const vendor of VENDORS) assert.equal(DEFAULT_AUTH[vendor], ADAPTERS[vendor].authKinds[0], vendor);
  });
});

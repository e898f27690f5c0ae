// Secrets in server messages are scrubbed, and tokens, headers and texts are redacted before they are shown.
import * as assert from 'node:assert/strict';
import { AuthError, scrubError, secretForms, truncate, withSecretsScrubbed } from '../../src/core/errors';
import { maskToken, redactHeaders, redactText } from '../../src/core/redact';
import { outside, wording } from '../../src/core/wording';
import { DATARHEI_ACCESS } from './core-fixtures';

describe('secrets in server messages', () => {
  it('names every form of a secret: as given, trimmed, JSON-escaped, base64 and base64 user:secret', () => {
    const forms = secretForms(' pa"ss ', 'bob');
    for (const f of [' pa"ss ', 'pa"ss', 'pa\\"ss', Buffer.from(' pa"ss ').toString('base64'), Buffer.from('bob:pa"ss').toString('base64')]) {
      assert.ok(forms.includes(f), `${f} in ${JSON.stringify(forms)}`);
    }
    assert.deepEqual(secretForms(''), []);
  });

  it('scrubs every form from message and server words, keeps kind and details, and leaves clean errors alone', () => {
    const secret = 'Hunter2';
    const basic = Buffer.from(`admin:${secret}`).toString('base64');
    const e = new AuthError('credentials', wording`bad password ${outside(secret)}`, {
      serverMessage: `bad password ${secret} (Basic ${basic})`,
      status: 401,
      code: 7,
    });
    const out = scrubError(e, secretForms(secret, 'admin'));
    assert.ok(out instanceof AuthError);
    assert.equal(out.kind, 'credentials');
    assert.equal(out.message, 'bad password ‹redacted›');
    assert.equal(out.details.serverMessage, 'bad password ‹redacted› (Basic ‹redacted›)');
    assert.equal(out.details.status, 401);
    assert.equal(out.details.code, 7);
    assert.ok(!String(out.stack).includes(secret));
    const clean = new AuthError('network', 'refused');
    assert.equal(scrubError(clean, secretForms(secret)), clean);
    const plain = scrubError(new Error(`boom ${secret}`), [secret]) as Error;
    assert.equal(plain.message, 'boom ‹redacted›');
  });

  it('also hides the start of a secret that a truncation cut off', () => {
    const secret = 'Hunter2-secret';
    const cut = truncate(`server said: bad password ${secret} and more`, 32);
    assert.ok(cut.endsWith('Hunte…'), cut);
    assert.equal(redactText(cut, [secret]), 'server said: bad password ‹redacted›…');
    assert.equal(redactText('nothing to hide…', [secret]), 'nothing to hide…');
  });

  it('withSecretsScrubbed passes results through and scrubs what is thrown', async () => {
    assert.equal(await withSecretsScrubbed('Hunter2', 'u', async () => 42), 42);
    await assert.rejects(
      withSecretsScrubbed('Hunter2', 'u', async () => {
        throw new AuthError('protocol', wording`the answer is not JSON (HTTP 200: "${outside('bad password Hunter2')}")`);
      }),
      (e: unknown) => e instanceof AuthError && e.kind === 'protocol' && e.message === 'the answer is not JSON (HTTP 200: "bad password ‹redacted›")',
    );
  });
});

describe('redaction', () => {
  it('hides auth headers but keeps the scheme', () => {
    assert.deepEqual(redactHeaders({ Authorization: 'Bearer abc.def.ghi', Authtoken: 'QSDK 1234', Accept: 'application/json', Cookie: 'Red60urne=x' }), {
      Authorization: 'Bearer ‹redacted›',
      Authtoken: 'QSDK ‹redacted›',
      Accept: 'application/json',
      Cookie: '‹redacted›',
    });
  });

  it('hides secret fields in JSON and XML, JWTs, QSDK tokens and known secrets', () => {
    const out = redactText(
      `{"username":"admin","password":"c3Vw","visa":"v1","nested":{"refresh_token":"r"}} <x password="abc" user="u"/> ${DATARHEI_ACCESS} QSDK 3fee0a1b2c3d4e5f my-api-key-123`,
      ['my-api-key-123'],
    );
    assert.ok(!/c3Vw|"v1"|"r"|abc|3fee0a1b|my-api-key-123|eyJ/.test(out), out);
    assert.match(out, /"username":"admin"/);
  });

  it('masks tokens to their ends', () => {
    assert.equal(maskToken('abcdefghijklmnopqrstuvwxyz'), 'abcdef…uvwxyz');
    assert.equal(maskToken('short'), '•••••');
  });
});

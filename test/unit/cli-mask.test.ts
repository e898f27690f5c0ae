// `api-auth request` prints an answer with its secret-named fields masked, says so, and prints it raw on purpose.
import * as assert from 'node:assert/strict';
import { MASKED } from '../../src/core/mask';
import { REDACTED } from '../../src/core/redact';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { cli, config, useCli } from './cli-fixtures';
import { CONFIG_SECRETS } from './mask.test';

/** The config secrets other than the login password (which the CLI scrubs as the user's own secret, raw or not). */
const OTHER_SECRETS = CONFIG_SECRETS.filter((s) => s !== ACCOUNTS.datarhei.password);

describe('api-auth CLI: secret-named fields in answers', function () {
  this.timeout(30_000);
  useCli();
  const run = (extra: string[]) =>
    cli(['request', 'dr', 'GET', '/api/v3/config', ...extra, '--config', config, '--secret-stdin'], { stdin: ACCOUNTS.datarhei.password });

  it('request core GET /api/v3/config masks the passwords and secrets and says how many on stderr', async () => {
    const r = await run([]);
    assert.equal(r.code, 0, r.stderr);
    for (const s of CONFIG_SECRETS) assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `${s} printed`);
    assert.match(r.stdout, /^HTTP 200 OK \(\d+ ms\)\n/);
    assert.match(r.stdout, /"password": "‹masked›"/);
    assert.match(r.stdout, /"username": "admin"/);
    assert.equal(r.stderr, `api-auth: 5 secret-named fields were masked (shown as ${MASKED}); --raw prints the answer as it came\n`);
  });

  it('request --json masks the same fields and counts them in maskedFields', async () => {
    const r = await run(['--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { maskedFields: number; body: { config: { api: { auth: { password: string; jwt: { secret: string } } } } } };
    assert.equal(out.maskedFields, 5);
    assert.equal(out.body.config.api.auth.password, MASKED);
    assert.equal(out.body.config.api.auth.jwt.secret, MASKED);
    for (const s of CONFIG_SECRETS) assert.ok(!r.stdout.includes(s), `${s} printed`);
    assert.equal(r.stderr, '');
  });

  it('request --raw prints the answer as it came (the login password still scrubbed) and warns on stderr', async () => {
    const r = await run(['--raw', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { maskedFields: number; body: { config: { api: { auth: { password: string; jwt: { secret: string } } } } } };
    assert.equal(out.maskedFields, 0);
    assert.equal(out.body.config.api.auth.jwt.secret, ACCOUNTS.datarhei.jwtSecret);
    for (const s of OTHER_SECRETS) assert.ok(r.stdout.includes(s), `${s} not printed raw`);
    assert.equal(out.body.config.api.auth.password, REDACTED);
    assert.equal(r.stderr, 'api-auth: --raw: printing the answer as it came; secret-named fields in it are not masked\n');
    const text = await run(['--raw']);
    assert.equal(text.code, 0, text.stderr);
    assert.ok(text.stdout.includes(ACCOUNTS.datarhei.jwtSecret));
  });
});

// The extension loads the gateway as a chunk of its own (dist/gateway.js) with its own copies of the core modules.
// What crosses between the two copies (an engine error, a wording for the log) must keep its meaning: these tests
// load a second copy of the modules, as the chunk has, and hand it what the first copy made.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuthError, describeError, isAuthError, scrubError } from '../../src/core/errors';
import { outside, scrubbed, wording } from '../../src/core/wording';
import type * as ErrorsModule from '../../src/core/errors';
import type * as WordingModule from '../../src/core/wording';
import type * as AnswerModule from '../../src/engine/gatewayAnswer';
import type { ConnectionConfig } from '../../src/core/types';

const SRC = `${path.sep}src${path.sep}`;
const DIST = path.resolve(__dirname, '../../../dist');

/** A second copy of a compiled module of src/, with second copies of everything of src/ it imports. */
function secondCopy<T>(rel: string): T {
  const ours = Object.keys(require.cache).filter((k) => k.includes(SRC));
  const saved = new Map(ours.map((k) => [k, require.cache[k]]));
  for (const k of ours) delete require.cache[k];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.resolve(__dirname, '../../src', rel)) as T;
  } finally {
    for (const k of Object.keys(require.cache)) if (k.includes(SRC)) delete require.cache[k];
    for (const [k, m] of saved) require.cache[k] = m;
  }
}

const conn: ConnectionConfig = { id: 'dr', label: 'Core', vendor: 'datarhei', baseUrl: 'http://127.0.0.1:1/', username: 'admin' };

describe('bundle chunks: errors and wordings across copies of the core modules', () => {
  it('an AuthError made by another copy of errors.ts is an AuthError here, and the reverse', () => {
    const other = secondCopy<typeof ErrorsModule>('core/errors');
    assert.notEqual(other.AuthError, AuthError, 'a second copy really was loaded');
    const theirs = new other.AuthError('credentials', 'wrong password');
    assert.equal(theirs instanceof AuthError, false);
    assert.equal(isAuthError(theirs), true);
    assert.equal(other.isAuthError(new AuthError('expired', 'gone')), true);
    assert.equal(isAuthError(new Error('plain')), false);
    assert.equal(isAuthError({ kind: 'credentials' }), false);
  });

  it('a wording from another copy keeps its own words whole and its outside parts scrubbed', () => {
    const other = secondCopy<typeof WordingModule>('core/wording');
    const line = other.wording`gateway GET ${other.outside('/dr/api?token=hunter22-secret')} → 200`;
    const spliced = wording`[x] ${line}`;
    assert.equal(String(spliced), '[x] gateway GET /dr/api?token=hunter22-secret → 200');
    assert.equal(scrubbed(spliced, ['hunter22-secret', 'gateway']), '[x] gateway GET /dr/api?token=‹redacted› → 200');
  });

  it('an engine error of the extension becomes the gateway copy’s 401 with the whole sentence and way forward', () => {
    const answer = secondCopy<typeof AnswerModule>('engine/gatewayAnswer');
    const err = new AuthError('credentials', wording`the server refused ${outside('admin')}`, { nextStep: wording`look at ${outside('the log')}` });
    const a = answer.errorAnswer(err, conn, [], true);
    assert.equal(a.status, 401);
    const body = JSON.parse(a.body.toString('utf8')) as { error: { kind: string; message: string } };
    assert.equal(body.error.kind, 'credentials');
    assert.equal(body.error.message, describeError(err, conn));
    assert.match(body.error.message, /look at the log\.$/);
  });

  it('scrubError of another copy scrubs a next step that is a wording of this copy', () => {
    const other = secondCopy<typeof ErrorsModule>('core/errors');
    const err = new AuthError('network', 'refused', { nextStep: wording`check ${outside('https://u:hunter22-secret@host')}` });
    const clean = other.scrubError(err, ['hunter22-secret']) as AuthError;
    assert.equal(isAuthError(clean), true);
    assert.doesNotMatch(String(clean.details.nextStep), /hunter22-secret/);
    assert.doesNotMatch(String(scrubError(err, ['hunter22-secret']) as AuthError), /hunter22-secret/);
  });

  it('dist/extension.js requires ./gateway.js and holds none of the gateway server; dist/gateway.js holds it', function () {
    if (!fs.existsSync(path.join(DIST, 'gateway.js'))) this.skip(); // built by `node esbuild.mjs` before the unit tests
    const ext = fs.readFileSync(path.join(DIST, 'extension.js'), 'utf8');
    const chunk = fs.readFileSync(path.join(DIST, 'gateway.js'), 'utf8');
    assert.match(ext, /require\("\.\/gateway\.js"\)/);
    for (const marker of ['x-api-auth-key', 'held-by-api-auth-gateway']) {
      assert.equal(ext.includes(marker), false, `${marker} is not in the extension bundle`);
      assert.equal(chunk.includes(marker), true, `${marker} is in the chunk`);
    }
  });
});

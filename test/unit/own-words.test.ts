// Secrets are scrubbed only from text that came from outside (a server's words, quoted values), never from the
// program's own sentences: a password that is also one of our words ("password", "server", "Connection", …) must
// not be replaced inside our sentence, where the marker's position would tell it.
import * as assert from 'node:assert/strict';
import { AuthError, describeError, scrubError, secretForms } from '../../src/core/errors';
import { REDACTED, scrubSecrets } from '../../src/core/redact';
import { SecretScrubber } from '../../src/core/scrubber';
import { outside, ours, wording } from '../../src/core/wording';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { setDatarheiOptions } from '../mock-vendors/datarhei';
import { cli, config, useCli } from './cli-fixtures';

/** Words of the program's own sentences, as passwords. */
const WORDS = ['password', 'server', 'Connection', 'username', 'check'];
/** What the loopback datarhei Core says to a wrong password when it is set to echo it. */
const echoed = (pw: string): string => `Invalid authorization credentials: invalid username or password: bad password ${pw}`;

describe('secrets are scrubbed from outside text only', () => {
  it('an AuthError keeps its own words whole and scrubs its quoted outside values and the server words', () => {
    for (const word of WORDS) {
      const e = new AuthError('protocol', wording`the answer to the login is not JSON (HTTP 200: "${outside(`no ${word} here`)}")`, {
        serverMessage: `the ${word} was wrong`,
      });
      const out = scrubError(e, secretForms(word)) as AuthError;
      assert.equal(out.message, `the answer to the login is not JSON (HTTP 200: "no ${REDACTED} here")`, word);
      assert.equal(out.details.serverMessage, `the ${REDACTED} was wrong`, word);
      const line = describeError(
        new AuthError('credentials', 'wrong username or password', { serverMessage: `bad ${word}` }),
        { id: 'dr', vendor: 'datarhei' },
        [word],
      );
      assert.equal(line, `Connection "dr": wrong username or password (server said: "bad ${REDACTED}"); check the username and password.`, word);
    }
  });

  it('the extension log scrubber keeps the extension sentences whole and scrubs the server text in them', () => {
    for (const word of WORDS) {
      const s = new SecretScrubber();
      s.remember(word);
      assert.equal(
        s.scrub(ours(`logged in to "dr"; check the username and password on the server`)),
        'logged in to "dr"; check the username and password on the server',
      );
      assert.equal(s.scrub(wording`dr: ${outside(`GET /x?q=${word}`)} → 200 in 3 ms`), `dr: GET /x?q=${REDACTED} → 200 in 3 ms`, word);
      // Unmarked text is taken as outside text as a whole: a server's words logged as they came.
      assert.equal(s.scrub(`server echo: ${word}`), scrubSecrets(`server echo: ${word}`, [word]), word);
      const e = new AuthError('credentials', 'wrong username or password', { serverMessage: echoed(word) });
      assert.equal(
        s.describeError(e, { id: 'dr', label: 'Lab Core', vendor: 'datarhei' }),
        `Connection "Lab Core": wrong username or password (server said: "${scrubSecrets(echoed(word), [word])}"); check the username and password.`,
        word,
      );
      assert.equal(
        s.errorText(new AuthError('config', wording`the path "${outside(`/a/${word}`)}" is not valid`)),
        `the path "/a/${REDACTED}" is not valid`,
        word,
      );
    }
  });

  it('a secret shorter than MIN_SECRET_LENGTH is not scrubbed (it would hit ordinary words)', () => {
    const s = new SecretScrubber();
    s.remember('abc');
    assert.equal(s.scrub('abc def'), 'abc def');
  });
});

describe('api-auth CLI: a wrong password that is one of its own words', function () {
  this.timeout(60_000);
  const mock = useCli();
  afterEach(() => setDatarheiOptions(mock().env, { echoSecret: false }));

  for (const word of WORDS) {
    it(`CLI wrong login with the password "${word}" keeps its sentence whole and scrubs the server's echo of it`, async () => {
      setDatarheiOptions(mock().env, { echoSecret: true });
      const r = await cli(['login', 'dr', '--config', config, '--secret-stdin'], { stdin: word });
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stdout, '');
      const serverWords = scrubSecrets(echoed(word), secretForms(word, ACCOUNTS.datarhei.username));
      assert.ok(serverWords.includes(REDACTED), serverWords);
      assert.equal(r.stderr, `api-auth: Connection "dr": wrong username or password (server said: "${serverWords}"); check the username and password.\n`);
    });
  }
});

// Connection validation: the config file's connections, checked against the vendor adapters.
import * as assert from 'node:assert/strict';
import { connectionBinding, describeProblem, parseConnections, validateConnection } from '../../src/engine/config';
import { AUTH_KINDS, VENDORS } from '../../src/core/types';
import { ADAPTERS } from '../../src/vendors';

describe('connection validation', () => {
  it('accepts a valid entry and reports each bad one with its reason, keeping the good ones', () => {
    const { connections, invalid } = parseConnections(ADAPTERS, [
      { id: 'dr', vendor: 'datarhei', baseUrl: 'http://127.0.0.1:8080', username: 'admin' },
      { id: 'bad vendor', vendor: 'nope', baseUrl: 'x' },
      { id: 'dr', vendor: 'datarhei', baseUrl: 'http://127.0.0.1:8080', username: 'admin' },
      { id: 'c42', vendor: 'code42', baseUrl: 'https://c42:4285', username: 'u', auth: 'apiKey' },
      'text',
    ]);
    assert.deepEqual(
      connections.map((c) => c.id),
      ['dr'],
    );
    assert.equal(invalid.length, 4);
    assert.match(
      describeProblem(invalid[0]),
      /connections\[1\] "bad vendor": "id" may only hold .*"vendor" must be one of cove, commvault, ipcortex, code42, datarhei.*"baseUrl" is not a valid URL/,
    );
    assert.match(describeProblem(invalid[1]), /the id "dr" is used by an earlier connection/);
    assert.match(describeProblem(invalid[2]), /Code42 supports .*not apiKey/);
    assert.match(describeProblem(invalid[3]), /the entry is not an object/);
  });

  it('reports a misspelt field instead of ignoring it, with the field it resembles', () => {
    const { connections, invalid } = parseConnections(ADAPTERS, [
      { id: 'dr', vendor: 'datarhei', baseUrl: 'http://127.0.0.1:8080', username: 'admin', keepalive: true, tls: { reject_unauthorized: false } },
      { id: 'cv', vendor: 'commvault', baseUrl: 'https://cs/webconsole/api', username: 'admin', password: 'do-not-put-me-here' },
    ]);
    assert.equal(connections.length, 0);
    assert.equal(
      describeProblem(invalid[0]),
      'connections[0] "dr": "keepalive" is not a known field (did you mean "keepAlive"?); "tls.reject_unauthorized" is not a known field (did you mean "tls.rejectUnauthorized"?)',
    );
    assert.equal(describeProblem(invalid[1]), 'connections[1] "cv": "password" is not a known field');
    assert.ok(!describeProblem(invalid[1]).includes('do-not-put-me-here'), 'the value is never repeated');
  });

  it('reports a bad common field once, in the common words, for every vendor (the adapters do not check it again)', () => {
    const common: [Record<string, unknown>, string][] = [
      [{ lifetimeSeconds: 0 }, '"lifetimeSeconds" must be a positive number'],
      [{ refreshLeadSeconds: -1 }, '"refreshLeadSeconds" must be zero or more'],
      [{ format: 'yaml' }, '"format" must be "json" or "xml"'],
      [{ apiKeyIn: 'query' }, '"apiKeyIn" must be "body" or "header"'],
      [{ auth: 'bogus' }, '"auth" must be one of '],
    ];
    for (const vendor of VENDORS) {
      const entry = { id: 'x', vendor, baseUrl: 'https://h.example/api', username: 'u', partner: 'P' };
      assert.deepEqual(validateConnection(entry, ADAPTERS), [], vendor);
      for (const [bad, words] of common) {
        const problems = validateConnection({ ...entry, ...bad }, ADAPTERS);
        assert.equal(problems.length, 1, `${vendor} ${JSON.stringify(bad)}: ${problems.join(' | ')}`);
        assert.ok(problems[0].startsWith(words), problems[0]);
      }
      // An auth kind of another vendor: the common words name this vendor's kinds.
      const other = AUTH_KINDS.find((k) => !ADAPTERS[vendor].authKinds.includes(k));
      assert.deepEqual(validateConnection({ ...entry, auth: other }, ADAPTERS), [
        `"auth": ${ADAPTERS[vendor].displayName} supports ${ADAPTERS[vendor].authKinds.join(', ')}, not ${other}`,
      ]);
    }
  });

  it('binds stored secrets to the vendor, server and account, not to the id alone', () => {
    const base = { id: 'prod', vendor: 'datarhei', baseUrl: 'https://core.example.com/', username: 'admin' } as const;
    assert.equal(connectionBinding(base), connectionBinding({ ...base, baseUrl: 'https://core.example.com', label: 'renamed', keepAlive: true }));
    assert.notEqual(connectionBinding(base), connectionBinding({ ...base, baseUrl: 'https://evil.example.com' }));
    assert.notEqual(connectionBinding(base), connectionBinding({ ...base, username: 'other' }));
    assert.notEqual(connectionBinding(base), connectionBinding({ ...base, auth: 'auth0' }));
    assert.notEqual(connectionBinding(base), connectionBinding({ ...base, vendor: 'code42' }));
  });
});

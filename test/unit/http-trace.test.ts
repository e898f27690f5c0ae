// HTTP trace lines: what the client logs for each exchange, bodies cut and secrets hidden.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient, send, TRACE_BODY_MAX, traceLine } from '../../src/core/http';
import { DATARHEI_ACCESS } from './core-fixtures';

describe('HTTP trace lines', () => {
  let server: http.Server;
  let url = '';
  let answer = '';
  const seen: http.IncomingHttpHeaders[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('redacts before it truncates: a JWT or a visa cut at the limit is not logged in part', async () => {
    for (const [name, secretPart, body] of [
      // Each secret starts 40 characters before the cut: truncating first would log its first 39 characters.
      ['jwt', DATARHEI_ACCESS.slice(0, 30), `${'x'.repeat(TRACE_BODY_MAX - 41)} ${DATARHEI_ACCESS} ${'z'.repeat(100)}`],
      [
        'visa',
        'visa-0123456789abcdef0123456',
        `{"filler":"${'y'.repeat(TRACE_BODY_MAX - 61)}","visa":"visa-0123456789abcdef0123456789abcdef","more":"${'z'.repeat(100)}"}`,
      ],
    ] as const) {
      answer = body;
      const lines: string[] = [];
      const res = await send({ http: createHttpClient({}), clock: Date.now, trace: (l) => lines.push(String(l)) }, { method: 'GET', url });
      assert.equal(res.text, body);
      assert.equal(lines.length, 1);
      assert.ok(!lines[0].includes(secretPart), `${name}: ${lines[0].slice(-80)}`);
      assert.match(lines[0], /‹redacted›|‹masked›/, name);
      assert.ok(lines[0].endsWith('…'), `${name}: still cut to the limit`);
    }
  });

  it('traceLine cuts the redacted body to the limit and redacts request headers', () => {
    const line = traceLine(
      { method: 'POST', url: 'http://h/x', headers: { Authorization: 'Bearer abc' }, data: '{"password":"pw"}' },
      200,
      5,
      'z'.repeat(TRACE_BODY_MAX + 100),
    );
    assert.match(line, /^POST http:\/\/h\/x \{"Authorization":"Bearer ‹redacted›"\} \{"password":"‹redacted›"\} → 200 in 5 ms z+…$/);
    assert.equal(line.split(' ms ')[1].length, TRACE_BODY_MAX);
  });

  it('sends no Content-Type when there is no body (axios would add a form type to a POST)', async () => {
    answer = '{}';
    const ctx = { http: createHttpClient({}), clock: Date.now };
    seen.length = 0;
    await send(ctx, { method: 'POST', url, headers: { Authorization: 'Bearer t' } });
    await send(ctx, { method: 'POST', url, headers: { 'Content-Type': 'application/json' }, data: '{}' });
    assert.equal(seen[0]['content-type'], undefined);
    assert.equal(seen[1]['content-type'], 'application/json');
  });
});

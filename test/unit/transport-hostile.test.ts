// The transport against a hostile server: one deadline bounds connect, headers and the whole body; answers are capped
// after decompression; deep JSON never reaches a recursion; a reset mid-body and a redirect are named as such. The
// bombs run in a child process so that its peak memory (maxRSS) can be measured on its own.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { describeError } from '../../src/core/errors';
import { bodyOf, createHttpClient, parseJson, send } from '../../src/core/http';
import { MAX_JSON_DEPTH, jsonDeeperThan } from '../../src/core/jsonDepth';
import type { ConnectionConfig } from '../../src/core/types';
import { SessionManager } from '../../src/engine/manager';
import { ADAPTERS } from '../../src/vendors';
import { DEEP_LEVELS, REDIRECT_TARGET, type HostileServer, startHostileServer } from '../mock-vendors/hostile';
import { rejects } from './helpers';

const HTTP_MODULE = path.resolve(__dirname, '../../src/core/http.js');
/** Peak memory allowed to the child that receives a bomb. */
const MAX_RSS_MB = 200;

interface ChildResult {
  kind?: string;
  message?: string;
  sentence?: string;
  status?: number;
  ms: number;
  maxRssMb: number;
  wallMs: number;
}

/** Sends one GET in a fresh node process and reports the outcome, the time it took and the process's peak memory. */
function inChild(url: string, conn: Partial<ConnectionConfig> = {}): Promise<ChildResult> {
  const script = `
    const { createHttpClient, send } = require(${JSON.stringify(HTTP_MODULE)});
    const { describeError } = require(${JSON.stringify(path.resolve(__dirname, '../../src/core/errors.js'))});
    const conn = ${JSON.stringify({ id: 'hostile', label: 'Hostile', ...conn })};
    (async () => {
      const t0 = Date.now();
      const out = {};
      try {
        const res = await send({ http: createHttpClient(conn, { ownAgents: false }), clock: Date.now }, { method: 'GET', url: ${JSON.stringify(url)} });
        out.status = res.status;
      } catch (e) {
        Object.assign(out, { kind: e.kind, message: e.message, sentence: describeError(e, conn) });
      }
      out.ms = Date.now() - t0;
      out.maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      process.stdout.write(JSON.stringify(out));
    })();`;
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`child failed: ${err.message}\n${stderr}`));
      resolve({ ...(JSON.parse(stdout) as Omit<ChildResult, 'wallMs'>), wallMs: Date.now() - t0 });
    });
  });
}

describe('transport against a hostile server', function () {
  this.timeout(30_000);
  let server: HostileServer;
  before(async () => {
    server = await startHostileServer();
  });
  after(() => server.close());

  const conn = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({ id: 'h', label: 'Hostile', vendor: 'datarhei', baseUrl: server.url, ...over });
  const get = (path: string, c: ConnectionConfig, signal?: AbortSignal) =>
    send({ http: createHttpClient(c), clock: Date.now, signal }, { method: 'GET', url: `${server.url}${path}` });

  it('a body that drips one byte every 200 ms ends at the deadline as a timeout', async () => {
    const c = conn({ timeoutMs: 700 });
    const t0 = Date.now();
    const e = await rejects(get('/drip/x', c), 'timeout');
    const elapsed = Date.now() - t0;
    console.log(`      drip: timeout after ${elapsed} ms (deadline 700 ms)`);
    assert.ok(elapsed >= 650 && elapsed <= 700 + 1000, `elapsed ${elapsed} ms`);
    assert.equal(
      describeError(e, c),
      `Connection "Hostile": no answer from ${server.url} within 0.7 s (timeout); check the server or raise timeoutMs for this connection.`,
    );
  });

  it('a server that stalls after the headers ends at the deadline as a timeout', async () => {
    const c = conn({ timeoutMs: 500 });
    const t0 = Date.now();
    const e = await rejects(get('/stall/x', c), 'timeout');
    const elapsed = Date.now() - t0;
    console.log(`      stall: timeout after ${elapsed} ms (deadline 500 ms)`);
    assert.ok(elapsed <= 500 + 1000, `elapsed ${elapsed} ms`);
    assert.match(describeError(e, c), /no answer from http:\/\/127\.0\.0\.1:\d+ within 0\.5 s \(timeout\)/);
  });

  it('a TLS handshake that never completes (the server accepts and says nothing) ends at the deadline', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(silent.address() as AddressInfo).port}/x`;
    const c = conn({ timeoutMs: 500 });
    const t0 = Date.now();
    try {
      const e = await rejects(send({ http: createHttpClient(c), clock: Date.now }, { method: 'GET', url }), 'timeout');
      assert.match(e.message, /within 0\.5 s \(timeout\)/);
      assert.ok(Date.now() - t0 <= 500 + 1000);
    } finally {
      silent.close();
    }
  });

  it('the user cancelling a dripping request is a cancel, not a timeout', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const t0 = Date.now();
    await rejects(get('/drip/x', conn({ timeoutMs: 5000 }), ac.signal), 'cancelled');
    assert.ok(Date.now() - t0 < 1500);
  });

  it('leaves no timer running: a process that made a request with a 20 s deadline exits at once', async () => {
    const r = await inChild(`${server.url}/deep/x`, { timeoutMs: 20_000 });
    assert.equal(r.status, 200);
    assert.ok(r.wallMs < 5000, `the child took ${r.wallMs} ms to exit`);
  });

  it('a gzip bomb (1 GiB of spaces in ≈ 1 MiB) stops at the size limit, counted after decompression, in bounded memory', async () => {
    const r = await inChild(`${server.url}/gzip/x`, { timeoutMs: 10_000 });
    console.log(`      gzip bomb: ${r.kind} after ${r.ms} ms, child maxRSS ${r.maxRssMb} MB`);
    assert.equal(r.kind, 'protocol', JSON.stringify(r));
    assert.match(r.sentence ?? '', /^Connection "Hostile": the answer from http:\/\/127\.0\.0\.1:\d+ is larger than the 16 MiB limit; raise maxResponseBytes/);
    assert.ok(r.maxRssMb < MAX_RSS_MB, `maxRSS ${r.maxRssMb} MB`);
    assert.ok(r.ms <= 10_000 + 1000);
  });

  it('a 64 MiB plain answer stops at a smaller configured limit, in bounded memory', async () => {
    const r = await inChild(`${server.url}/huge/x`, { timeoutMs: 10_000, maxResponseBytes: 4 * 1024 * 1024 });
    console.log(`      huge body: ${r.kind} after ${r.ms} ms, child maxRSS ${r.maxRssMb} MB`);
    assert.equal(r.kind, 'protocol', JSON.stringify(r));
    assert.match(r.message ?? '', /is larger than the 4 MiB limit/);
    assert.ok(r.maxRssMb < MAX_RSS_MB, `maxRSS ${r.maxRssMb} MB`);
  });

  it('JSON nested 100 000 levels deep: parseJson refuses it, bodyOf keeps the text, nothing overflows the stack', async () => {
    const c = conn({ timeoutMs: 5000 });
    const res = await get('/deep/x', c);
    assert.equal(res.text.length, 2 * DEEP_LEVELS);
    const e = (() => {
      try {
        parseJson(res, 'the login');
      } catch (err) {
        return err;
      }
      return assert.fail('parseJson accepted it');
    })();
    assert.equal(
      describeError(e, c),
      `Connection "Hostile": the answer to the login is JSON nested deeper than ${MAX_JSON_DEPTH} levels; check that the base URL points at the API root.`,
    );
    const body = bodyOf(res);
    assert.equal(typeof body, 'string');
    assert.equal(JSON.stringify(body).length, 2 * DEEP_LEVELS + 2, 'the text is stringified without recursion');
  });

  it('jsonDeeperThan counts only brackets outside strings', () => {
    assert.equal(jsonDeeperThan('[[[]]]', 3), false);
    assert.equal(jsonDeeperThan('[[[[]]]]', 3), true);
    assert.equal(jsonDeeperThan(`{"a":"${'['.repeat(500)}"}`, 3), false);
    assert.equal(jsonDeeperThan(`{"a":"\\"${'{'.repeat(10)}"}`, 3), false, 'an escaped quote does not end the string');
    assert.deepEqual(
      bodyOf({ contentType: 'application/json', text: `${'['.repeat(MAX_JSON_DEPTH)}1${']'.repeat(MAX_JSON_DEPTH)}` }),
      JSON.parse(`${'['.repeat(MAX_JSON_DEPTH)}1${']'.repeat(MAX_JSON_DEPTH)}`),
    );
  });

  it('a reset in the middle of the body is a dropped connection, said so', async () => {
    const c = conn({ timeoutMs: 5000 });
    const e = await rejects(get('/reset/x', c), 'network');
    assert.equal(
      describeError(e, c),
      `Connection "Hostile": the connection to ${server.url} was dropped before the whole answer came; check the base URL and that the server is running.`,
    );
  });

  for (const vendor of ['cove', 'commvault', 'ipcortex', 'code42', 'datarhei'] as const) {
    it(`${vendor}: a redirect on login is not followed; the message names where it pointed (without its query)`, async () => {
      const c = conn({ vendor, baseUrl: `${server.url}/redirect/${vendor}`, username: 'admin', partner: 'Acme', timeoutMs: 5000 });
      const manager = new SessionManager({ adapters: ADAPTERS, getSecret: async () => 'pw' });
      const before = server.seen.length;
      const e = await rejects(manager.login(c), 'protocol');
      const sentence = describeError(e, c);
      assert.match(sentence, /the server redirected .* to https:\/\/other\.example\.test\/moved\/api\/login \(HTTP 302\); redirects are not followed/);
      assert.match(sentence, /set baseUrl to its address on https:\/\/other\.example\.test\.$/);
      assert.ok(!sentence.includes(new URL(REDIRECT_TARGET).search), 'the query stays out');
      assert.equal(server.seen.length - before, 1, 'one request, no second one to the new address');
      manager.dispose();
    });
  }

  it('a renewal shared by several waiters fails for all of them within the deadline when the login drips', async () => {
    const c = conn({ baseUrl: `${server.url}/drip`, username: 'admin', timeoutMs: 600 });
    const manager = new SessionManager({ adapters: ADAPTERS, getSecret: async () => 'pw' });
    const before = server.seen.length;
    const t0 = Date.now();
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => manager.request(c, { kind: 'rest', method: 'GET', path: '/api/v3/process' })));
    const elapsed = Date.now() - t0;
    console.log(`      shared renewal: ${results.length} waiters failed after ${elapsed} ms (deadline 600 ms)`);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.match(describeError((r as PromiseRejectedResult).reason, c), /no answer from .* within 0\.6 s \(timeout\)/);
    }
    assert.ok(elapsed <= 600 + 1000, `elapsed ${elapsed} ms`);
    assert.deepEqual(server.seen.slice(before), ['POST /drip/api/login'], 'one login for all waiters');
    manager.dispose();
  });
});

// curl and Python driving live sessions through the auth gateway: a Cove visa chain followed over 50 separate curl
// runs, a datarhei token that expires in the middle of a Python loop, and 200 requests with 20 in flight that share
// one renewal. The clients only ever hold the gateway's key; the chain and the renewals are the engine's.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HELD_MARKER } from '../../src/engine/gatewayAnswer';
import type { CoveReceived } from '../mock-vendors/cove';
import { datarheiReceived } from '../mock-vendors/datarhei';
import { type ClientRequest, curl, curlRaw, python, requireClients } from './external-clients';
import { useGateway } from './gateway-fixtures';

describe('auth gateway with curl and python3: visa chains and renewals', function () {
  this.timeout(15_000);
  const { clock, mock, start, stat, manager, cove, datarhei } = useGateway();
  before(async () => {
    await requireClients();
  });

  const coveReceived = async () => (await (await fetch(`${mock().url}/cove/__mock/received`)).json()) as CoveReceived[];

  /** A datarhei connection logged in, exposed, and then left to expire (access token 2 s, refresh token 4 s). */
  const expiredDatarhei = async () => {
    const conn = datarhei();
    const m = manager();
    await m.login(conn);
    const { gw } = await start([conn], {}, m);
    clock.advance(2100);
    return { gw, m, conn, process: { method: 'GET', url: `${gw.baseUrl('dr')}api/v3/process`, headers: { 'X-Api-Auth-Key': gw.key } } };
  };

  it('Cove: 50 sequential curl calls keep one unbroken visa chain, each call sent with the visa of the answer before', async function () {
    // 50 curl processes, one per call as a person in a terminal runs them: starting curl (~0.1 s) is the whole cost.
    this.timeout(30_000);
    const conn = cove();
    const { gw, m } = await start([conn]);
    const before = (await coveReceived()).length;
    const answers = [];
    for (let i = 0; i < 50; i++) {
      const body = JSON.stringify({ jsonrpc: '2.0', id: i, method: 'EnumerateColumns', params: {} });
      answers.push(await curl({ method: 'POST', url: gw.baseUrl('cove'), headers: { 'X-Api-Auth-Key': gw.key, 'Content-Type': 'application/json' }, body }));
    }
    answers.forEach((a, i) => {
      assert.equal(a.status, 200, `call ${i}: ${a.body}`);
      const rpc = JSON.parse(a.body) as { id: number; visa: string; result: { result: unknown[] } };
      assert.equal(rpc.id, i);
      assert.equal(rpc.visa, HELD_MARKER, `call ${i}: curl gets the marker, not a visa`);
      assert.ok(rpc.result.result.length > 0);
    });

    // The server's view: one login, then 50 calls, each sent with exactly the visa the previous answer carried.
    const sent = (await coveReceived()).slice(before);
    assert.deepEqual(
      sent.map((r) => r.method),
      ['Login', ...Array<string>(50).fill('EnumerateColumns')],
    );
    for (let k = 1; k < sent.length; k++) assert.equal(sent[k].visa, sent[k - 1].answered, `call ${k} carries the visa answered to the one before`);
    const visas = sent.map((r) => r.answered ?? '');
    assert.equal(new Set(visas).size, 51, 'every answer carried a new visa');

    // The session's view: its history (the newest 50) is the same chain, each entry replacing the one before.
    const s = m.get('cove');
    assert.equal(s?.token, visas[50]);
    const history = s?.history ?? [];
    assert.deepEqual(
      history.map((h) => h.token),
      visas.slice(1),
    );
    assert.ok(
      history.every((h, i) => h.replaced === visas[i]),
      'each visa replaced the one before',
    );
    for (const [i, a] of answers.entries()) assert.ok(!visas.some((v) => a.raw.includes(v)), `call ${i}: a visa reached curl`);
  });

  it('datarhei: a token that expires in the middle of a python loop is refreshed, and all 30 calls answer 200', async () => {
    const conn = datarhei();
    const { gw, m } = await start([conn]);
    // The loop moves the shared test clock itself, between its 15th and 16th call, through a loopback tick URL.
    const ticker = http.createServer((req, res) => {
      clock.advance(Number(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('ms')));
      res.end('moved');
    });
    await new Promise<void>((resolve) => ticker.listen(0, '127.0.0.1', resolve));
    try {
      const call: ClientRequest = { method: 'GET', url: `${gw.baseUrl('dr')}api/v3/process`, headers: { 'X-Api-Auth-Key': gw.key } };
      const tick: ClientRequest = { method: 'POST', url: `http://127.0.0.1:${(ticker.address() as AddressInfo).port}/?ms=2100`, body: '' };
      const [logins, refreshes, seen] = [stat('datarhei.login'), stat('datarhei.refresh'), datarheiReceived(mock().env).length];
      const run = await python([...Array<ClientRequest>(15).fill(call), tick, ...Array<ClientRequest>(15).fill(call)]);
      const answers = run.answers.filter((_, i) => i !== 15);
      assert.deepEqual(
        answers.map((a) => a.status),
        Array<number>(30).fill(200),
      );
      assert.equal(stat('datarhei.login'), logins + 1, 'one login, at the first call');
      assert.equal(stat('datarhei.refresh'), refreshes + 1, 'one refresh, when the token had expired');
      const bearers = datarheiReceived(mock().env)
        .slice(seen)
        .filter((r) => r.path === '/api/v3/process')
        .map((r) => r.headers.authorization);
      assert.equal(bearers.length, 30);
      assert.equal(new Set(bearers.slice(0, 15)).size, 1);
      assert.equal(new Set(bearers.slice(15)).size, 1);
      assert.notEqual(bearers[0], bearers[15], 'the second half went out with the refreshed token');
      assert.equal(bearers[15], `Bearer ${m.get('dr')?.token}`);
    } finally {
      await new Promise((resolve) => ticker.close(resolve));
    }
  });

  it('200 python urllib requests with 20 in flight on an expired datarhei session cause exactly one refresh', async () => {
    const { process } = await expiredDatarhei();
    const [logins, refreshes, calls] = [stat('datarhei.login'), stat('datarhei.refresh'), stat('datarhei.call')];
    const run = await python(Array<ClientRequest>(200).fill(process), { parallel: 20 });
    assert.deepEqual(
      run.answers.map((a) => a.status),
      Array<number>(200).fill(200),
    );
    assert.equal(run.peak, 20, 'python had 20 requests open at once');
    assert.equal(stat('datarhei.refresh'), refreshes + 1);
    assert.equal(stat('datarhei.login'), logins);
    assert.equal(stat('datarhei.call'), calls + 200);
  });

  it('200 curl --parallel requests with 20 in flight on an expired datarhei session cause exactly one refresh', async function () {
    if (!(await requireClients()).curlParallel) {
      console.warn(`      skipped: ${(await requireClients()).curlVersion} has no --parallel (curl 7.66 or newer has); the python variant ran`);
      this.skip();
    }
    const { process } = await expiredDatarhei();
    const [logins, refreshes, calls] = [stat('datarhei.login'), stat('datarhei.refresh'), stat('datarhei.call')];
    // The 200 URLs come in a config read from stdin; the header and --write-out apply to every transfer.
    const config = Array.from({ length: 200 }, () => `url = "${process.url}"\noutput = "/dev/null"\n`).join('');
    const args = ['--parallel', '--parallel-max', '20', '--parallel-immediate', '-H', `X-Api-Auth-Key: ${process.headers['X-Api-Auth-Key']}`];
    const r = await curlRaw([...args, '-w', '%{http_code} %{num_connects}\\n', '-K', '-'], config);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' '));
    assert.deepEqual(
      lines.map(([status]) => status),
      Array<string>(200).fill('200'),
    );
    // Each of curl's 20 connections counts one connect, at its first transfer; the other 180 reuse one.
    assert.equal(
      lines.reduce((n, [, connects]) => n + Number(connects), 0),
      20,
      'curl opened 20 connections',
    );
    assert.equal(stat('datarhei.refresh'), refreshes + 1);
    assert.equal(stat('datarhei.login'), logins);
    assert.equal(stat('datarhei.call'), calls + 200);
  });
});

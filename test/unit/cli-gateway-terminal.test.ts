// `api-auth token | request | rpc` in a terminal of a VS Code window whose gateway runs (API_AUTH_GATEWAY and
// API_AUTH_GATEWAY_KEY set): the window's session through the gateway, no second login, no prompt; outside, or with
// --no-gateway, or when the gateway cannot help, a login here as before.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { ConnectionConfig } from '../../src/core/types';
import { type Gateway, startGateway } from '../../src/engine/gateway';
import { SessionManager } from '../../src/engine/manager';
import { ADAPTERS } from '../../src/vendors';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { cli, config, dir, type RequestOut, useCli } from './cli-fixtures';

const JWT = /^eyJ[\w-]+\.[\w-]+\.[\w-]*$/;

describe('api-auth CLI: token, request and rpc in a terminal of the window', () => {
  const mock = useCli();
  const stat = (n: string) => mock().env.stats.get(n);
  let gw: Gateway | undefined;
  let m: SessionManager;
  let front: http.Server | undefined;
  /** What the recording front server saw: the X-Api-Auth-Client header of each request. */
  const clients: (string | undefined)[] = [];

  const conns = (): ConnectionConfig[] => [
    { id: 'dr', vendor: 'datarhei', baseUrl: mock().baseUrl('datarhei'), username: ACCOUNTS.datarhei.username },
    { id: 'cove', label: 'Acme Cove', vendor: 'cove', baseUrl: mock().baseUrl('cove'), partner: ACCOUNTS.cove.partner, username: ACCOUNTS.cove.username },
  ];
  const stored: Record<string, string> = { dr: ACCOUNTS.datarhei.password, cove: ACCOUNTS.cove.password };

  /** The window: a manager logged in to dr and cove, and its gateway exposing `exposed`. */
  async function window(exposed = ['dr', 'cove']): Promise<Record<string, string>> {
    m = new SessionManager({ adapters: ADAPTERS, getSecret: async (c) => stored[c.id] });
    const list = conns();
    for (const c of list) await m.login(c);
    gw = await startGateway({ manager: m, connections: () => list, exposed });
    return { API_AUTH_GATEWAY: `http://127.0.0.1:${gw.port}`, API_AUTH_GATEWAY_KEY: gw.key };
  }

  /** A loopback server in front of the gateway that records the client header and passes everything on. */
  async function recordingFront(target: Gateway): Promise<string> {
    front = http.createServer((req, res) => {
      clients.push(req.headers['x-api-auth-client'] as string | undefined);
      const up = http.request(
        {
          host: '127.0.0.1',
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: `127.0.0.1:${target.port}` },
          agent: false,
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      req.pipe(up);
    });
    await new Promise<void>((resolve) => front?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  }

  afterEach(async () => {
    await gw?.stop();
    m?.dispose();
    await new Promise((resolve) => (front ? front.close(resolve) : resolve(undefined)));
    gw = undefined;
    front = undefined;
    clients.length = 0;
  });

  it('token outside a VS Code terminal logs in and prints only the token and a newline', async () => {
    const logins = stat('datarhei.login');
    const r = await cli(['token', 'dr', '--config', config, '--secret-stdin'], { stdin: `${ACCOUNTS.datarhei.password}\n` });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^eyJ\S+\n$/);
    assert.match(r.stdout.trim(), JWT);
    assert.equal(r.stderr, '');
    assert.equal(stat('datarhei.login'), logins + 1);
    const h = await cli(['token', 'dr', '--header', '--config', config, '--secret-stdin'], { stdin: `${ACCOUNTS.datarhei.password}\n` });
    assert.match(h.stdout, /^Authorization: Bearer eyJ\S+\n$/);
  });

  it("token with API_AUTH_GATEWAY set prints the window session's token without stdin, config file or login", async () => {
    const env = await window();
    const logins = stat('datarhei.login');
    const r = await cli(['token', 'dr', '--config', path.join(dir, 'no-such-file.json')], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${m.get('dr')?.token}\n`);
    assert.equal(r.stderr, '');
    assert.equal(stat('datarhei.login'), logins, 'no second login');
    const h = await cli(['token', 'cove', '--header'], { env });
    assert.equal(h.stdout, `visa: ${m.get('cove')?.token}\n`);
  });

  it('request through the window gateway sends X-Api-Auth-Client: terminal and does not log in a second time', async () => {
    const env = await window();
    const root = await recordingFront(gw as Gateway);
    const [logins, calls] = [stat('datarhei.login'), stat('datarhei.call')];
    const r = await cli(['request', 'dr', 'GET', '/api/v3/process', '--json'], { env: { ...env, API_AUTH_GATEWAY: root } });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Omit<RequestOut, 'session'> & { session: null };
    assert.equal(out.status, 200);
    assert.ok(Array.isArray(out.body));
    assert.equal(out.session, null, 'the session stays in the window');
    assert.equal(stat('datarhei.login'), logins);
    assert.equal(stat('datarhei.call'), calls + 1);
    assert.ok(clients.length >= 2, 'the list and the call went through the front server');
    assert.deepEqual([...new Set(clients)], ['terminal']);
    const plain = await cli(['request', 'dr', 'GET', '/api/v3/process'], { env });
    assert.match(plain.stdout, /^HTTP 200 OK \(\d+ ms\)\n\[/);
    assert.ok(!plain.stdout.includes(m.get('dr')?.token ?? '-'), 'no token in the answer');
  });

  it('rpc through the window gateway keeps the Cove visa chain in the window and prints the answer as usual', async () => {
    const env = await window();
    const before = m.get('cove')?.token;
    const logins = stat('cove.Login');
    const r = await cli(['rpc', 'cove', 'EnumeratePartners', '--params', '{"parentPartnerId":0}'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^HTTP 200 OK \(\d+ ms\)\n\{/);
    assert.match(r.stdout, /"visa": "‹held by api-auth gateway›"/);
    assert.equal(stat('cove.Login'), logins);
    assert.notEqual(m.get('cove')?.token, before, 'the window took the new visa');
  });

  it('a connection the gateway does not expose: one note on stderr, then a login here as outside', async () => {
    const env = await window(['cove']);
    const logins = stat('datarhei.login');
    const r = await cli(['token', 'dr', '--config', config, '--secret-stdin'], { env, stdin: `${ACCOUNTS.datarhei.password}\n` });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.trim(), JWT);
    assert.notEqual(r.stdout.trim(), m.get('dr')?.token);
    assert.match(r.stderr, /^api-auth: note: the terminal's gateway does not expose "dr"; logging in directly/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.equal(stat('datarhei.login'), logins + 1);
  });

  it('an unreachable gateway falls back with one note, and --no-gateway logs in here without any note', async () => {
    const env = await window();
    // Port 9 (discard): nothing listens there on the test machine (the CLI suites' dr-down connection uses it too).
    const down = await cli(['token', 'dr', '--config', config, '--secret-stdin'], {
      env: { ...env, API_AUTH_GATEWAY: 'http://127.0.0.1:9' },
      stdin: `${ACCOUNTS.datarhei.password}\n`,
    });
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, /^api-auth: note: the terminal's gateway \(http:\/\/127\.0\.0\.1:9\) did not answer; logging in directly/);
    const logins = stat('datarhei.login');
    const forced = await cli(['token', 'dr', '--no-gateway', '--config', config, '--secret-stdin'], { env, stdin: `${ACCOUNTS.datarhei.password}\n` });
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(forced.stderr, '');
    assert.notEqual(forced.stdout.trim(), m.get('dr')?.token);
    assert.equal(stat('datarhei.login'), logins + 1);
  });

  it('a gateway that refuses the key: exit 3 and one sentence saying the key is stale and to open a new terminal', async () => {
    const env = await window();
    const r = await cli(['request', 'dr', 'GET', '/api/v3/process'], { env: { ...env, API_AUTH_GATEWAY_KEY: 'stale-key' } });
    assert.equal(r.code, 3);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `api-auth: Connection "dr": the terminal's gateway key is stale (the gateway was restarted); open a new terminal, or pass --no-gateway to log in here.\n`,
    );
  });

  it('a gateway whose session needs a login: exit 3 with the gateway sentence and the way to log in here, no prompt', async () => {
    const env = await window();
    await m.logout(conns()[0]);
    delete stored.dr;
    try {
      const r = await cli(['token', 'dr'], { env });
      assert.equal(r.code, 3);
      assert.equal(r.stdout, '');
      assert.equal(
        r.stderr,
        'api-auth: Connection "dr": the window has no session for it and no stored secret to log in with; log in to it in VS Code, or pass --no-gateway to log in here.\n',
      );
    } finally {
      stored.dr = ACCOUNTS.datarhei.password;
    }
  });
});

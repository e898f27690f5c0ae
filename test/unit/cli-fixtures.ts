// Shared by the CLI tests: the built dist/cli.js run in a child process, a config file of connections to the
// loopback vendor servers, and checks that no secret leaks.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConnectionConfig } from '../../src/core/types';
import { ACCOUNTS } from '../mock-vendors/accounts';
import { useMockVendors } from './helpers';
import type { MockVendors } from '../mock-vendors/server';

export const CLI = path.resolve(__dirname, '../../../dist/cli.js');
export const DATARHEI_ACCESS =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleGkiOjYwMCwiZXhwIjoxNzk1NDU4MDI4LCJpYXQiOjE3OTU0NTc0MjgsImlzcyI6ImRhdGFyaGVpLWNvcmUiLCJqdGkiOiJmMGI3NGI4YS01M2FmLTQ0ZGMtYjE5Yi1iMGM1MzdkMjRhNjEiLCJzdWIiOiJhZG1pbiIsInVzZWZvciI6ImFjY2VzcyJ9.oRS4Jy7N3_J8k5wUC_eGJeufGLukiUPu-bGnkEUW3LI';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
/** Every form a secret could leak in: as typed, base64 (Commvault's login), Basic user:password (Code42). */
export const leakForms = (secret: string, username?: string): string[] => [secret, b64(secret), ...(username ? [b64(`${username}:${secret}`)] : [])];

export function assertNoLeak(r: { stdout: string; stderr: string }, forms: string[]): void {
  for (const f of forms) {
    assert.ok(!r.stdout.includes(f), `stdout carries the secret (${f.slice(0, 4)}…)`);
    assert.ok(!r.stderr.includes(f), `stderr carries the secret (${f.slice(0, 4)}…)`);
  }
}

export function cli(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...opts.env }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(opts.stdin ?? '');
  });
}

// Set by the before hook of useCli(), for the suite that runs it.
export let dir: string;
export let config: string;
/** Where the invalid entry sits in with-broken.json (after all the valid ones). */
export let brokenIndex: number;

/** The mock vendors with Auth0 on, and a config file in a temporary folder listing a connection to each (plus one broken). */
export function useCli(): () => MockVendors {
  const mock = useMockVendors({ datarheiAuth0: true });
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-auth-cli-'));
    config = path.join(dir, 'api-auth.json');
    const m = mock();
    const connections: ConnectionConfig[] = [
      { id: 'cove', label: 'Acme Cove', vendor: 'cove', baseUrl: m.baseUrl('cove'), partner: ACCOUNTS.cove.partner, username: ACCOUNTS.cove.username },
      { id: 'cv-json', vendor: 'commvault', baseUrl: m.baseUrl('commvault'), username: ACCOUNTS.commvault.username },
      { id: 'cv-xml', vendor: 'commvault', baseUrl: m.baseUrl('commvault'), username: ACCOUNTS.commvault.username, format: 'xml' },
      { id: 'ipc', vendor: 'ipcortex', baseUrl: m.baseUrl('ipcortex'), username: ACCOUNTS.ipcortex.username },
      { id: 'ipc-key-header', vendor: 'ipcortex', baseUrl: m.baseUrl('ipcortex'), auth: 'apiKey', apiKeyIn: 'header' },
      { id: 'ipc-key-body', vendor: 'ipcortex', baseUrl: m.baseUrl('ipcortex'), auth: 'apiKey', apiKeyIn: 'body' },
      { id: 'c42-basic', vendor: 'code42', baseUrl: m.baseUrl('code42'), username: ACCOUNTS.code42.username, auth: 'basic' },
      { id: 'c42-token', vendor: 'code42', baseUrl: m.baseUrl('code42'), username: ACCOUNTS.code42.username },
      { id: 'c42-mfa', vendor: 'code42', baseUrl: m.baseUrl('code42'), username: ACCOUNTS.code42.mfa.username },
      { id: 'dr', vendor: 'datarhei', baseUrl: m.baseUrl('datarhei'), username: ACCOUNTS.datarhei.username },
      { id: 'dr-auth0', vendor: 'datarhei', baseUrl: m.baseUrl('datarhei'), auth: 'auth0' },
      { id: 'dr-tls', vendor: 'datarhei', baseUrl: m.baseUrl('datarhei', true), username: 'admin' },
      { id: 'dr-down', vendor: 'datarhei', baseUrl: 'http://127.0.0.1:9', username: 'admin' },
      { id: 'cove-viewer', vendor: 'cove', baseUrl: m.baseUrl('cove'), partner: ACCOUNTS.cove.partner, username: ACCOUNTS.cove.viewer.username },
    ];
    brokenIndex = connections.length;
    fs.writeFileSync(config, JSON.stringify({ connections }));
    fs.writeFileSync(path.join(dir, 'with-broken.json'), JSON.stringify({ connections: [...connections, { id: 'broken', vendor: 'nope' }] }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return mock;
}

export const login = (id: string, secret: string, extra: string[] = []) =>
  cli(['login', id, '--json', '--config', config, '--secret-stdin', ...extra], { stdin: `${secret}\n` });

export const USERNAMES: Record<string, string | undefined> = {
  cove: ACCOUNTS.cove.username,
  'cv-json': ACCOUNTS.commvault.username,
  'cv-xml': ACCOUNTS.commvault.username,
  ipc: ACCOUNTS.ipcortex.username,
  'c42-basic': ACCOUNTS.code42.username,
  'c42-token': ACCOUNTS.code42.username,
  dr: ACCOUNTS.datarhei.username,
};

export const request = (id: string, secret: string, args: string[]) =>
  cli(['request', id, ...args, '--json', '--config', config, '--secret-stdin'], { stdin: `${secret}\n` });
export interface RequestOut {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  session: { connection: string; token: string; attach: { kind: string; value: string }; history: { token: string }[] };
}

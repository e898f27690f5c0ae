// The cases of the curl run: for every vendor and credential kind, its sample requests and the proof that the
// mock gave its authenticated answer.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { ConnectionConfig, ExploreRequest } from '../../src/core/types';
import { ACCOUNTS } from '../mock-vendors/accounts';
import type { MockVendor } from '../mock-vendors/server';
import { ADAPTERS } from '../../src/vendors';
import { CERT, json } from './curl-relay';

export type Rec = Record<string, unknown>;
export const data = (b: string): Rec => json(b).data as Rec;

export interface Case {
  title: string;
  vendor: MockVendor;
  secure?: 'insecure' | 'caFile';
  conn: Omit<ConnectionConfig, 'baseUrl' | 'vendor'>;
  secret: string;
  /** The requests to turn into curl lines (the vendor's samples, plus extras for bodies and headers). */
  requests: ExploreRequest[];
  /** Asserts that an answer is the mock's authenticated one (an unauthenticated call gets 401 or an error body). */
  proves(req: ExploreRequest, body: string): void;
}

export function samples(vendor: MockVendor): ExploreRequest[] {
  return [...ADAPTERS[vendor].sampleRequests];
}

/** Cove: every answer is HTTP 200, so the proof is a result (no JSON-RPC error) with a fresh visa beside it. */
export function coveProves(req: ExploreRequest, body: string): void {
  const b = json(body);
  assert.equal(b.error, undefined, `JSON-RPC error: ${body}`);
  assert.equal(typeof b.visa, 'string', 'a successful Cove answer carries a new visa');
  const result = (b.result as Rec).result;
  const method = req.kind === 'rpc' ? req.method : '';
  if (method === 'EnumeratePartners') {
    assert.deepEqual(
      (result as Rec[]).map((p) => p.Name),
      ['Contoso Ltd', 'Fabrikam BV'],
    );
  } else if (method === 'GetPartnerInfo') {
    assert.equal((result as Rec).Name, ACCOUNTS.cove.partner);
  } else if (method === 'EnumerateAccountStatistics') {
    assert.equal((result as Rec[]).length, 3);
  } else if (method === 'EnumerateUsers') {
    assert.ok((result as Rec[]).some((u) => u.EmailAddress === ACCOUNTS.cove.username));
  } else if (method === 'EnumerateColumns') {
    assert.ok((result as Rec[]).some((c) => c.Id === 'I1'));
  } else {
    assert.fail(`no proof for ${method}`);
  }
}

export function commvaultJsonProves(req: ExploreRequest, body: string): void {
  const p = req.kind === 'rest' ? req.path : '';
  const b = json(body);
  if (p === '/WhoAmI') assert.equal((b.user as Rec).userName, ACCOUNTS.commvault.username);
  else if (p === '/Client') assert.equal((b.clientProperties as unknown[]).length, 3);
  else if (p === '/CommServ') assert.equal((b.commcell as Rec).commCellName, 'testcs');
  else assert.fail(`no proof for ${p}`);
}

export function commvaultXmlProves(req: ExploreRequest, body: string): void {
  const p = req.kind === 'rest' ? req.path : '';
  assert.match(body, /^<\?xml /, 'an XML answer');
  if (p === '/WhoAmI') assert.match(body, new RegExp(`<App_WhoAmIResp[^>]*>\\s*<user [^>]*userName="${ACCOUNTS.commvault.username}"`));
  else if (p === '/Client') assert.match(body, /<App_GetClientPropertiesResponse>.*clientName="fileserver01"/s);
  else if (p === '/CommServ') assert.match(body, /<App_GetCommServResponse [^>]*csVersionInfo="11\.36\.24"/);
  else assert.fail(`no proof for ${p}`);
}

/** IPCortex answers "not authenticated" with HTTP 200 too: the proof is `result: success` and the list. */
export function ipcortexProves(req: ExploreRequest, body: string): void {
  const p = req.kind === 'rest' ? req.path : '';
  const b = json(body);
  assert.equal(b.result, 'success', body);
  const values = b.values as Rec[];
  if (p === '/rest/user/list') assert.ok(values.some((u) => u.login === ACCOUNTS.ipcortex.username));
  else if (p === '/rest/line/list') assert.ok(values.some((l) => l.id === 'SIP/201'));
  else assert.fail(`no proof for ${p}`);
}

export function code42Proves(req: ExploreRequest, body: string): void {
  const p = req.kind === 'rest' ? req.path : '';
  if (p === '/api/User/my') assert.equal(data(body).username, ACCOUNTS.code42.username);
  else if (p === '/api/v1/Org/my') assert.equal(data(body).orgName, 'Acme Backup');
  else if (p === '/api/v1/Computer') assert.equal((data(body).computers as unknown[]).length, 2);
  else assert.fail(`no proof for ${p}`);
}

export function datarheiProves(req: ExploreRequest, body: string): void {
  const p = req.kind === 'rest' ? req.path : '';
  if (p === '/api') {
    // Without a valid token /api answers 200 too, but only the short form (no name, no id).
    const b = json(body);
    assert.equal(typeof b.name, 'string', 'the full "about" (name) needs a valid token');
    assert.equal(typeof b.id, 'string');
  } else if (p === '/api/v3/process') {
    assert.deepEqual(JSON.parse(body), []);
  } else if (p === '/api/v3/config') {
    assert.equal((json(body).config as Rec).api !== undefined, true);
  } else if (p === '/api/v3/skills') {
    assert.equal(typeof (json(body).ffmpeg as Rec).version, 'string');
  } else if (p === '/api/v3/fs') {
    assert.deepEqual(
      (JSON.parse(body) as Rec[]).map((f) => f.name),
      ['disk', 'mem'],
    );
  }
  // /ping needs no auth at all (it answers `pong` to anyone): only the answer is checked.
  else if (p === '/ping') {
    assert.equal(body, 'pong');
  } else {
    assert.fail(`no proof for ${p}`);
  }
}

// Cove's samples carry `{partner}` / `{partnerId}`, filled in per session below (fillSample), as Send Request does.
export const coveRequests = samples('cove');

// An extra Commvault call with a body: the mock ignores WhoAmI's body but records it, and the relay compares the
// bytes with the adapter's (JSON for a JSON connection, XML for an XML one).
export const cvWithBody: ExploreRequest = {
  kind: 'rest',
  method: 'POST',
  path: '/WhoAmI',
  body: { App_WhoAmIReq: { userName: ACCOUNTS.commvault.username, mode: 4 } },
};

// An IPCortex body with a quote (shell quoting) and an auth object of its own (the key is merged into it).
export const ipcQuoted: ExploreRequest = { kind: 'rest', method: 'POST', path: '/rest/user/list', body: { filter: "O'Brien", auth: { scope: 'all' } } };

export const CASES: Case[] = [
  {
    title: 'Cove password (visa in the JSON-RPC body)',
    vendor: 'cove',
    conn: { id: 'cove', partner: ACCOUNTS.cove.partner, username: ACCOUNTS.cove.username },
    secret: ACCOUNTS.cove.password,
    requests: coveRequests,
    proves: coveProves,
  },
  {
    title: 'Commvault JSON (Authtoken header)',
    vendor: 'commvault',
    conn: { id: 'cv-json', username: ACCOUNTS.commvault.username },
    secret: ACCOUNTS.commvault.password,
    requests: [...samples('commvault'), cvWithBody],
    proves: (req, body) => commvaultJsonProves(req, body),
  },
  {
    title: 'Commvault XML over self-signed HTTPS (-k)',
    vendor: 'commvault',
    secure: 'insecure',
    conn: { id: 'cv-xml', username: ACCOUNTS.commvault.username, format: 'xml', tls: { rejectUnauthorized: false } },
    secret: ACCOUNTS.commvault.password,
    requests: [...samples('commvault'), cvWithBody],
    proves: (req, body) => commvaultXmlProves(req, body),
  },
  {
    title: 'IPCortex password (Red60urne cookie)',
    vendor: 'ipcortex',
    conn: { id: 'ipc', username: ACCOUNTS.ipcortex.username },
    secret: ACCOUNTS.ipcortex.password,
    requests: [...samples('ipcortex'), ipcQuoted],
    proves: ipcortexProves,
  },
  {
    title: 'IPCortex API key in the header (Authorization: token auth=…)',
    vendor: 'ipcortex',
    conn: { id: 'ipc-key-header', auth: 'apiKey', apiKeyIn: 'header' },
    secret: ACCOUNTS.ipcortex.apiKey,
    requests: [...samples('ipcortex'), ipcQuoted],
    proves: ipcortexProves,
  },
  {
    title: 'IPCortex API key in the body (auth.key)',
    vendor: 'ipcortex',
    conn: { id: 'ipc-key-body', auth: 'apiKey', apiKeyIn: 'body' },
    secret: ACCOUNTS.ipcortex.apiKey,
    requests: [...samples('ipcortex'), ipcQuoted],
    proves: ipcortexProves,
  },
  {
    title: 'Code42 token (Bearer v3 JWT)',
    vendor: 'code42',
    conn: { id: 'c42-token', username: ACCOUNTS.code42.username, auth: 'token' },
    secret: ACCOUNTS.code42.password,
    requests: samples('code42'),
    proves: code42Proves,
  },
  {
    title: 'Code42 Basic',
    vendor: 'code42',
    conn: { id: 'c42-basic', username: ACCOUNTS.code42.username, auth: 'basic' },
    secret: ACCOUNTS.code42.password,
    requests: samples('code42'),
    proves: code42Proves,
  },
  {
    title: 'datarhei password (Bearer access JWT) over HTTPS trusted with tls.caFile (--cacert)',
    vendor: 'datarhei',
    secure: 'caFile',
    conn: { id: 'dr', username: ACCOUNTS.datarhei.username, tls: { caFile: CERT } },
    secret: ACCOUNTS.datarhei.password,
    requests: [...samples('datarhei'), { kind: 'rest', method: 'GET', path: '/api/v3/process', headers: { 'X-Request-Id': 'curl-test-1' } }],
    proves: datarheiProves,
  },
];

/** Where curl is, or '' when it is not installed. */
export function curlPath(): string {
  try {
    return execFileSync('/bin/sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

export function describeReq(r: ExploreRequest): string {
  if (r.kind === 'rpc') return `rpc ${r.method}${r.method === 'GetPartnerInfo' ? ' (the connection’s partner)' : ''}`;
  const body = r.body === undefined ? '' : ` ${JSON.stringify(r.body)}`;
  const headers = r.headers ? ` + ${Object.keys(r.headers).join(', ')}` : '';
  return `${r.method} ${r.path}${body}${headers}`;
}

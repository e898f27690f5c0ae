// The Token Details view model (buildTokenView) on the real datarhei tokens, and the webview message validation.
import * as assert from 'node:assert/strict';
import { createSession, replaceToken } from '../../src/core/session';
import { AUTH_KIND_TEXT, type ConnectionConfig, type Session } from '../../src/core/types';
import { buildTokenView, lifetimeOf, type TokenViewInput } from '../../src/engine/view';
import { ADAPTERS } from '../../src/vendors';
import { parseFromPage, parseToPage } from '../../src/shared/protocol';

// Captured from a real datarhei Core v16.16 server: its answer to POST /api/login with the right password.
const ACCESS =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleGkiOjYwMCwiZXhwIjoxNzk1NDU4MDI4LCJpYXQiOjE3OTU0NTc0MjgsImlzcyI6ImRhdGFyaGVpLWNvcmUiLCJqdGkiOiJmMGI3NGI4YS01M2FmLTQ0ZGMtYjE5Yi1iMGM1MzdkMjRhNjEiLCJzdWIiOiJhZG1pbiIsInVzZWZvciI6ImFjY2VzcyJ9.oRS4Jy7N3_J8k5wUC_eGJeufGLukiUPu-bGnkEUW3LI';
const REFRESH =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleGkiOjg2NDAwLCJleHAiOjE3OTU1NDM4MjgsImlhdCI6MTc5NTQ1NzQyOCwiaXNzIjoiZGF0YXJoZWktY29yZSIsImp0aSI6Ijk1Y2U0MTc2LWNhYmYtNDRmOC1hZDcwLWU3ZmRjNzg3YjNhZSIsInN1YiI6ImFkbWluIiwidXNlZm9yIjoicmVmcmVzaCJ9.HXSiRgoKFj5wreleal9Up6KBj5BqxwTTenLpCgD94Uo';
// From the same server, five seconds later: the access token its refresh (GET /api/login/refresh) handed out.
const ACCESS2 =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleGkiOjYwMCwiZXhwIjoxNzk1NDU4MDMzLCJpYXQiOjE3OTU0NTc0MzMsImlzcyI6ImRhdGFyaGVpLWNvcmUiLCJqdGkiOiI3YmIxMWFjYy1jMjU2LTRmZjEtYmU3Ny1hNTg3YTBkMWMwYzEiLCJzdWIiOiJhZG1pbiIsInVzZWZvciI6ImFjY2VzcyJ9.Mg0gOWOCPvzbV1EdMHUxMwvJ76b1zIORpXGiKVEqW9U';
const ISSUED = 1795457428_000;
const EXP = 1795458028_000;

const conn: ConnectionConfig = { id: 'dr', label: 'datarhei lab', vendor: 'datarhei', baseUrl: 'http://127.0.0.1:18080', username: 'admin' };

function loggedIn(now = ISSUED): Session {
  return createSession({
    connectionId: 'dr',
    vendor: 'datarhei',
    authKind: 'password',
    token: ACCESS,
    attach: { kind: 'header', name: 'Authorization', value: `Bearer ${ACCESS}` },
    now,
    method: 'POST /api/login',
    refreshToken: REFRESH,
  });
}

function refreshed(): Session {
  return replaceToken(loggedIn(), { token: ACCESS2, now: ISSUED + 5_000, method: 'GET /api/login/refresh', event: 'refresh' });
}

/** The middle of a token: what a mask must never show. */
function middleOf(token: string): string {
  return token.slice(12, -12);
}

/** The view as the extension builds it: with the vendor's display name from its adapter. */
function tokenView(p: Omit<TokenViewInput, 'vendorName'>) {
  return buildTokenView({ ...p, vendorName: ADAPTERS[p.conn.vendor].displayName });
}

describe('Token Details view (buildTokenView)', () => {
  it('describes the connection and masks the token without its middle', () => {
    const view = tokenView({ conn, session: loggedIn(), state: 'loggedIn', error: null, now: ISSUED + 1000 });
    assert.equal(view.connectionId, 'dr');
    assert.equal(view.label, 'datarhei lab');
    assert.equal(view.vendor, 'datarhei');
    assert.match(view.vendorName, /datarhei/i);
    assert.equal(view.state, 'loggedIn');
    assert.equal(view.user, 'admin');
    assert.ok(view.token);
    assert.equal(view.token.length, ACCESS.length);
    assert.equal(view.token.masked, `${ACCESS.slice(0, 6)}…${ACCESS.slice(-6)}`);
    assert.ok(!view.token.masked.includes(middleOf(ACCESS).slice(0, 10)));
    assert.equal(view.token.attachDescription, 'header Authorization');
  });

  it('takes the expiry from exp, says why, and uses exp − iat as the lifetime', () => {
    const view = tokenView({ conn, session: loggedIn(), state: 'loggedIn', error: null, now: ISSUED });
    assert.ok(view.token);
    assert.equal(view.token.expiresAt, EXP);
    assert.equal(view.token.expiresBecause, 'exp-claim');
    assert.match(view.token.expiresBecauseText, /exp claim/);
    assert.equal(view.token.lifetimeMs, 600_000);
    assert.equal(view.token.issuedAt, ISSUED);
  });

  it('gives time claims as ms and datarhei exi as a fixed lifetime', () => {
    const view = tokenView({ conn, session: loggedIn(), state: 'loggedIn', error: null, now: ISSUED });
    const claims = view.token?.jwt?.claims ?? [];
    assert.deepEqual(
      claims.map((c) => c.name),
      ['exi', 'exp', 'iat', 'iss', 'jti', 'sub', 'usefor'],
    );
    const exi = claims.find((c) => c.name === 'exi');
    assert.ok(exi);
    assert.equal(exi.raw, '600');
    assert.equal(exi.lifetimeMs, 600_000);
    assert.equal(exi.timeMs, null, 'exi is a duration, not a time');
    assert.match(exi.meaning, /fixed at issue; it does not count down/);
    const exp = claims.find((c) => c.name === 'exp');
    assert.equal(exp?.timeMs, EXP);
    assert.equal(exp?.lifetimeMs, null);
    assert.match(exp?.meaning ?? '', /Expires/);
    assert.equal(claims.find((c) => c.name === 'iat')?.timeMs, ISSUED);
    assert.equal(claims.find((c) => c.name === 'sub')?.raw, '"admin"');
    assert.equal(claims.find((c) => c.name === 'sub')?.timeMs, null);
    assert.deepEqual(
      view.token?.jwt?.header.map((h) => [h.name, h.raw]),
      [
        ['alg', '"HS256"'],
        ['typ', '"JWT"'],
      ],
    );
  });

  it('shows the refresh token masked, with its own expiry and exi of one day', () => {
    const view = tokenView({ conn, session: loggedIn(), state: 'loggedIn', error: null, now: ISSUED });
    assert.ok(view.refresh);
    assert.equal(view.refresh.masked, `${REFRESH.slice(0, 6)}…${REFRESH.slice(-6)}`);
    assert.equal(view.refresh.expiresAt, 1795543828_000);
    assert.equal(view.refresh.jwt?.claims.find((c) => c.name === 'exi')?.lifetimeMs, 86_400_000);
    assert.equal(view.refresh.jwt?.claims.find((c) => c.name === 'usefor')?.raw, '"refresh"');
  });

  it('lists the history newest first, masked, with the token each one replaced', () => {
    const view = tokenView({ conn, session: refreshed(), state: 'loggedIn', error: null, now: ISSUED + 6_000 });
    assert.deepEqual(
      view.history.map((h) => [h.event, h.method, h.at]),
      [
        ['refresh', 'GET /api/login/refresh', ISSUED + 5_000],
        ['login', 'POST /api/login', ISSUED],
      ],
    );
    assert.equal(view.history[0].tokenMasked, `${ACCESS2.slice(0, 6)}…${ACCESS2.slice(-6)}`);
    assert.equal(view.history[0].replacedMasked, `${ACCESS.slice(0, 6)}…${ACCESS.slice(-6)}`);
    assert.equal(view.history[0].expiresAt, 1795458033_000);
    assert.equal(view.history[1].replacedMasked, null);
  });

  it('never carries a full token or refresh token', () => {
    for (const session of [loggedIn(), refreshed()]) {
      const json = JSON.stringify(tokenView({ conn, session, state: 'loggedIn', error: null, now: ISSUED }));
      for (const secret of [ACCESS, REFRESH, ACCESS2]) {
        assert.ok(!json.includes(secret), 'a full token is in the view');
        assert.ok(!json.includes(middleOf(secret)), 'the middle of a token is in the view');
        // Not even the signature or the payload segment on its own.
        for (const part of secret.split('.').slice(1)) assert.ok(!json.includes(part));
      }
    }
  });

  it('scrubs a secret echoed back in an error text', () => {
    const view = tokenView({ conn, session: loggedIn(), state: 'error', error: `server refused ${REFRESH}`, now: ISSUED });
    assert.equal(view.state, 'error');
    assert.ok(view.error && !view.error.includes(REFRESH));
    assert.match(view.error ?? '', /server refused ‹redacted›/);
  });

  it('marks a logged-in session past its expiry as expired', () => {
    const view = tokenView({ conn, session: loggedIn(), state: 'loggedIn', error: null, now: EXP + 1 });
    assert.equal(view.state, 'expired');
  });

  it('shows a logged-out connection with no token, refresh or history', () => {
    const view = tokenView({ conn: { ...conn, label: undefined }, session: undefined, state: 'loggedOut', error: null, now: ISSUED });
    assert.equal(view.label, 'dr');
    assert.equal(view.authKind, 'password');
    assert.equal(view.authText, AUTH_KIND_TEXT.password, 'the one wording of auth kinds (Add Connection says the same)');
    assert.equal(view.token, null);
    assert.equal(view.refresh, null);
    assert.deepEqual(view.history, []);
    assert.equal(view.user, 'admin');
  });

  it('uses the sliding window as the lifetime of a sliding session and says where a visa goes', () => {
    const session = createSession({
      connectionId: 'cove',
      vendor: 'cove',
      authKind: 'password',
      token: 'visa-0123456789abcdef0123456789',
      attach: { kind: 'jsonrpc', name: 'visa', value: 'visa-0123456789abcdef0123456789' },
      now: ISSUED,
      method: 'Login',
      slidingWindowMs: 900_000,
    });
    assert.equal(lifetimeOf(session), 900_000);
    const view = tokenView({
      conn: { id: 'cove', vendor: 'cove', baseUrl: 'https://api.example/jsonapi' },
      session,
      state: 'loggedIn',
      error: null,
      now: ISSUED,
    });
    assert.equal(view.token?.attachDescription, 'JSON-RPC field visa');
    assert.equal(view.token?.expiresBecause, 'sliding-idle');
    assert.equal(view.token?.lifetimeMs, 900_000);
    assert.equal(view.token?.jwt, null);
    assert.ok(!JSON.stringify(view).includes('0123456789abcdef'));
  });

  it('has no lifetime when credentials go with every request', () => {
    const session = createSession({
      connectionId: 'c42',
      vendor: 'code42',
      authKind: 'basic',
      token: 'Basic YWRtaW46czNjcmV0LXBhc3M=',
      attach: { kind: 'header', name: 'Authorization', value: 'Basic YWRtaW46czNjcmV0LXBhc3M=' },
      now: ISSUED,
      method: 'GET /api/v1/User/my',
      perRequest: true,
    });
    assert.equal(lifetimeOf(session), null);
    assert.equal(session.expiresAt, null);
  });
});

describe('webview message validation', () => {
  it('accepts the known page messages and ignores everything else', () => {
    assert.deepEqual(parseFromPage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromPage({ type: 'copy', what: 'curl', extra: 1 }), { type: 'copy', what: 'curl' });
    assert.equal(parseFromPage({ type: 'copy', what: 'password' }), undefined);
    assert.equal(parseFromPage({ type: 'eval', code: 'x' }), undefined);
    assert.equal(parseFromPage('ready'), undefined);
    assert.equal(parseFromPage(null), undefined);
  });

  it('accepts the known extension messages on the page side', () => {
    assert.deepEqual(parseToPage({ type: 'notice', text: 'hi' }), { type: 'notice', text: 'hi' });
    assert.deepEqual(parseToPage({ type: 'session', view: null, now: 1 }), { type: 'session', view: null, now: 1 });
    assert.equal(parseToPage({ type: 'session', view: null }), undefined);
    assert.equal(parseToPage({ type: 'revealed', token: 3 }), undefined);
  });
});

// Token maths and JWT decoding, on the real datarhei tokens: claims, expiry, time left and the token history.
import * as assert from 'node:assert/strict';
import { decodeJwt, describeClaims } from '../../src/core/jwt';
import { createSession, isExpired, pushHistory, replaceToken, timeLeftMs, touch } from '../../src/core/session';
import { formatDuration, formatRemaining } from '../../src/core/time';
import { DATARHEI_ACCESS, DATARHEI_REFRESH, ISSUED, datarheiSession } from './core-fixtures';

describe('JWT decoding', () => {
  it('decodes the real datarhei access token: header, exi as lifetime, exp/iat', () => {
    const jwt = decodeJwt(DATARHEI_ACCESS);
    assert.ok(jwt);
    assert.deepEqual(jwt.header, { alg: 'HS256', typ: 'JWT' });
    assert.equal(jwt.claims.exi, 600);
    assert.equal(jwt.claims.usefor, 'access');
    assert.equal((jwt.claims.exp as number) - (jwt.claims.iat as number), 600);
    const rows = describeClaims(jwt.claims, ISSUED);
    const exi = rows.find((r) => r.name === 'exi');
    assert.equal(exi?.human, '10 min total lifetime');
    assert.match(exi?.meaning ?? '', /does not count down/);
    const exp = rows.find((r) => r.name === 'exp');
    assert.match(exp?.human ?? '', /2026-11-23T18:20:28\.000Z · in 10 min/);
  });

  it('rejects strings that are not JWTs', () => {
    assert.equal(decodeJwt('QSDK 3fee0123'), null);
    assert.equal(decodeJwt('abc.def'), null);
    assert.equal(decodeJwt('a.b.c'), null);
  });

  it('reads parts as jwt-decode did: UTF-8, else Latin-1; a BOM, a 4n+1 length or a non-object part is not a JWT', () => {
    const part = (bytes: Buffer) => bytes.toString('base64url');
    const header = part(Buffer.from('{"alg":"none"}'));
    const tokenOf = (payload: Buffer) => `${header}.${part(payload)}.`;
    assert.equal(decodeJwt(tokenOf(Buffer.from('{"sub":"Zoë 名"}')))?.claims.sub, 'Zoë 名');
    // 0xE9 alone is not UTF-8: read as Latin-1 "é", as jwt-decode's atob fallback did.
    assert.equal(decodeJwt(tokenOf(Buffer.from([...Buffer.from('{"sub":"'), 0xe9, ...Buffer.from('"}')])))?.claims.sub, 'é');
    assert.equal(decodeJwt(tokenOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"sub":"x"}')]))), null);
    // 12 bytes are 16 characters; a 17th is no base64 (Buffer alone would drop it and read the JSON).
    assert.ok(decodeJwt(tokenOf(Buffer.from('{"sub":"xy"}'))));
    assert.equal(decodeJwt(`${header}.${part(Buffer.from('{"sub":"xy"}'))}A.`), null);
    assert.equal(decodeJwt(tokenOf(Buffer.from('"just a string"'))), null);
    assert.equal(decodeJwt(tokenOf(Buffer.from('{"sub":'))), null);
  });

  it('formats durations in words', () => {
    assert.equal(formatDuration(600_000), '10 min');
    assert.equal(formatDuration(86_400_000), '1 d');
    assert.equal(formatDuration(61_000), '1 min 1 s');
    assert.equal(formatDuration(0), '0 s');
  });
});

describe('session expiry maths', () => {
  it('takes expiry from exp and the refresh token’s expiry from its own exp', () => {
    const s = datarheiSession(ISSUED + 2000);
    assert.equal(s.expiresAt, ISSUED + 600_000);
    assert.equal(s.expiresBecause, 'exp-claim');
    assert.equal(s.refreshExpiresAt, ISSUED + 86_400_000);
    assert.equal(s.issuedAt, ISSUED);
    assert.equal(s.history.length, 1);
    assert.equal(s.history[0].method, 'POST /api/login');
  });

  it('reports a past exp as expired with zero time left, never negative', () => {
    const s = datarheiSession(ISSUED);
    const later = ISSUED + 700_000;
    assert.equal(isExpired(s, later), true);
    assert.equal(timeLeftMs(s, later), 0);
    assert.equal(formatRemaining(timeLeftMs(s, later)), 'expired');
    assert.equal(formatRemaining(timeLeftMs(s, ISSUED + 599_000)), '00:01');
  });

  it('formats remaining time as mm:ss and h:mm:ss', () => {
    assert.equal(formatRemaining(754_000), '12:34');
    assert.equal(formatRemaining(3_600_000 + 61_000), '1:01:01');
    assert.equal(formatRemaining(500), '00:01');
    assert.equal(formatRemaining(null), 'no expiry');
    assert.equal(formatRemaining(-5), 'expired');
  });

  it('slides an idle window on use and records replaced tokens in the history', () => {
    const t0 = 1_000_000;
    let s = createSession({
      connectionId: 'c',
      vendor: 'cove',
      authKind: 'password',
      token: 'visa-1',
      attach: { kind: 'jsonrpc', name: 'visa', value: 'visa-1' },
      now: t0,
      method: 'Login',
      slidingWindowMs: 900_000,
    });
    assert.equal(s.expiresAt, t0 + 900_000);
    assert.equal(s.expiresBecause, 'sliding-idle');
    s = touch(s, t0 + 60_000);
    assert.equal(s.expiresAt, t0 + 960_000);
    s = replaceToken(s, { token: 'visa-2', now: t0 + 120_000, method: 'EnumeratePartners', event: 'call' });
    assert.equal(s.expiresAt, t0 + 1_020_000);
    assert.equal(s.attach.value, 'visa-2');
    assert.deepEqual(
      s.history.map((h) => [h.method, h.token, h.replaced]),
      [
        ['Login', 'visa-1', null],
        ['EnumeratePartners', 'visa-2', 'visa-1'],
      ],
    );
  });

  it('keeps the attach shape (Bearer …) when a token is replaced', () => {
    const s = datarheiSession(ISSUED);
    const r = replaceToken(s, { token: DATARHEI_REFRESH, now: ISSUED + 1, method: 'x', event: 'refresh' });
    assert.equal(r.attach.value, `Bearer ${DATARHEI_REFRESH}`);
  });

  it('bounds the history, dropping the oldest', () => {
    let s = datarheiSession(ISSUED);
    for (let i = 0; i < 10; i++) s = pushHistory(s, { ...s.history[0], token: `t${i}` }, 5);
    assert.equal(s.history.length, 5);
    assert.equal(s.history[4].token, 't9');
    assert.equal(s.history[0].token, 't5');
  });

  it('marks per-request credentials as never expiring', () => {
    const s = createSession({
      connectionId: 'b',
      vendor: 'code42',
      authKind: 'basic',
      token: 'x',
      attach: { kind: 'header', name: 'Authorization', value: 'Basic eA==' },
      now: 1,
      method: 'GET /api/User/my',
      perRequest: true,
    });
    assert.equal(s.expiresAt, null);
    assert.equal(s.expiresBecause, 'per-request');
  });
});

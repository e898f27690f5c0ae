// 4. Decode: JWT decode + claim formatting (what the tree, the CLI's `decode` and the details view do per token)
// against the floor JSON.parse(Buffer.from(part, 'base64url')) of header and payload, interleaved.
import { interleave, median, noise, out, spread } from './util.mjs';

const ROUNDS = 5;
const SLICE_MS = 250;

/** A datarhei-like access token (the claims a real one carries), with a fake signature. */
export function sampleToken(now = Date.now()) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const iat = Math.floor(now / 1000);
  const header = { alg: 'HS256', typ: 'JWT' };
  const claims = { iss: 'datarhei-core', sub: 'admin', usefor: 'access', iat, nbf: iat, exp: iat + 600, exi: 600, jti: '0f8fad5b-d9cb-469f-a165-70867728950e' };
  return `${b64(header)}.${b64(claims)}.${Buffer.alloc(32, 7).toString('base64url')}`;
}

/** Calls `fn` repeatedly for about `ms`; returns calls per second. */
function rate(fn, ms = SLICE_MS) {
  let n = 0;
  const t0 = performance.now();
  let t;
  do {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
    t = performance.now();
  } while (t - t0 < ms);
  return n / ((t - t0) / 1000);
}

export async function benchDecode(results) {
  const s = results.section('4. Decode: JWT decode + claim formatting vs JSON.parse(base64url) floor');
  const { decodeJwt, describeClaims } = out('src/core/jwt.js');
  const token = sampleToken();
  const now = Date.now();
  const [h, p] = token.split('.');
  let sink = 0;
  const floor = () => {
    sink += Object.keys(JSON.parse(Buffer.from(h, 'base64url'))).length + Object.keys(JSON.parse(Buffer.from(p, 'base64url'))).length;
  };
  const decodeOnly = () => {
    sink += decodeJwt(token) ? 1 : 0;
  };
  const full = () => {
    sink += describeClaims(decodeJwt(token).claims, now).length;
  };
  for (let i = 0; i < 3; i++) for (const f of [floor, decodeOnly, full]) rate(f, 50);
  const r = await interleave(ROUNDS, { floor: () => rate(floor), decode: () => rate(decodeOnly), full: () => rate(full) });
  const fullRatio = r.floor.map((f, i) => f / r.full[i]);
  const decRatio = r.floor.map((f, i) => f / r.decode[i]);
  const k = (a) =>
    `${spread(
      a.map((x) => x / 1000),
      0,
    )}k/s`;
  results.row(s, 'JSON.parse(base64url) header + payload (floor)', k(r.floor), '', undefined, `noise ${noise(r.floor)}`);
  results.row(s, 'decodeJwt only', k(r.decode), '', undefined, `${spread(decRatio, 1)}× slower than the floor`);
  results.row(s, 'decodeJwt + describeClaims (8 claims)', k(r.full), '≥ 100k/s', median(r.full) >= 100_000, `noise ${noise(r.full)}`);
  results.row(s, 'decode + formatting vs floor', `${spread(fullRatio, 1)}× slower`, '≤ 3×', median(fullRatio) <= 3);
  return sink;
}

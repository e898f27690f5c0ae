// `api-auth decode TOKEN|-`: a JWT's header and claims with human times and the time left, as text or JSON.
import { decodeJwt, describeClaims } from '../../core/jwt';
import { isExpired, timeLeftMs } from '../../core/session';
import { formatRemaining } from '../../core/time';
import type { Options } from '../args';
import { EXIT, UsageError } from '../exit';
import { iso } from '../output';
import { readStdin } from '../prompt';

export async function decodeCommand(args: string[], opts: Options): Promise<number> {
  let token = args[0];
  if (!token) throw new UsageError('usage: api-auth decode TOKEN (or - to read it from standard input)');
  if (token === '-') token = await readStdin();
  token = token.trim().replace(/^Bearer\s+/i, '');
  const jwt = decodeJwt(token);
  if (!jwt) throw new UsageError('the token is not a JWT (expected three base64url parts separated by dots)');
  const now = Date.now();
  const exp = typeof jwt.claims.exp === 'number' ? jwt.claims.exp * 1000 : null;
  const expired = exp !== null && isExpired({ expiresAt: exp }, now);
  const rows = describeClaims(jwt.claims, now);
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({
        header: jwt.header,
        claims: jwt.claims,
        times: Object.fromEntries(rows.filter((r) => r.human).map((r) => [r.name, r.human])),
        expiresAt: iso(exp),
        expired,
        timeLeft: exp === null ? null : formatRemaining(timeLeftMs({ expiresAt: exp }, now)),
      })}\n`,
    );
    return EXIT.ok;
  }
  const lines = [`header  ${JSON.stringify(jwt.header)}`, 'claims'];
  const width = Math.max(...rows.map((r) => r.name.length), 3);
  for (const r of rows) {
    lines.push(`  ${r.name.padEnd(width)}  ${r.raw}${r.human ? `  — ${r.human}` : ''}${r.meaning ? `\n  ${' '.repeat(width)}  (${r.meaning})` : ''}`);
  }
  lines.push(exp === null ? 'no exp claim: the token does not say when it expires' : expired ? 'EXPIRED' : `valid for ${formatRemaining(exp - now)} more`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

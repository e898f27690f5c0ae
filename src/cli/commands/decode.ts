// `api-auth decode TOKEN|-`: a JWT's header and claims with human times and the time left, as text or JSON.
import { claimTimeMs, decodeJwt, describeClaims, expiryOf, notValidYet } from '../../core/jwt';
import { isExpired, timeLeftMs } from '../../core/session';
import { formatRemaining } from '../../core/time';
import { oneLineText, stringifyForTerminal } from '../../core/untrusted';
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
  // Only an exp that is a usable date counts (1e300, milliseconds or a string do not: see timeClaim).
  const exp = expiryOf(jwt);
  const expired = exp !== null && isExpired({ expiresAt: exp }, now);
  const rows = describeClaims(jwt.claims, now);
  const nbf = claimTimeMs(jwt.claims, 'nbf');
  const notYet = nbf !== null && nbf > now ? notValidYet(nbf, now) : null;
  if (opts.json) {
    // Every claim and time came from the token's author: JSON escapes what a terminal would act on.
    const out = {
      header: jwt.header,
      claims: jwt.claims,
      times: Object.fromEntries(rows.filter((r) => r.human).map((r) => [r.name, r.human])),
      expiresAt: iso(exp),
      expired,
      notValidYet: notYet !== null,
      timeLeft: exp === null ? null : formatRemaining(timeLeftMs({ expiresAt: exp }, now)),
    };
    process.stdout.write(`${stringifyForTerminal(out)}\n`);
    return EXIT.ok;
  }
  // Each line is made one line on its own: a claim cannot add or overwrite a line; the line breaks here are ours.
  const lines = [`header  ${stringifyForTerminal(jwt.header)}`, 'claims'];
  const width = Math.max(...rows.map((r) => r.name.length), 3);
  for (const r of rows) {
    lines.push(`  ${r.name.padEnd(width)}  ${r.raw}${r.human ? `  — ${r.human}` : ''}`);
    if (r.meaning) lines.push(`  ${' '.repeat(width)}  (${r.meaning})`);
  }
  const expRow = rows.find((r) => r.name === 'exp');
  if (exp === null) {
    lines.push(
      expRow ? `exp not used (${expRow.note ?? 'not a date'}): the token does not say when it expires` : 'no exp claim: the token does not say when it expires',
    );
  } else {
    lines.push(expired ? 'EXPIRED' : `valid for ${formatRemaining(exp - now)} more`);
  }
  if (notYet) lines.push(notYet);
  process.stdout.write(`${lines.map(oneLineText).join('\n')}\n`);
  return EXIT.ok;
}

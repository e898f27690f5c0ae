// npm run totp — the current two-factor code of the demo Code42 account (loopback demo only).
import { Secret, TOTP } from 'otpauth';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { ACCOUNTS } = createRequire(import.meta.url)(path.join(root, 'out/test/mock-vendors/accounts.js'));
const totp = new TOTP({ secret: Secret.fromBase32(ACCOUNTS.code42.mfa.totpSecret), digits: 6, period: 30 });
const left = 30 - (Math.floor(Date.now() / 1000) % 30);
console.log(`${totp.generate()}  (valid ${left} s more; account ${ACCOUNTS.code42.mfa.username})`);

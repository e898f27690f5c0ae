// Journey: log in to the Code42 account whose org requires two-factor: password, then the current TOTP code.
/* global describe, it */
import * as assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import { ctx, loginViaPalette, openApiAuthView, screenshot } from './lib.mjs';

const LABEL = 'Code42 (two-factor)';

describe('Two-factor login (Code42)', () => {
  it('asks for the code after the password and logs in with it', async () => {
    const { page, demo } = ctx;
    await openApiAuthView(page);
    const totp = new TOTP({ secret: Secret.fromBase32(demo.ACCOUNTS.code42.mfa.totpSecret), digits: 6, period: 30 });
    // A code typed in the last seconds of its window may reach the server in the next one (which accepts ±1 step).
    const state = await loginViaPalette(page, LABEL, demo.credentials['code42-2fa-demo'], {
      totp: () => totp.generate(),
      atCodePrompt: () => screenshot(page, 'two-factor.png'),
      store: 'Not Now',
    });
    assert.match(state, /^Code42 · \d{2}:\d{2} left$/, state);
  });
});

// A real datarhei Core session, shared by the core tests: the tokens a v16.16 server issued, and the session they make.
import { createSession } from '../../src/core/session';
import type { Session } from '../../src/core/types';

// Captured from a real datarhei Core v16.16 server: its answer to POST /api/login with the right password.
export const DATARHEI_ACCESS =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleGkiOjYwMCwiZXhwIjoxNzk1NDU4MDI4LCJpYXQiOjE3OTU0NTc0MjgsImlzcyI6ImRhdGFyaGVpLWNvcmUiLCJqdGkiOiJmMGI3NGI4YS01M2FmLTQ0ZGMtYjE5Yi1iMGM1MzdkMjRhNjEiLCJzdWIiOiJhZG1pbiIsInVzZWZvciI6ImFjY2VzcyJ9.oRS4Jy7N3_J8k5wUC_eGJeufGLukiUPu-bGnkEUW3LI';
export const DATARHEI_REFRESH =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleGkiOjg2NDAwLCJleHAiOjE3OTU1NDM4MjgsImlhdCI6MTc5NTQ1NzQyOCwiaXNzIjoiZGF0YXJoZWktY29yZSIsImp0aSI6Ijk1Y2U0MTc2LWNhYmYtNDRmOC1hZDcwLWU3ZmRjNzg3YjNhZSIsInN1YiI6ImFkbWluIiwidXNlZm9yIjoicmVmcmVzaCJ9.HXSiRgoKFj5wreleal9Up6KBj5BqxwTTenLpCgD94Uo';
export const ISSUED = 1795457428_000;

export function datarheiSession(now: number): Session {
  return createSession({
    connectionId: 'dr',
    vendor: 'datarhei',
    authKind: 'password',
    token: DATARHEI_ACCESS,
    attach: { kind: 'header', name: 'Authorization', value: `Bearer ${DATARHEI_ACCESS}` },
    now,
    method: 'POST /api/login',
    refreshToken: DATARHEI_REFRESH,
  });
}

// The demo/test accounts of the loopback vendor servers. These are fake credentials for a loopback mock;
// they exist so that tests and the `npm start` demo can log in. They are never real secrets.

export const ACCOUNTS = {
  cove: {
    partner: 'Acme Corp (admin@acme.com)',
    username: 'admin@acme.com',
    password: 'cove-demo-pass',
    /** An API user: the one-time token shown at creation is its password. */
    apiUser: { username: 'api-user@acme.com', password: 'cove-api-6f1d2c9e4b7a' },
    /** A user whose role may not call EnumerateUsers (answers 13501). */
    viewer: { username: 'viewer@acme.com', password: 'cove-viewer-pass' },
  },
  commvault: {
    username: 'admin',
    password: 'cv-demo-pass',
    domainUser: { domain: 'ACME', username: 'jdoe', password: 'cv-domain-pass' },
    /** Logging in to this remote CommServe is accepted for `admin`. */
    commserver: 'client.mydomain.com*testcs',
    locked: { username: 'locked', password: 'cv-locked-pass', remainingLockTime: 1200 },
  },
  ipcortex: {
    username: 'alice',
    password: 'ipc-demo-pass',
    apiKey: 'ipck-7Q2m9VwX4rT8pL1sN6bH3cJ5dF0gK2yZ8uE4iO7aW1qR9tY3',
  },
  code42: {
    username: 'user@example.com',
    password: 'c42-demo-pass',
    /** This user's org requires a TOTP code. */
    mfa: { username: 'mfa@example.com', password: 'c42-mfa-pass', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
    /** Signs in through the org's identity provider (SSO): no password works for the API. */
    sso: { username: 'sso@example.com', password: 'c42-sso-idp-pass' },
  },
  datarhei: {
    username: 'admin',
    password: 's3cret-pass',
    jwtSecret: 'peer-test-secret',
    /**
     * The mock's stand-in Auth0 tenant (test/mock-vendors/auth0-tenant.ts): RS256 tokens signed with a key pair made at
     * start, for this user (the only one the tenant lets in).
     */
    auth0: {
      domain: 'demo-tenant.eu.auth0.com',
      issuer: 'https://demo-tenant.eu.auth0.com/',
      audience: 'https://datarhei-core',
      clientId: 'datarhei-mock-client',
      subject: 'auth0|demo-user',
    },
  },
} as const;

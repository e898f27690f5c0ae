// The TLS material of one connection, loaded from the files its settings name: extra trusted CAs, a client certificate
// and key (PEM) or a PKCS#12 bundle. Everything is read and checked when the HTTP client is made, so a missing or wrong
// file is reported before any secret is read or asked, and an encrypted key without its passphrase is a clear error
// (the caller asks for the passphrase and tries again) instead of a handshake failure later.
import * as tls from 'node:tls';
import { AuthError } from './errors';
import { readInputFile } from './files';
import type { TlsOptions } from './types';

/** The TLS fields put on every request: VS Code's network patch keeps exactly these when it replaces the agent. */
export interface TlsRequestOptions {
  rejectUnauthorized: boolean;
  ca?: string[];
  cert?: Buffer;
  key?: Buffer;
  pfx?: Buffer;
  passphrase?: string;
  servername?: string;
}

/** `details.code` of the errors that a passphrase (asked again) can fix. */
export const PASSPHRASE_NEEDED = 'passphrase-needed';
export const PASSPHRASE_WRONG = 'passphrase-wrong';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The PEM certificates in a file's text (a bundle may hold comments and other blocks between them). */
export function pemCertificates(text: string): string[] {
  return text.match(PEM_CERT) ?? [];
}

/**
 * The roots a connection trusts without a CA file of its own: Node's defaults when it can list them (Node ≥ 22.15:
 * bundled roots plus NODE_EXTRA_CA_CERTS), else the bundled roots plus NODE_EXTRA_CA_CERTS read here. Setting `ca`
 * replaces Node's defaults, so a CA file must come on top of these or NODE_EXTRA_CA_CERTS would stop working.
 */
export function defaultRoots(env: NodeJS.ProcessEnv = process.env): string[] {
  const list = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  if (typeof list === 'function') return list('default');
  const extra = env.NODE_EXTRA_CA_CERTS ? pemCertificates(readInputFile(env.NODE_EXTRA_CA_CERTS, 'NODE_EXTRA_CA_CERTS file').toString('utf8')) : [];
  return [...tls.rootCertificates, ...extra];
}

/** Whether a PEM private key is encrypted (PKCS#8 "ENCRYPTED PRIVATE KEY" or the legacy Proc-Type header). */
export function isEncryptedKey(pem: string): boolean {
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem) || /^Proc-Type:\s*4,\s*ENCRYPTED/m.test(pem);
}

/** The file that holds the client key: the one a passphrase unlocks (named in messages). */
export function clientKeyFile(tlsOpts: TlsOptions | undefined): string | undefined {
  return tlsOpts?.pfxFile ?? tlsOpts?.keyFile;
}

const needed = (file: string): AuthError =>
  new AuthError('config', `the client key "${file}" is encrypted and no passphrase is stored`, {
    code: PASSPHRASE_NEEDED,
    nextStep: 'enter the passphrase of the client certificate',
  });
const wrong = (file: string): AuthError =>
  new AuthError('config', `the passphrase of the client certificate "${file}" is wrong`, {
    code: PASSPHRASE_WRONG,
    nextStep: 'enter the right passphrase of the client certificate',
  });

/**
 * Loads and checks a connection's TLS material. `passphrase` unlocks an encrypted key or a PKCS#12 file; it is
 * never part of a message. Throws `AuthError('config')`: a file missing or unusable, a bad combination, and
 * {@link PASSPHRASE_NEEDED} / {@link PASSPHRASE_WRONG} in `details.code`.
 */
export function loadTlsMaterial(tlsOpts: TlsOptions | undefined, passphrase?: string, env: NodeJS.ProcessEnv = process.env): TlsRequestOptions {
  const t = tlsOpts ?? {};
  const out: TlsRequestOptions = { rejectUnauthorized: t.rejectUnauthorized !== false };
  if (t.servername) out.servername = t.servername;
  if (t.caFile) {
    const certs = pemCertificates(readInputFile(t.caFile, 'CA file').toString('utf8'));
    if (!certs.length) throw new AuthError('config', `the CA file "${t.caFile}" is not a PEM certificate file`);
    out.ca = [...defaultRoots(env), ...certs];
  }
  if (t.pfxFile && (t.certFile || t.keyFile)) {
    throw new AuthError('config', 'tls.pfxFile and tls.certFile / tls.keyFile are both set', {
      nextStep: 'set either tls.pfxFile or tls.certFile with tls.keyFile',
    });
  }
  if (!!t.certFile !== !!t.keyFile) {
    throw new AuthError('config', t.certFile ? 'tls.certFile is set without tls.keyFile' : 'tls.keyFile is set without tls.certFile', {
      nextStep: 'set both tls.certFile and tls.keyFile (or tls.pfxFile)',
    });
  }
  if (t.certFile && t.keyFile) {
    const cert = readInputFile(t.certFile, 'client certificate file');
    if (!pemCertificates(cert.toString('utf8')).length) throw new AuthError('config', `the client certificate file "${t.certFile}" is not a PEM certificate`);
    const key = readInputFile(t.keyFile, 'client key file');
    const keyText = key.toString('utf8');
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(keyText)) throw new AuthError('config', `the client key file "${t.keyFile}" is not a PEM private key`);
    const encrypted = isEncryptedKey(keyText);
    if (encrypted && !passphrase) throw needed(t.keyFile);
    try {
      tls.createSecureContext({ cert, key, ...(encrypted ? { passphrase } : {}) });
    } catch (e) {
      throw unusable(e, encrypted, t.keyFile, `the client certificate "${t.certFile}" and key "${t.keyFile}"`);
    }
    Object.assign(out, { cert, key }, encrypted ? { passphrase } : {});
  }
  if (t.pfxFile) {
    const pfx = readInputFile(t.pfxFile, 'client certificate file');
    try {
      // A PKCS#12 file says whether it is protected only by failing: an empty passphrase opens an unprotected one.
      tls.createSecureContext({ pfx, passphrase: passphrase ?? '' });
    } catch (e) {
      if (isMacFailure(e)) throw passphrase ? wrong(t.pfxFile) : needed(t.pfxFile);
      throw unusable(e, false, t.pfxFile, `the client certificate file "${t.pfxFile}"`);
    }
    Object.assign(out, { pfx, passphrase: passphrase ?? '' });
  }
  return out;
}

function isMacFailure(e: unknown): boolean {
  return /mac verify failure|bad decrypt/i.test((e as Error).message ?? '');
}

function unusable(e: unknown, encrypted: boolean, keyFile: string, what: string): AuthError {
  const err = e as { code?: string; message?: string };
  if (encrypted && (err.code === 'ERR_OSSL_BAD_DECRYPT' || isMacFailure(e))) return wrong(keyFile);
  if (err.code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH') return new AuthError('config', `${what} do not belong together (key values mismatch)`);
  return new AuthError('config', `${what} cannot be used (${err.code ?? 'invalid'})`);
}

// What went wrong on the wire, in words: axios / Node failures mapped to AuthError kinds, and the redirect answer that
// is never followed. Used by src/core/http.ts (which re-exports it).
import { AuthError, truncate } from './errors';
import { outside, wording } from './wording';

/** The limits of a client, named in the messages. */
export interface TransportLimits {
  timeoutMs: number;
  maxResponseBytes: number;
  /** Whether the connection sends a client certificate (then a refused handshake is not "none was sent"). */
  clientCert?: boolean;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** Why a certificate was rejected, in words (the code stays in the message: it is what one searches for). */
const TLS_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'it was issued by a CA that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not trusted',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it was not issued for this host name',
};

/** Set by the transport on an error that ended a TLS handshake (a server refusing us resets it). */
export const DURING_HANDSHAKE = Symbol('duringTlsHandshake');
/** Set by the transport on an error after the answer's headers came (the body was cut off). */
export const AFTER_HEADERS = Symbol('afterHeaders');

type NodeishError = {
  code?: string;
  message?: string;
  name?: string;
  response?: unknown;
  cause?: NodeishError;
  [DURING_HANDSHAKE]?: boolean;
  [AFTER_HEADERS]?: boolean;
};

/** Whether the server ended the handshake because it wants a client certificate (TLS 1.3 alert 116, or a reset). */
function certificateRequired(err: NodeishError, limits: TransportLimits): boolean {
  const code = err.code ?? err.cause?.code ?? '';
  const text = `${err.message ?? ''} ${err.cause?.message ?? ''}`;
  if (code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' || /alert number 116|certificate required/i.test(text)) return true;
  if (limits.clientCert) return false;
  const handshake = err[DURING_HANDSHAKE] === true || err.cause?.[DURING_HANDSHAKE] === true;
  return handshake && (code === 'ECONNRESET' || /alert handshake failure/i.test(text));
}

/** Turns an axios/Node failure into an AuthError with a plain cause. */
export function mapTransportError(e: unknown, url: string, limits: TransportLimits): AuthError {
  if (e instanceof AuthError) return e;
  const err = e as NodeishError;
  const code = err.code ?? err.cause?.code ?? '';
  const message = err.message ?? '';
  const where = safeOrigin(url);
  if (code === 'ERR_CANCELED' || err.name === 'CanceledError' || err.name === 'AbortError') {
    return new AuthError('cancelled', 'the request was cancelled');
  }
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message)) return timeoutError(url, limits.timeoutMs);
  if (/maxContentLength/.test(message)) return tooLargeError(url, limits.maxResponseBytes);
  if (certificateRequired(err, limits)) {
    return new AuthError('tls', 'the server asked for a client certificate and none was sent', {
      nextStep: 'set tls.certFile and tls.keyFile (or tls.pfxFile) for this connection',
    });
  }
  if (TLS_CODES.has(code) || /certificate|ssl|tls/i.test(message)) {
    const reason = TLS_REASONS[code];
    // A certificate for another name is not a trust problem: trusting its CA would not help.
    const nextStep =
      code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? 'use a host name in baseUrl that the certificate carries, or set tls.servername to one' : undefined;
    return new AuthError('tls', `the TLS certificate of ${where} was rejected${reason ? `: ${reason}` : ''} (${code || 'TLS error'})`, {
      ...(nextStep ? { nextStep } : {}),
    });
  }
  if (code === 'ECONNREFUSED') return new AuthError('network', `server unreachable: connection refused at ${where}`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new AuthError('network', `server unreachable: host of ${where} not found`);
  // After the headers came (axios attaches the response, or the transport tagged the error): the body was cut off.
  const midBody = err.response !== undefined || err[AFTER_HEADERS] === true || err.cause?.[AFTER_HEADERS] === true;
  if (midBody && (code === 'ECONNRESET' || code === 'ERR_BAD_RESPONSE' || /aborted|terminated|hang up/i.test(message))) {
    return new AuthError('network', `the connection to ${where} was dropped before the whole answer came`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(message)) {
    return new AuthError('network', `the connection to ${where} was dropped before an answer came`);
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new AuthError('network', `server unreachable: no route to ${where}`);
  if (code === 'ERR_INVALID_URL' || code === 'ERR_BAD_OPTION_VALUE') {
    return new AuthError('config', wording`the URL "${outside(truncate(url, 120))}" is not valid`);
  }
  // Node's or a library's own message may quote what the server sent: outside text.
  return new AuthError('network', wording`request to ${where} failed (${outside(code || message || 'unknown error')})`);
}

export function timeoutError(url: string, timeoutMs: number): AuthError {
  return new AuthError('timeout', `no answer from ${safeOrigin(url)} within ${Math.round(timeoutMs / 100) / 10} s (timeout)`);
}

export function tooLargeError(url: string, maxResponseBytes: number): AuthError {
  return new AuthError('protocol', `the answer from ${safeOrigin(url)} is larger than the ${byteSize(maxResponseBytes)} limit`, {
    nextStep: 'raise maxResponseBytes for this connection if such an answer is expected',
  });
}

/** "16 MiB", "512 KiB", "300 bytes". */
export function byteSize(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return truncate(url, 120);
  }
}

/**
 * The error for a redirect answer (3xx with a Location): never followed (credentials must go only to the configured
 * server), so the user is told where it pointed. The Location's query is left out (it may carry a ticket).
 * Undefined for any other answer.
 */
export function redirectError(res: { status: number; headers: Record<string, string> }, what: string, requestUrl?: string): AuthError | undefined {
  const location = res.headers.location;
  if (res.status < 300 || res.status > 399 || !location) return undefined;
  let target: URL;
  try {
    target = new URL(location, requestUrl);
  } catch {
    return new AuthError('protocol', `the server answered ${what} with a redirect (HTTP ${res.status}) to an invalid address`, { status: res.status });
  }
  const shown = truncate(`${target.origin}${target.pathname}`, 160);
  return new AuthError('protocol', wording`the server redirected ${what} to ${outside(shown)} (HTTP ${res.status}); redirects are not followed`, {
    status: res.status,
    nextStep: wording`if the API moved, set baseUrl to its address on ${outside(target.origin)}`,
  });
}

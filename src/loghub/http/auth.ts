// Signature check for every request: v1 (hmac-sha1 / hmac-sha256) and v4, against configured keys.
// STS: the x-acs-security-token header is signed by the client. A key configured with a token
// (http/keyRing.ts) accepts only that token until its expiration, answered as real SLS answers
// (401 Unauthorized, ../shared/spec/sls-protocol.md §2.3); a key configured without one accepts any.
import { md5Hex, parseAuthorization, sha256Hex, verifyV1, verifyV4, type SignableRequest } from '../../codec/index.js';
import { SlsServiceError } from '../../errors/index.js';
import type { KeyRing } from './keyRing.js';

export interface AuthOptions {
  readonly anonymous: boolean;
  readonly keys: KeyRing;
  readonly clockSkewSeconds: number;
  readonly now: () => number;
}

function checkSkew(ms: number, opts: AuthOptions, shown: string): void {
  if (Number.isNaN(ms)) throw SlsServiceError.of('InvalidDateFormat', `Date ${shown} is not a valid RFC 1123 date`);
  const now = opts.now();
  if (Math.abs(now - ms) > opts.clockSkewSeconds * 1000) {
    throw SlsServiceError.of(
      'RequestTimeExpired',
      `Request time ${shown} has been expired while server time is ${new Date(now).toUTCString()}`,
    );
  }
}

function v4DateMs(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

/** Throws the SLS error a real server would answer with; returns the access key id on success. */
export function authenticate(req: SignableRequest, body: Buffer, opts: AuthOptions): string | undefined {
  if (opts.anonymous) return undefined;
  const header = req.headers['authorization'];
  const auth = parseAuthorization(header);
  if (!auth)
    throw SlsServiceError.of(
      'Unauthorized',
      header ? 'The Authorization header cannot be parsed.' : 'The Authorization header is missing.',
    );
  const token = req.headers['x-acs-security-token'];
  const key = opts.keys.lookup(auth.accessKeyId, token);
  if (key === undefined) throw SlsServiceError.of('Unauthorized', `AccessKeyId not found: ${auth.accessKeyId}`);
  if (key.securityToken !== undefined && key.securityToken !== token)
    throw SlsServiceError.of('Unauthorized', 'The security token you provided is invalid.');
  if (key.expiresAtMs !== undefined && opts.now() >= key.expiresAtMs)
    throw SlsServiceError.of('Unauthorized', 'The security token you provided has expired.');
  const secret = key.secret;
  if (auth.version === 1) {
    const date = req.headers['date'] ?? req.headers['x-log-date'];
    if (!date) throw SlsServiceError.of('InvalidDateFormat', 'the Date header is missing');
    checkSkew(Date.parse(date), opts, date);
    const md5 = req.headers['content-md5'];
    if (md5 && body.length > 0 && md5.toUpperCase() !== md5Hex(body))
      throw SlsServiceError.of('InvalidContentMD5', 'Content-MD5 does not match the body');
    if (!verifyV1(req, secret, auth.signature)) throw SlsServiceError.of('SignatureNotMatch', `signature ${auth.signature} not match`);
  } else {
    const date = req.headers['x-log-date'] ?? '';
    checkSkew(v4DateMs(date), opts, date);
    if ((req.headers['x-log-content-sha256'] ?? '') !== sha256Hex(body))
      throw SlsServiceError.of('SignatureNotMatch', 'x-log-content-sha256 does not match the body');
    if (!verifyV4(req, secret, auth)) throw SlsServiceError.of('SignatureNotMatch', `signature ${auth.signature} not match`);
  }
  return auth.accessKeyId;
}

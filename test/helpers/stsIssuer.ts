// A loopback stand-in for a credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI) handing out short-lived
// STS keys: a new AccessKeyId, secret and token at every fetch, in the JSON shape @alicloud/credentials
// reads (AccessKeyId, AccessKeySecret, SecurityToken, Expiration — second precision, as STS writes it).
// Every key issued is written to `keysFile`, the LogHub's accessKeysFile, so the LogHub accepts each
// token until its expiration and refuses it after, as SLS does.
import http from 'node:http';
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export interface IssuedKey {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: string;
  issuedAtMs: number;
}

/** Issues keys and keeps `keysFile` (the LogHub's accessKeysFile) listing every key issued. */
export function keyIssuer(o: { keysFile: string; lifeMs: number; now?: () => number }) {
  const now = o.now ?? Date.now;
  const issued: IssuedKey[] = [];
  const write = () => {
    const keys = issued.map(({ accessKeyId, accessKeySecret, securityToken, expiration }) => ({
      accessKeyId,
      accessKeySecret,
      securityToken,
      expiration,
    }));
    writeFileSync(`${o.keysFile}.tmp`, JSON.stringify(keys));
    renameSync(`${o.keysFile}.tmp`, o.keysFile); // the LogHub never reads half a file
  };
  const issue = (): IssuedKey => {
    const at = now();
    const n = issued.length + 1;
    const key = {
      accessKeyId: `STS.test${n}`,
      accessKeySecret: randomBytes(12).toString('hex'),
      securityToken: `token-${n}-${randomBytes(6).toString('hex')}`,
      // whole seconds, rounded up, so "valid until" is exact on both sides
      expiration: new Date(Math.ceil((at + o.lifeMs) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      issuedAtMs: at,
    };
    issued.push(key);
    write();
    return key;
  };
  write();
  return { issued, issue };
}

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

export async function startStsIssuer(o: { keysFile: string; lifeMs: number; now?: () => number }) {
  const { issued, issue } = keyIssuer(o);
  const server = http.createServer((req, res) => {
    const k = issue();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        Code: 'Success',
        AccessKeyId: k.accessKeyId,
        AccessKeySecret: k.accessKeySecret,
        SecurityToken: k.securityToken,
        Expiration: k.expiration,
      }),
    );
  });
  const port = await listen(server);
  return {
    uri: `http://127.0.0.1:${port}/credentials`,
    issued,
    /** a key issued now without a fetch (what a client holding it would sign with) */
    issue,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface StsCall {
  method: string;
  query: Record<string, string>;
  form: Record<string, string>;
}

/**
 * An HTTPS stand-in for STS answering AssumeRoleWithOIDC (RRSA on ACK) in the shape of the real
 * answer: RequestId, OIDCTokenInfo, AssumedRoleUser, Credentials {AccessKeyId, AccessKeySecret,
 * SecurityToken, Expiration}. `tls` is a certificate for 127.0.0.1 the client trusts (NODE_EXTRA_CA_CERTS).
 */
export async function startOidcSts(o: { keysFile: string; lifeMs: number; tls: { cert: string; key: string } }) {
  const { issued, issue } = keyIssuer(o);
  const calls: StsCall[] = [];
  const server = https.createServer(o.tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      calls.push({
        method: req.method ?? '',
        query: Object.fromEntries(url.searchParams),
        form: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))),
      });
      const k = issue();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          RequestId: randomBytes(8).toString('hex'),
          OIDCTokenInfo: {
            Subject: 'system:serviceaccount:sls:sls-trigger',
            Issuer: 'https://oidc.example',
            ClientIds: 'sts.aliyuncs.com',
          },
          AssumedRoleUser: { AssumedRoleId: '3:sls-trigger', Arn: 'acs:ram::1:role/sls-trigger/sls-trigger' },
          Credentials: {
            AccessKeyId: k.accessKeyId,
            AccessKeySecret: k.accessKeySecret,
            SecurityToken: k.securityToken,
            Expiration: k.expiration,
          },
        }),
      );
    });
  });
  const port = await listen(server);
  return { endpoint: `127.0.0.1:${port}`, issued, calls, close: () => new Promise<void>((r) => server.close(() => r())) };
}

// Credentials that rotate: one RefreshingCredentials per process over @alicloud/credentials, the
// LogHub refusing expired STS tokens as SLS does, a client that refreshes refused keys once, and a
// chain that never leaves loopback (every connect in this file is checked).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogClient, RefreshingCredentials, type CredentialsProvider } from '../../src/client/index.js';
import { chooseCredentials } from '../../src/env/credentialChain.js';
import { CredentialsError, SlsServiceError } from '../../src/errors/index.js';
import { DEFAULT_ACCESS_KEY, startLogHub } from '../../src/loghub/index.js';
import { guardLoopback } from '../helpers/loopbackOnly.js';
import { startStsIssuer } from '../helpers/stsIssuer.js';

const guard = guardLoopback();
after(() => {
  guard.restore();
  assert.deepEqual(guard.refused, [], 'no connect outside loopback');
});

function countingProvider(keys: () => { accessKeyId: string; accessKeySecret: string; securityToken?: string }) {
  const p = { calls: 0, fail: false } as { calls: number; fail: boolean } & CredentialsProvider;
  p.getCredentials = async () => {
    p.calls++;
    if (p.fail) throw new Error('credentials URI answered 503');
    return { ...keys(), providerName: 'test' };
  };
  return p;
}

test('RefreshingCredentials: one provider call per interval, shared by concurrent callers; a failed refresh keeps the keys in hand', async () => {
  let t = 0;
  let n = 0;
  const provider = countingProvider(() => ({ accessKeyId: `ak${++n}`, accessKeySecret: 's', securityToken: `t${n}` }));
  const rotations: string[] = [];
  const errors: string[] = [];
  const src = new RefreshingCredentials({
    provider,
    refreshIntervalMs: 1000,
    retryAfterErrorMs: 100,
    now: () => t,
    onRotate: (o) => rotations.push(o),
    onError: (e) => errors.push(e.message),
  });
  const first = await Promise.all([src.current(), src.current(), src.current()]);
  assert.deepEqual(
    first.map((c) => c.accessKeyId),
    ['ak1', 'ak1', 'ak1'],
  );
  assert.equal(provider.calls, 1, 'concurrent callers share one provider call');
  t = 999;
  assert.equal((await src.current()).accessKeyId, 'ak1');
  assert.equal(provider.calls, 1, 'within the interval the cached keys are used');
  t = 1000;
  assert.deepEqual(await src.current(), { accessKeyId: 'ak2', accessKeySecret: 's', securityToken: 't2' });
  assert.deepEqual(rotations, ['test']);
  provider.fail = true;
  t = 2000;
  assert.equal((await src.current()).accessKeyId, 'ak2', 'a failed refresh keeps the keys in hand');
  assert.match(errors[0], /^credentials from test: credentials URI answered 503$/);
  t = 2050;
  await src.current();
  assert.equal(provider.calls, 3, 'no new call before retryAfterErrorMs');
  provider.fail = false;
  t = 2100;
  assert.equal((await src.current()).accessKeyId, 'ak3');
  assert.equal((await src.refresh()).accessKeyId, 'ak4', 'refresh() asks at once');
  const never = new RefreshingCredentials({
    provider: { getCredentials: () => Promise.reject(new Error('no route')) },
    origin: 'oidc_role_arn',
  });
  await assert.rejects(
    never.current(),
    (e: unknown) => e instanceof CredentialsError && e.retriable && /oidc_role_arn: no route/.test(e.message),
  );
});

test('the chain: env keys, then RRSA, a credentials URI, profiles; loopback never asks the metadata service; the ECS role comes last', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'slst-home-'));
  try {
    const env = (e: Record<string, string>) => ({ env: e, homedir: home });
    const keys = chooseCredentials(
      env({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'a', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'b', ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:1/' }),
    );
    assert.deepEqual(keys, { kind: 'static', origin: 'env', credentials: { accessKeyId: 'a', accessKeySecret: 'b' } });
    const tokenFile = path.join(home, 'token');
    writeFileSync(tokenFile, 'oidc');
    const rrsa = {
      ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/r',
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::1:oidc-provider/p',
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile,
    };
    const origin = (e: Record<string, string>, loopback = false) => {
      const c = chooseCredentials({ env: e, homedir: home, loopback });
      return c.kind === 'none' ? 'none' : c.origin;
    };
    assert.equal(origin({ ...rrsa, ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:1/' }), 'oidc_role_arn', 'RRSA before the URI');
    assert.equal(origin({ ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:1/' }), 'credential_uri');
    assert.equal(origin({}, true), 'none', 'loopback, nothing configured: the embedded LogHub key, no metadata request');
    const disabled = process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED;
    delete process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED; // the library reads it from process.env; nothing is asked here
    try {
      assert.equal(origin({}), 'ecs_ram_role', 'a remote endpoint with nothing configured: the ECS RAM role, last');
    } finally {
      if (disabled !== undefined) process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = disabled;
    }
    assert.throws(
      () => chooseCredentials({ env: { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }, homedir: home }),
      /no credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or ALIBABA_CLOUD_CREDENTIALS_URI, or ALIBABA_CLOUD_ROLE_ARN .*ALIBABA_CLOUD_ECS_METADATA_DISABLED=true/,
    );
    mkdirSync(path.join(home, '.alibabacloud'));
    writeFileSync(
      path.join(home, '.alibabacloud', 'credentials'),
      '[default]\ntype = access_key\naccess_key_id = pa\naccess_key_secret = ps\n',
    );
    assert.equal(origin({}, true), 'profile', 'a profile is read before the loopback default and before the metadata service');
    assert.equal(origin({ ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:1/' }), 'credential_uri', 'the URI before the profile');
    mkdirSync(path.join(home, '.aliyun'));
    writeFileSync(path.join(home, '.aliyun', 'config.json'), '{}');
    assert.equal(origin({}), 'cli_profile');
    assert.equal(origin({ ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' }), 'profile');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('the LogHub accepts an STS token until its expiration and then refuses it as SLS does; a rotated file is read without a restart', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-sts-'));
  const keysFile = path.join(dir, 'keys.json');
  let now = Date.UTC(2026, 11, 6, 4, 0, 0);
  const issuer = await startStsIssuer({ keysFile, lifeMs: 3000, now: () => now });
  const hub = await startLogHub({ memory: true, accessKeysFile: keysFile, now: () => now });
  const clientWith = (c: { accessKeyId: string; accessKeySecret: string; securityToken?: string }) =>
    new LogClient({ endpoint: hub.endpoint, credentials: c, retry: { retries: 0 }, now: () => new Date(now) });
  try {
    const k1 = issuer.issue();
    const c1 = clientWith(k1);
    await c1.createProject({ project: 'sts-p' });
    const wrong = clientWith({ ...k1, securityToken: 'forged' });
    await assert.rejects(
      wrong.listProject(),
      (e: unknown) =>
        e instanceof SlsServiceError &&
        e.code === 'Unauthorized' &&
        e.httpStatus === 401 &&
        e.message === 'The security token you provided is invalid.',
    );
    now += 3000;
    await assert.rejects(
      c1.getProject({ project: 'sts-p' }),
      (e: unknown) =>
        e instanceof SlsServiceError &&
        e.code === 'Unauthorized' &&
        e.httpStatus === 401 &&
        e.message === 'The security token you provided has expired.',
    );
    const k2 = issuer.issue();
    assert.equal((await clientWith(k2).getProject({ project: 'sts-p' })).projectName, 'sts-p', 'a key written after start is accepted');
    assert.equal((await clientWith(DEFAULT_ACCESS_KEY).listProject()).count, 1, 'the fixed key is still accepted');
    for (const c of [c1, wrong]) c.close();
  } finally {
    await hub.close();
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a client over the chain: keys fetched from a credentials URI, refreshed once when SLS says they expired, never per request', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-sts-'));
  const keysFile = path.join(dir, 'keys.json');
  let now = Date.now();
  const issuer = await startStsIssuer({ keysFile, lifeMs: 3000, now: () => now });
  const hub = await startLogHub({ memory: true, accessKeysFile: keysFile, now: () => now });
  const chosen = chooseCredentials({ env: { ALIBABA_CLOUD_CREDENTIALS_URI: issuer.uri }, homedir: dir, loopback: true });
  assert.ok(chosen.kind === 'provider' && chosen.origin === 'credential_uri');
  const source = new RefreshingCredentials({
    provider: chosen.provider,
    origin: chosen.origin,
    refreshIntervalMs: 3_600_000,
    now: () => now,
  });
  const client = new LogClient({ endpoint: hub.endpoint, credentials: source, retry: { retries: 0 }, now: () => new Date(now) });
  try {
    await client.createProject({ project: 'chain-p' });
    for (let i = 0; i < 20; i++) await client.getProject({ project: 'chain-p' });
    assert.equal(issuer.issued.length, 1, '21 requests, one fetch');
    now += 4000; // the token expired; the source's interval has not
    assert.equal((await client.getProject({ project: 'chain-p' })).projectName, 'chain-p');
    assert.equal(issuer.issued.length, 2, 'the refused token was refreshed once and the request sent again');
    assert.equal((await source.current()).accessKeyId, 'STS.test2');
    assert.ok(guard.attempts.length > 0 && guard.attempts.every((a) => a === '127.0.0.1'), guard.attempts.join(','));
  } finally {
    client.close();
    await hub.close();
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

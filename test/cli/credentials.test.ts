// `run` with rotating STS keys, as on ECS or ACK: keys from a credentials URI (a loopback stand-in
// issuing a new key each fetch, living 3 s), a LogHub that accepts each token only until it expires,
// and a job that keeps working across the rotations: no failed task, every invocation's context
// carrying keys that were valid when it ran.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogClient } from '../../src/client/index.js';
import { DEFAULT_ACCESS_KEY, startLogHub } from '../../src/loghub/index.js';
import { runCli, startCli, type Cli } from '../helpers/cli.js';
import { startOidcSts, startStsIssuer } from '../helpers/stsIssuer.js';

const FUNCTION = `import { appendFileSync } from 'node:fs';
export async function handler(event, context) {
  const c = context.credentials;
  appendFileSync(process.env.SEEN_FILE, JSON.stringify({ at: Date.now(), id: c.accessKeyId, token: c.securityToken }) + '\\n');
  return {};
}
`;

interface Seen {
  at: number;
  id: string;
  token: string;
}

test('run across 6+ key rotations: 0 failed tasks, the function context holds the current keys', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-rotate-'));
  const keysFile = path.join(dir, 'keys.json');
  const seenFile = path.join(dir, 'seen.jsonl');
  const issuer = await startStsIssuer({ keysFile, lifeMs: 3000 });
  const hub = await startLogHub({ memory: true, accessKeysFile: keysFile });
  const producer = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY });
  let run: Cli | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    await producer.createProject({ project: 'rot' });
    await producer.createLogStore({ project: 'rot', logstore: 'src', shardCount: 2 });
    await producer.createLogStore({ project: 'rot', logstore: 'log', shardCount: 1 });
    let n = 0;
    const put = () =>
      producer.putLogs({
        project: 'rot',
        logstore: 'src',
        logGroup: { logs: [{ time: Math.floor(Date.now() / 1000), contents: [{ key: 'n', value: String(++n) }] }], logTags: [] },
      });
    timer = setInterval(() => void put().catch(() => undefined), 200);
    writeFileSync(path.join(dir, 'fn.mjs'), FUNCTION);
    writeFileSync(
      path.join(dir, 'job.json'),
      JSON.stringify({
        endpoint: hub.endpoint,
        project: 'rot',
        jobName: 'rot-job',
        sourceConfig: { logstore: 'src', startTime: 'begin' },
        jobConfig: { triggerInterval: 1 },
        logConfig: { project: 'rot', logstore: 'log' },
        target: { type: 'local', module: path.join(dir, 'fn.mjs') },
      }),
    );
    const env: NodeJS.ProcessEnv = {
      HOME: dir,
      ALIBABA_CLOUD_CREDENTIALS_URI: issuer.uri,
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      ALIBABA_CLOUD_ACCESS_KEY_ID: '',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: '',
      SEEN_FILE: seenFile,
    };
    run = startCli(['run', '-c', path.join(dir, 'job.json'), '--credentials-refresh', '1'], { env, cwd: dir });
    const seen = (): Seen[] =>
      existsSync(seenFile)
        ? readFileSync(seenFile, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as Seen)
        : [];
    await run.waitFor((l, s) => s === 'stdout' && l.includes('"task_status"') && new Set(seen().map((x) => x.id)).size >= 6);
    run.child.kill('SIGTERM');
    assert.equal(await run.exit, 0);

    assert.ok(
      run.stderr.some((l) => l === 'credentials: credential_uri, refreshed every 1s'),
      run.stderr.join('\n'),
    );
    const records = run.stdout.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { task_status?: string });
    const statuses = records.map((r) => r.task_status).filter((s) => s !== undefined);
    assert.ok(statuses.length >= 6, `${statuses.length} tasks`);
    assert.deepEqual([...new Set(statuses)], ['Success'], 'no task failed or was retried');
    assert.deepEqual(
      run.stderr.filter((l) => /warning|Unauthorized|expired/i.test(l) && !l.includes('triggerInterval')),
      [],
    );
    const byId = new Map(issuer.issued.map((k) => [k.accessKeyId, k]));
    for (const s of seen()) {
      const k = byId.get(s.id);
      assert.ok(k, `the function saw ${s.id}, which was issued`);
      assert.equal(s.token, k.securityToken);
      assert.ok(s.at < Date.parse(k.expiration), `${s.id} was still valid when the function ran`);
    }
    assert.ok(issuer.issued.length >= 6, `${issuer.issued.length} keys issued`);
  } finally {
    clearInterval(timer);
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
    producer.close();
    await hub.close();
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A job over a fresh LogHub project: 1 shard holding one log, a schedule-log logstore, the recording function. */
async function recordingJob(dir: string, endpoint: string, project: string): Promise<string> {
  const c = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY });
  try {
    await c.createProject({ project });
    await c.createLogStore({ project, logstore: 'src', shardCount: 1 });
    await c.createLogStore({ project, logstore: 'log', shardCount: 1 });
    await c.putLogs({ project, logstore: 'src', logGroup: { logs: [{ time: 1, contents: [{ key: 'n', value: '1' }] }], logTags: [] } });
  } finally {
    c.close();
  }
  writeFileSync(path.join(dir, 'fn.mjs'), FUNCTION);
  const job = path.join(dir, 'job.json');
  writeFileSync(
    job,
    JSON.stringify({
      endpoint,
      project,
      jobName: `${project}-job`,
      sourceConfig: { logstore: 'src', startTime: 'begin' },
      jobConfig: { triggerInterval: 60 },
      logConfig: { project, logstore: 'log' },
      target: { type: 'local', module: path.join(dir, 'fn.mjs') },
    }),
  );
  return job;
}

test('RRSA (OIDC role ARN): run --once assumes the role at a loopback STS over HTTPS and works with the STS keys', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-rrsa-'));
  const [tokenFile, keysFile, seenFile] = ['oidc-token', 'keys.json', 'seen.jsonl'].map((f) => path.join(dir, f));
  // a certificate for 127.0.0.1 (and localhost), valid to 2126, trusted by the child through NODE_EXTRA_CA_CERTS
  const certFile = fileURLToPath(new URL('../fixtures/tls/cert.pem', import.meta.url));
  const keyFile = fileURLToPath(new URL('../fixtures/tls/key.pem', import.meta.url));
  writeFileSync(tokenFile, 'eyJ.oidc-token-from-the-service-account');
  const sts = await startOidcSts({
    keysFile,
    lifeMs: 3_600_000,
    tls: { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') },
  });
  const hub = await startLogHub({ memory: true, accessKeysFile: keysFile });
  try {
    const job = await recordingJob(dir, hub.endpoint, 'rrsa');
    const out = await runCli(['run', '-c', job, '--once'], {
      cwd: dir,
      env: {
        HOME: dir,
        NODE_EXTRA_CA_CERTS: certFile,
        ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/sls-trigger',
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::1:oidc-provider/ack-rrsa-c1',
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile,
        ALIBABA_CLOUD_STS_ENDPOINT: sts.endpoint,
        ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
        ALIBABA_CLOUD_ACCESS_KEY_ID: '',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: '',
        SEEN_FILE: seenFile,
      },
    });
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stderr, /^credentials: oidc_role_arn, refreshed every 60s$/m);
    assert.match(out.stdout, /"task_status":"Success"/);
    assert.equal(sts.calls.length, 1, 'one AssumeRoleWithOIDC for the whole run');
    const [call] = sts.calls;
    assert.deepEqual(
      [call.method, call.query.Action, call.query.Version, call.query.Format],
      ['POST', 'AssumeRoleWithOIDC', '2015-04-01', 'JSON'],
    );
    assert.deepEqual(
      [call.form.RoleArn, call.form.OIDCProviderArn, call.form.OIDCToken],
      ['acs:ram::1:role/sls-trigger', 'acs:ram::1:oidc-provider/ack-rrsa-c1', 'eyJ.oidc-token-from-the-service-account'],
    );
    assert.ok(call.form.RoleSessionName && Number(call.form.DurationSeconds) >= 900, JSON.stringify(call.form));
    const seen = JSON.parse(readFileSync(seenFile, 'utf8').trim().split('\n')[0]) as Seen;
    assert.deepEqual(
      [seen.id, seen.token],
      [sts.issued[0].accessKeyId, sts.issued[0].securityToken],
      "the function context holds the role's keys",
    );
  } finally {
    await hub.close();
    await sts.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

// The deploy files cannot drift from the CLI: every command line in the Dockerfile, the Kubernetes
// Deployment and the systemd unit is a `run` the CLI accepts (each flag one `run --help` lists),
// the config path is where the ConfigMap is mounted and its job.json is a valid job config, and one
// port (`--metrics`) is the one exposed, scraped and probed, on the paths the probe server answers.
// (No image is built here: there is no registry to pull a base image from.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { LoopWatch, probeAnswer } from '../../src/console/index.js';
import { parseJobConfig } from '../../src/trigger/job/config.js';
import { repoRoot, runCli } from '../helpers/cli.js';

const read = (p: string) => readFileSync(path.join(repoRoot, p), 'utf8');

/** The long flags `sls-trigger run --help` lists. */
async function runFlags(): Promise<Set<string>> {
  const help = await runCli(['run', '--help']);
  assert.equal(help.code, 0, help.stderr);
  return new Set([...help.stdout.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]));
}

/** `run` command line → its flags' values; fails on a flag `run` does not have. */
function parseRun(args: string[], flags: Set<string>): Map<string, string> {
  assert.equal(args[0], 'run', `${args.join(' ')} runs a job`);
  const values = new Map<string, string>();
  for (let i = 1; i < args.length; i += 2) {
    assert.ok(flags.has(args[i]), `${args[i]} is an option of sls-trigger run`);
    values.set(args[i], args[i + 1]);
  }
  return values;
}

const portOf = (listen: string) => Number(listen.split(':').at(-1));

test('Dockerfile: non-root, an init process, the lockfile without dev dependencies, a run the CLI accepts', async () => {
  const docker = read('Dockerfile');
  const flags = await runFlags();
  const json = (instruction: string) => JSON.parse(new RegExp(`^${instruction} (\\[.*\\])$`, 'm').exec(docker)![1]) as string[];
  assert.deepEqual(json('ENTRYPOINT'), ['/usr/bin/tini', '--', 'sls-trigger']);
  const cmd = parseRun(json('CMD'), flags);
  assert.equal(cmd.get('--config'), '/etc/sls-trigger/job.json');
  assert.equal(Number(/^EXPOSE (\d+)$/m.exec(docker)![1]), portOf(cmd.get('--metrics')!));
  assert.match(docker, /^USER node$/m);
  assert.match(docker, /npm ci .*&& npm prune --omit=dev/);
  assert.match(read('.dockerignore'), /^node_modules$/m);
});

test('Kubernetes: the Deployment runs what the image runs, on the mounted config, probed and scraped on the metrics port', async () => {
  const flags = await runFlags();
  const deployment = parse(read('deploy/kubernetes/deployment.yaml'));
  const configMap = parse(read('deploy/kubernetes/configmap.yaml'));
  const pod = deployment.spec.template;
  const [container] = pod.spec.containers;
  const args = parseRun(container.args, flags);
  const port = portOf(args.get('--metrics')!);
  assert.deepEqual(
    [container.ports[0].containerPort, container.livenessProbe.httpGet.port, container.readinessProbe.httpGet.port],
    [port, port, port],
  );
  assert.equal(Number(pod.metadata.annotations['prometheus.io/port']), port);
  // the config file is the ConfigMap's key, where its volume is mounted
  const mount = container.volumeMounts.find((m: { name: string }) => m.name === 'job');
  assert.equal(pod.spec.volumes.find((v: { name: string }) => v.name === 'job').configMap.name, configMap.metadata.name);
  const [key] = Object.keys(configMap.data);
  assert.equal(args.get('--config'), `${mount.mountPath}/${key}`);
  const job = parseJobConfig(JSON.parse(configMap.data[key]));
  assert.equal(job.target.type, 'fc3');
  assert.ok(pod.spec.terminationGracePeriodSeconds > job.invocationTimeoutSeconds, 'in-flight invocations finish before the kill');
  // the probe and scrape paths are the ones the probe server answers
  const watch = new LoopWatch();
  try {
    const sources = { registries: [], readiness: () => ({ ready: true }) };
    for (const p of [
      container.livenessProbe.httpGet.path,
      container.readinessProbe.httpGet.path,
      pod.metadata.annotations['prometheus.io/path'],
    ])
      assert.equal((await probeAnswer(p, sources, watch))?.status, 200, p);
  } finally {
    watch.close();
  }
  assert.equal(pod.spec.securityContext.runAsNonRoot, true);
  // the credentials are the environment variables the CLI reads: optional static keys, else RRSA
  // through the ServiceAccount the Deployment names
  assert.deepEqual(
    container.env.map((e: { name: string; valueFrom: { secretKeyRef: { optional: boolean } } }) => [
      e.name,
      e.valueFrom.secretKeyRef.optional,
    ]),
    [
      ['ALIBABA_CLOUD_ACCESS_KEY_ID', true],
      ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', true],
    ],
  );
  const account = parse(read('deploy/kubernetes/serviceaccount.yaml'));
  assert.equal(pod.spec.serviceAccountName, account.metadata.name);
  assert.ok(account.metadata.annotations['pod-identity.alibabacloud.com/role-name']);
});

test('systemd: ExecStart is the installed CLI with a run it accepts; stop waits longer than the default invocation timeout', async () => {
  const unit = read('deploy/systemd/sls-trigger.service');
  const [bin, ...args] = /^ExecStart=(.*)$/m.exec(unit)![1].split(' ');
  assert.equal(bin, '/usr/local/bin/sls-trigger');
  const values = parseRun(args, await runFlags());
  assert.equal(values.get('--config'), '/etc/sls-trigger/job.json');
  assert.match(values.get('--metrics')!, /^127\.0\.0\.1:\d+$/);
  const defaults = parseJobConfig(JSON.parse(Object.values(parse(read('deploy/kubernetes/configmap.yaml')).data)[0] as string));
  assert.ok(Number(/^TimeoutStopSec=(\d+)$/m.exec(unit)![1]) > defaults.invocationTimeoutSeconds);
});

// A finished job for the console's tests: 2 shards with known logs (a0..a5 on shard 0, b0..b5 on
// shard 1), a createHandler function that logs a line per batch and fails on b3, one retry, then
// the failed range dead-lettered into a directory; process logs in their own logstore; and the
// console started on the job's manual clock, sampled between ticks.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startConsole } from '../../src/console/index.js';
import { serveSaved } from '../../src/cli/job.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { createHandler } from '../../src/runtime/index.js';
import type { FcHandler } from '../../src/trigger/invokers/inProcess.js';
import { readinessOf, TriggerMetrics } from '../../src/trigger/index.js';
import { startJob } from './job.js';

export const POISON = 'b3';
export const SHARD_KEY = ['00000000000000000000000000000001', 'ffffffffffffffffffffffffffffffff'] as const;

function poisonedHandler(): FcHandler {
  const handler = createHandler(
    (batch, ctx) => {
      const ids: string[] = [];
      for (const g of batch.groups) for (let i = 0; i < g.logCount; i++) ids.push(g.value(i, 0));
      ctx.logger.info(`batch of ${ids.length}: ${ids.join(',')}`);
      if (ids.includes(POISON)) throw new Error(`cannot process ${POISON}`);
      return true;
    },
    { batchSize: 10, credentials: DEFAULT_ACCESS_KEY },
  );
  return ((event: Buffer, ctx: Parameters<FcHandler>[1]) => handler(JSON.parse(event.toString()), ctx)) as FcHandler;
}

export async function startConsoleJob(opts: { operatorSecret?: string } = {}) {
  const dlDir = mkdtempSync(path.join(os.tmpdir(), 'slst-console-dl-'));
  const job = await startJob({
    shards: 2,
    handler: poisonedHandler(),
    config: (project) => ({
      jobConfig: { triggerInterval: 60, maxRetryTime: 1 },
      onRetriesExhausted: 'deadLetter',
      deadLetter: { dir: dlDir },
      target: { type: 'local', module: 'unused.js', functionName: 'etl', processLog: { project, logstore: 'fn-log' } },
    }),
  });
  const project = job.project;
  await job.t.client.createLogStore({ project, logstore: 'fn-log', shardCount: 1 });
  const metrics = new TriggerMetrics();
  metrics.attach(job.scheduler, job.config);
  const console = await startConsole({
    client: job.client,
    job: job.config,
    now: job.clock.now,
    sampleMs: 3_600_000,
    credentials: DEFAULT_ACCESS_KEY,
    invoker: job.invoker,
    mode: 'live',
    canServeSaved: true,
    serveSaved,
    registries: [metrics.registry],
    token: 'test-token',
    operatorSecret: opts.operatorSecret,
    readiness: () => readinessOf(job.scheduler.health()),
  });
  const ids = { 0: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'], 1: ['b0', 'b1', 'b2', 'b3', 'b4', 'b5'] };
  for (const shard of [0, 1] as const)
    for (const id of ids[shard])
      await job.t.client.putLogs({
        project,
        logstore: 'source',
        hashKey: SHARD_KEY[shard],
        logGroup: {
          logs: [{ time: Math.floor(job.clock.now() / 1000), contents: [{ key: 'id', value: id }] }],
          topic: `t${shard}`,
          logTags: [],
        },
      });
  const done = { shipped: false, deadLettered: false };
  job.scheduler.on('task', (t) => t.task_status === 'Success' && (done.shipped = true));
  job.scheduler.on('deadLetter', () => (done.deadLettered = true));
  /** ticks with a sample after each, until shard 0 shipped and shard 1's poison range was dead-lettered, and one more */
  async function run(): Promise<void> {
    for (let i = 0, after = 0; i < 30 && after < 2; i++) {
      await job.scheduler.tick();
      await job.scheduler.whenIdle();
      job.clock.advance(20_000);
      await console.sample();
      if (done.shipped && done.deadLettered) after++;
    }
  }
  return {
    job,
    project,
    dlDir,
    ids,
    metrics,
    console,
    run,
    async close() {
      await console.close();
      await job.close();
      rmSync(dlDir, { recursive: true, force: true });
    },
  };
}

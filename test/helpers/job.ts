// A trigger job against an embedded LogHub, with a manual clock and an in-process handler that
// reads its range and records every log id it saw, in order.
import { LogClient } from '../../src/client/index.js';
import { decodeLogGroupListFast } from '../../src/codec/index.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { parseJobConfig, type JobConfigInput } from '../../src/trigger/job/config.js';
import { ManualClock } from '../../src/trigger/engine/clock.js';
import {
  eventRange,
  parseEvent,
  readRange as readPages,
  scanLogstore,
  type LogstoreRef,
  type TriggerEvent,
} from '../../src/event/index.js';
import { InProcessInvoker, type FcHandler } from '../../src/trigger/invokers/inProcess.js';
import { Scheduler } from '../../src/trigger/engine/scheduler.js';
import { randomName, startTestHub } from './hub.js';

export interface Seen {
  shardId: number;
  id: string;
  taskId: string;
}

/** Every log's first value in the event's range, read with the handler's own range reader. */
export async function readRange(client: LogClient, e: TriggerEvent): Promise<string[]> {
  const ids: string[] = [];
  const pages = readPages({
    client,
    ...eventRange(e),
    batchSize: 100,
    retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
  });
  for await (const page of pages) for (const g of page.result.groups) for (let i = 0; i < g.logCount; i++) ids.push(g.value(i, 0));
  return ids;
}

/** The first value of every log in a base64 LogGroupList (a dead letter's or a fixture's data). */
export function idsIn(logGroupList: string): string[] {
  const ids: string[] = [];
  for (const g of decodeLogGroupListFast(Buffer.from(logGroupList, 'base64'))) for (let i = 0; i < g.logCount; i++) ids.push(g.value(i, 0));
  return ids;
}

/**
 * A LogClient whose calls fail as `fault(method, params)` says (undefined = pass through): SLS
 * outages and failing writes, shaped as the real client reports them.
 */
export function faultyClient(client: LogClient, fault: (method: string, params: Record<string, unknown>) => Error | undefined): LogClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (params: Record<string, unknown>, ...rest: unknown[]) => {
        const e = fault(prop, params ?? {});
        if (e) return Promise.reject(e);
        return (value as (...a: unknown[]) => unknown).call(target, params, ...rest);
      };
    },
  });
}

/** Every log of a logstore (all shards, through the one logstore scan), as its contents by key. */
export async function readLogstore(client: LogClient, at: LogstoreRef): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = [];
  for await (const { fields } of scanLogstore(client, at, { from: 'begin' })) {
    const { __time__: _, ...contents } = fields;
    out.push(contents);
  }
  return out;
}

export async function startJob(opts: {
  shards: number;
  /** config overrides, or a function of the job's (random) project name */
  config?: Partial<JobConfigInput> | ((project: string) => Partial<JobConfigInput>);
  fail?: (e: TriggerEvent, attempt: number) => boolean;
  afterRead?: (e: TriggerEvent) => Promise<void>;
  /** the function instead of the recording one (e.g. a createHandler handler) */
  handler?: FcHandler;
  /** faults for the scheduler's client only (the function reads through its own) */
  schedulerFault?: (method: string, params: Record<string, unknown>) => Error | undefined;
}) {
  const clock = new ManualClock();
  // A createHandler function signs its reads with the real time, not the manual clock's.
  const limits = opts.handler ? { clockSkewSeconds: 100 * 365 * 86400 } : undefined;
  const t = await startTestHub('memory', { now: clock.now, ...(limits && { limits }) });
  const project = randomName('job');
  await t.client.createProject({ project });
  await t.client.createLogStore({ project, logstore: 'source', shardCount: opts.shards });
  await t.client.createLogStore({ project, logstore: 'trigger-log', shardCount: 1 });
  await t.client.createLogStore({ project, logstore: 'dead-letter', shardCount: 1 });
  const client = new LogClient({
    endpoint: t.hub.endpoint,
    credentials: DEFAULT_ACCESS_KEY,
    now: () => new Date(clock.now()),
    retry: { retries: 0 },
  });
  const seen: Seen[] = [];
  const events: TriggerEvent[] = [];
  const attempts = new Map<string, number>();
  const invoker = new InProcessInvoker(
    opts.handler ??
      (async (buf: Buffer) => {
        const e = parseEvent(buf);
        events.push(e);
        const n = (attempts.get(e.taskId) ?? 0) + 1;
        attempts.set(e.taskId, n);
        if (opts.fail?.(e, n)) throw new Error(`planned failure ${n} of ${e.taskId}`);
        const ids = await readRange(client, e);
        for (const id of ids) seen.push({ shardId: e.source.shardId, id, taskId: e.taskId });
        await opts.afterRead?.(e);
        return { ingestLines: ids.length, ingestBytes: 0, shipLines: ids.length, shipBytes: 0 };
      }),
  );

  const config = parseJobConfig({
    endpoint: t.hub.endpoint,
    project,
    sourceConfig: { logstore: 'source', startTime: 'begin' },
    jobConfig: { triggerInterval: 60, maxRetryTime: 2 },
    logConfig: { project, logstore: 'trigger-log' },
    target: { type: 'local', module: 'unused.js' },
    heartbeatIntervalSeconds: 5,
    ...(typeof opts.config === 'function' ? opts.config(project) : opts.config),
  });
  const newScheduler = (name: string) =>
    new Scheduler({
      config,
      client: opts.schedulerFault ? faultyClient(client, opts.schedulerFault) : client,
      invoker,
      clock,
      consumerName: name,
      functionCredentials: DEFAULT_ACCESS_KEY,
      scheduleSink: null,
      random: () => 0.5,
      retryBaseMs: 1000,
      retryMaxMs: 8000,
    });
  const scheduler = newScheduler('instance-a');
  /** ticks (advancing the clock `stepMs` each time) until `done()` or `max` ticks */
  async function runUntil(done: () => boolean, s = scheduler, stepMs = 2000, max = 200) {
    for (let i = 0; i < max && !done(); i++) {
      await s.tick();
      await s.whenIdle();
      clock.advance(stepMs);
    }
  }
  async function put(ids: string[], hashKey?: string) {
    await t.client.putLogs({
      project,
      logstore: 'source',
      hashKey,
      logGroup: { logs: ids.map((id) => ({ time: Math.floor(clock.now() / 1000), contents: [{ key: 'id', value: id }] })), logTags: [] },
    });
  }
  const scheduleLogs = () => readLogstore(t.client, { project, logstore: 'trigger-log' });
  return {
    t,
    clock,
    project,
    client,
    seen,
    events,
    attempts,
    config,
    invoker,
    scheduler,
    newScheduler,
    runUntil,
    put,
    scheduleLogs,
    async close() {
      client.close();
      await t.close();
    },
  };
}

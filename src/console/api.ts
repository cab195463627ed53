// The console's JSON API: one handler per endpoint, each a library call (admin, task history, dead
// letters, redrive, replay) with its query or body checked here. Handlers throw SlsArgumentError
// for bad input (400, naming the parameter); SLS errors keep their status.
import type { Registry } from 'prom-client';
import type { CredentialsInput, LogClient } from '../client/index.js';
import { addToCursor } from '../codec/index.js';
import { SlsArgumentError, wholeNumberIn } from '../errors/index.js';
import {
  deadLetterWhere,
  eventForCursors,
  parseTimePoint,
  processLogOf,
  readDeadLetters,
  readProcessLines,
  readTaskHistory,
  redrive,
  replay as replayRanges,
  replayEvents,
  resetCheckpoints,
  targetName,
  formatDuration,
  timeToLossText,
  type Invoker,
  type JobConfig,
  type ServeSaved,
  type TimePoint,
  TaskStatus,
} from '../trigger/index.js';
import type { History } from './history.js';

export interface ConsoleDeps {
  readonly client: LogClient;
  readonly job: JobConfig;
  readonly history: History;
  readonly now: () => number;
  /** runs the job's function for replay and redrive (absent: those answer 409) */
  readonly invoker?: Invoker;
  readonly credentials: CredentialsInput;
  readonly serveSaved?: ServeSaved;
  readonly canServeSaved: boolean;
  readonly registries: readonly Registry[];
  /** 'live' when the job runs in this process (dev, run --console), 'standalone' otherwise */
  readonly mode: 'live' | 'standalone';
}

export type Query = URLSearchParams;
export type Body = Record<string, unknown>;

function intParam(q: Query, name: string, min: number, max: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = wholeNumberIn(v, name, min, max);
  if (typeof n !== 'number') throw new SlsArgumentError(n.problem);
  return n;
}

function timeParam(q: Query, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const t = parseTimePoint(v, name);
  if (typeof t !== 'number') throw new SlsArgumentError(`${name} must be unix seconds or an ISO date, not ${JSON.stringify(v)}`);
  return t;
}

function bodyString(b: Body, name: string): string {
  const v = b[name];
  if (typeof v !== 'string' || v === '') throw new SlsArgumentError(`body field ${name} must be a non-empty string`);
  return v;
}

function bodyShard(b: Body, required: boolean): number | undefined {
  const v = b.shardId;
  if (v === undefined || v === null) {
    if (required) throw new SlsArgumentError('body field shardId is required');
    return undefined;
  }
  if (!Number.isInteger(v) || (v as number) < 0)
    throw new SlsArgumentError(`body field shardId must be a shard id, not ${JSON.stringify(v)}`);
  return v as number;
}

const requireInvoker = (d: ConsoleDeps): Invoker => {
  if (!d.invoker) throw new SlsArgumentError('this console has no function to invoke (start it with the job config that names one)');
  return d.invoker;
};

export function overview(d: ConsoleDeps) {
  const j = d.job;
  return {
    mode: d.mode,
    time: d.now(),
    job: {
      name: j.jobName,
      project: j.project,
      logstore: j.logstore,
      triggerInterval: j.triggerInterval,
      maxRetryTime: j.maxRetryTime,
      target: targetName(j.target),
      scheduleLog: `${j.logConfig.project}/${j.logConfig.logstore}`,
      deadLetter: j.deadLetter ? deadLetterWhere(j.deadLetter.target) : null,
      canInvoke: d.invoker !== undefined,
    },
    /** every status a schedule-log record can carry (the tasks filter offers these) */
    taskStatuses: Object.values(TaskStatus),
    // printed as status and dev print it (one formatter)
    shards: d.history.shards.map((s) => ({ ...s, lagText: formatDuration(s.lagSeconds), timeToLossText: timeToLossText(s) })),
  };
}

export function series(d: ConsoleDeps) {
  const h = d.history;
  return { lag: h.lag, intervals: h.intervals, durations: h.durations, triggerInterval: d.job.triggerInterval, keep: h.keep };
}

/** Without `from`, the last hour: a scan from the schedule log's beginning would read days of records per request. */
const DEFAULT_TASK_WINDOW_SECONDS = 3600;

export async function tasks(d: ConsoleDeps, q: Query) {
  const filter = {
    shardId: intParam(q, 'shard', 0, 1e9),
    status: q.get('status') || undefined,
    from: timeParam(q, 'from') ?? Math.floor(d.now() / 1000) - DEFAULT_TASK_WINDOW_SECONDS,
    to: timeParam(q, 'to'),
    limit: intParam(q, 'limit', 1, 5000),
  };
  const records = await readTaskHistory(d.client, d.job.logConfig, d.job.jobName, filter);
  return { tasks: records };
}

/** One task's event (rebuilt from its record, as the trigger built it) and its process-log lines. */
export async function taskDetail(d: ConsoleDeps, q: Query) {
  const shardId = intParam(q, 'shard', 0, 1e9);
  const begin = q.get('begin');
  const end = q.get('end');
  if (shardId === undefined || !begin || !end) throw new SlsArgumentError('shard, begin and end are required');
  const event = await eventForCursors(sourceOf(d), shardId, begin, end);
  const requestId = q.get('requestId');
  const processLog = processLogOf(d.job.target);
  const lines = requestId && processLog ? await readProcessLines(d.client, processLog, requestId, timeParam(q, 'since')) : [];
  return { event, logs: lines, processLog: processLog ? `${processLog.project}/${processLog.logstore}` : null };
}

const sourceOf = (d: ConsoleDeps) => ({
  client: d.client,
  endpoint: d.client.endpoint.url,
  project: d.job.project,
  logstore: d.job.logstore,
  jobName: d.job.jobName,
  parameter: d.job.functionParameter,
});

export async function deadLetters(d: ConsoleDeps) {
  if (!d.job.deadLetter) return { target: null, letters: [] };
  const set = await readDeadLetters(d.client, d.job.deadLetter.target);
  return {
    target: deadLetterWhere(d.job.deadLetter.target),
    letters: set.letters
      .map(({ logGroupList: _bytes, event: _event, ...l }) => ({ ...l, redriven: set.redriven.get(l.id) ?? null }))
      .reverse(),
  };
}

export async function redriveLetter(d: ConsoleDeps, b: Body) {
  if (!d.job.deadLetter) throw new SlsArgumentError('the job has no deadLetter');
  if (!d.serveSaved) throw new SlsArgumentError('this console cannot serve saved bytes for redrive');
  const id = bodyString(b, 'id');
  const report = await redrive({
    client: d.client,
    target: d.job.deadLetter.target,
    invoker: requireInvoker(d),
    credentials: d.credentials,
    timeoutMs: d.job.invocationTimeoutSeconds * 1000,
    filter: { task: id, all: true },
    serveSaved: d.serveSaved,
    canServeSaved: d.canServeSaved,
  });
  if (report.items.length === 0) throw new SlsArgumentError(`no dead letter ${JSON.stringify(id)}`);
  return report;
}

/** Runs the function once over [beginCursor, endCursor) of a shard: no checkpoint moves. */
export async function replay(d: ConsoleDeps, b: Body) {
  const shardId = bodyShard(b, true)!;
  const sel = { shardId, beginCursor: bodyString(b, 'beginCursor'), endCursor: bodyString(b, 'endCursor') };
  const [r] = await replayRanges(await replayEvents(sourceOf(d), sel), {
    invoker: requireInvoker(d),
    credentials: d.credentials,
    timeoutMs: d.job.invocationTimeoutSeconds * 1000,
  });
  return r.ok
    ? { ok: true, requestId: r.requestId, result: r.body, logs: r.logs }
    : { ok: false, requestId: r.requestId, error: r.error, logs: r.logs };
}

export async function preview(d: ConsoleDeps, q: Query) {
  const shardId = intParam(q, 'shard', 0, 1e9) ?? 0;
  const from = parseTimePoint(q.get('from') || 'begin', 'from');
  const count = intParam(q, 'count', 1, 1000) ?? 10;
  const at = { project: d.job.project, logstore: d.job.logstore, shardId };
  const cursor = await d.client.getCursor({ ...at, from });
  const spl = q.get('spl')?.trim() || undefined;
  if (spl) {
    // through SPL: `count` groups scanned, only what the SPL keeps shown (a group's cursor is not known then)
    const page = await d.client.pullLogs({ ...at, cursor, count, query: spl });
    return { shardId, cursor, spl: page.spl, groups: page.groups.map((g) => g.toLogGroup()) };
  }
  const page = await d.client.pullLogs({ ...at, cursor, count });
  return { shardId, cursor, groups: page.groups.map((g, i) => ({ cursor: addToCursor(cursor, i), ...g.toLogGroup() })) };
}

export async function resetCheckpoint(d: ConsoleDeps, b: Body) {
  const raw = b.to;
  let to: TimePoint;
  if (raw === 'begin' || raw === 'end') to = raw;
  else if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) to = raw;
  else if (typeof raw === 'string') to = parseTimePoint(raw, 'to');
  else throw new SlsArgumentError('body field to must be begin, end, unix seconds or an ISO date');
  const checkpoints = await resetCheckpoints(d.client, d.job, {
    to,
    shardId: bodyShard(b, false),
    force: b.force === true,
    forceHint: 'tick "force" to reset anyway',
    consumer: 'sls-trigger-console',
    now: d.now,
  });
  return { checkpoints };
}

// Resolving one invocation: the event (validated), the parameter (validated), the credentials (FC's
// STS keys from the context, else the handler's), a client for the source, the deadline, and the
// context processData gets.
import { LogClient } from '../client/index.js';
import { parseEvent, type Credentials, type TriggerEvent, type Validator } from '../event/index.js';
import type { FcContextLike, ProcessContext, TaskLogger } from './types.js';
import { SlsArgumentError } from '../errors/index.js';
import { decodeCursor, type FastLogGroup } from '../codec/index.js';
import type { Batch } from './batch.js';

/** time kept back from the function's timeout to report a failure before FC kills the instance */
const REPORT_MARGIN_MS = 1000;

export interface InvocationSetup<P> {
  readonly validateParameter?: Validator<P>;
  readonly credentials?: Credentials;
  readonly endpoint?: string;
  readonly now: () => number;
  /** how long reading may take when the context names no function timeout (local use) */
  readonly readBudgetMs: number;
  /** one client per endpoint and key, kept across invocations of a warm instance */
  readonly clients: Map<string, LogClient>;
}

export interface Invocation<P> {
  readonly event: TriggerEvent;
  readonly ctx: ProcessContext<P>;
  readonly client: LogClient;
  /** epoch ms (real time) by which reading must end: the function timeout less a margin, else readBudgetMs */
  readonly readDeadline: number;
  /** what set readDeadline, for the error when it passes */
  readonly readBudget: string;
  readonly startedAt: number;
  /** makes the batch's groups known to ctx.logId */
  track(batch: Batch): void;
  /** ctx.count's counters */
  readonly counters: Map<string, number>;
}

function taskLogger(fc: FcContextLike, e: TriggerEvent): TaskLogger {
  const prefix = `[job=${e.jobName} task=${e.taskId} shard=${e.source.shardId}]`;
  const out = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => {
    const line = fields ? `${prefix} ${msg} ${JSON.stringify(fields)}` : `${prefix} ${msg}`;
    const sink = fc.logger?.[level];
    if (sink) sink(line);
    else (level === 'error' ? console.error : console.log)(line);
  };
  return { debug: out('debug'), info: out('info'), warn: out('warn'), error: out('error') };
}

function clientFor(clients: Map<string, LogClient>, endpoint: string, creds: Credentials): LogClient {
  const key = `${endpoint}\n${creds.accessKeyId}\n${creds.securityToken ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    client = new LogClient({ endpoint, credentials: creds, retry: { retries: 0 } });
    clients.set(key, client);
  }
  return client;
}

/** ctx.logId: each tracked group's position in the shard (cursors step one per group) names its logs. */
function logIds(source: TriggerEvent['source']) {
  const positions = new WeakMap<FastLogGroup, bigint>();
  const track = (batch: Batch) => {
    const first = decodeCursor(batch.cursor);
    batch.groups.forEach((g, i) => positions.set(g, first + BigInt(i)));
  };
  const logId = (group: FastLogGroup, index: number) => {
    const at = positions.get(group);
    if (at === undefined) throw new SlsArgumentError('ctx.logId: the group is not from a batch of this invocation');
    if (!Number.isInteger(index) || index < 0 || index >= group.logCount)
      throw new SlsArgumentError(`ctx.logId: log index ${index} is outside the group's ${group.logCount} logs`);
    return `${source.projectName}/${source.logstoreName}/${source.shardId}/${at}/${index}`;
  };
  return { track, logId };
}

export function resolveInvocation<P>(rawEvent: unknown, fc: FcContextLike, setup: InvocationSetup<P>): Invocation<P> {
  const startedAt = setup.now();
  const event = parseEvent(rawEvent);
  const parameter = setup.validateParameter ? setup.validateParameter(event.parameter) : (event.parameter as P);
  const credentials = fc.credentials?.accessKeyId ? fc.credentials : setup.credentials;
  if (!credentials) throw new SlsArgumentError('no credentials: the FC context has none and createHandler({credentials}) was not given');
  const client = clientFor(setup.clients, setup.endpoint ?? event.source.endpoint, credentials);
  const timeoutMs = fc.function?.timeout ? fc.function.timeout * 1000 : undefined;
  const deadline = timeoutMs === undefined ? Infinity : startedAt + timeoutMs;
  // Real time: the reads' timeouts are real (setup.now is for the reported timings only).
  // Without a function timeout (local use) the read is still bounded: an endpoint that accepts and
  // never answers would otherwise hold the invocation for 20 retries of a full request timeout.
  const readDeadline =
    timeoutMs === undefined ? Date.now() + setup.readBudgetMs : Date.now() + timeoutMs - Math.min(REPORT_MARGIN_MS, timeoutMs / 10);
  const readBudget =
    timeoutMs === undefined
      ? `readBudgetMs ${setup.readBudgetMs} ms (the context names no function timeout)`
      : `the function timeout of ${timeoutMs / 1000} s`;
  const source = event.source;
  const { track, logId } = logIds(source);
  const counters = new Map<string, number>();
  const ctx: ProcessContext<P> = {
    shardId: source.shardId,
    beginCursor: source.beginCursor,
    endCursor: source.endCursor,
    cursorTime: event.cursorTime,
    jobName: event.jobName,
    taskId: event.taskId,
    requestId: fc.requestId ?? '',
    parameter,
    event,
    logger: taskLogger(fc, event),
    client,
    credentials,
    remainingTimeMs: () => deadline - setup.now(),
    logId,
    count: (name, by = 1) => {
      if (typeof name !== 'string' || name === '') throw new SlsArgumentError('ctx.count: the counter name must be a non-empty string');
      if (!Number.isFinite(by)) throw new SlsArgumentError(`ctx.count(${JSON.stringify(name)}): ${by} is not a finite number`);
      counters.set(name, (counters.get(name) ?? 0) + by);
    },
  };
  return { event, ctx, client, readDeadline, readBudget, startedAt, track, counters };
}

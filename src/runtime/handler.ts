// createHandler(processData): an FC-compatible Node.js handler for the SLS log trigger.
// event (Buffer | string | object) -> validate -> read [begin, end) page by page -> processData per
// page -> {ingestLines, ingestBytes, shipLines, shipBytes} (+ timings). processData returns true
// (shipped), false (skipped: counted, not an error) or throws (the invocation fails, the trigger
// retries). An empty range is an "empty trigger": no processData call, zero counters, success.
import { LogClient, type RetryOptions } from '../client/index.js';
import { compile, eventRange, parseEvent, readRange, type Credentials, type TriggerEvent, type Validator } from '../event/index.js';
import { Batch } from './batch.js';

/** The part of FC's context the handler uses. */
export interface FcContextLike {
  requestId?: string;
  credentials?: Credentials;
  function?: { name?: string; timeout?: number };
  logger?: Partial<Record<'debug' | 'info' | 'warn' | 'error', (...args: unknown[]) => void>>;
}

export interface TaskLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface ProcessContext<P = Record<string, unknown>> {
  readonly shardId: number;
  readonly beginCursor: string;
  readonly endCursor: string;
  readonly cursorTime: number;
  readonly jobName: string;
  readonly taskId: string;
  readonly requestId: string;
  readonly parameter: P;
  readonly event: TriggerEvent;
  readonly logger: TaskLogger;
  /** milliseconds left before the function's timeout (Infinity when unknown) */
  remainingTimeMs(): number;
  /** a client for the source endpoint with the invocation's credentials */
  readonly client: LogClient;
  /** the invocation's credentials (FC's STS keys from the context), for clients of your own */
  readonly credentials: Credentials;
}

export type ProcessData<P = Record<string, unknown>> = (batch: Batch, ctx: ProcessContext<P>) => boolean | Promise<boolean>;

export interface CreateHandlerOptions {
  /** JSON Schema for event.parameter (the trigger's functionParameter) */
  readonly parameterSchema?: object;
  /** log groups per pull at most, 1..1000 (default 100) */
  readonly batchSize?: number;
  /** target raw bytes per pull; the group count adapts to it (default 2 MiB) */
  readonly pageBytes?: number;
  /** SLS endpoint to read from instead of event.source.endpoint (e.g. an intranet one) */
  readonly endpoint?: string;
  /** credentials when the context has none (local runs); default: the context's */
  readonly credentials?: Credentials;
  /**
   * backoff for PullLogs on read throttling and transport errors (default 20 retries, like the
   * Java template, from 100 ms doubling to at most 3.2 s); retries stop early when the
   * invocation's deadline (FC's function timeout) would pass
   */
  readonly retry?: Partial<RetryOptions>;
  /** clock for timings (tests) */
  readonly now?: () => number;
}

export interface HandlerResult {
  ingestLines: number;
  ingestBytes: number;
  shipLines: number;
  shipBytes: number;
  pulls: number;
  emptyTrigger: boolean;
  timings: { pullMs: number; processMs: number; totalMs: number };
}

export const DEFAULT_PULL_RETRY: RetryOptions = { retries: 20, baseDelayMs: 100, maxDelayMs: 3200 };
/** time kept back from the function's timeout to report a failure before FC kills the instance */
const REPORT_MARGIN_MS = 1000;

export type FcHandler = (
  event: unknown,
  context: FcContextLike,
  ...callback: Array<(err: unknown, result?: unknown) => void>
) => Promise<HandlerResult>;

function taskLogger(ctx: FcContextLike, e: TriggerEvent): TaskLogger {
  const prefix = `[job=${e.jobName} task=${e.taskId} shard=${e.source.shardId}]`;
  const out = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => {
    const line = fields ? `${prefix} ${msg} ${JSON.stringify(fields)}` : `${prefix} ${msg}`;
    const sink = ctx.logger?.[level];
    if (sink) sink(line);
    else (level === 'error' ? console.error : console.log)(line);
  };
  return { debug: out('debug'), info: out('info'), warn: out('warn'), error: out('error') };
}

export function createHandler<P = Record<string, unknown>>(processData: ProcessData<P>, opts: CreateHandlerOptions = {}): FcHandler {
  const validateParameter: Validator<P> | undefined = opts.parameterSchema ? compile<P>(opts.parameterSchema, 'parameter') : undefined;
  const batchSize = opts.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000)
    throw new RangeError(`batchSize must be 1..1000, got ${batchSize}`);
  const now = opts.now ?? Date.now;
  const pullRetry: RetryOptions = { ...DEFAULT_PULL_RETRY, ...opts.retry };
  const clients = new Map<string, LogClient>();

  function clientFor(endpoint: string, creds: Credentials): LogClient {
    const key = `${endpoint}\n${creds.accessKeyId}\n${creds.securityToken ?? ''}`;
    let c = clients.get(key);
    if (!c) {
      c = new LogClient({ endpoint, credentials: creds, retry: { retries: 0 } });
      clients.set(key, c);
    }
    return c;
  }

  async function run(rawEvent: unknown, fc: FcContextLike): Promise<HandlerResult> {
    const started = now();
    const event = parseEvent(rawEvent);
    const parameter = validateParameter ? validateParameter(event.parameter) : (event.parameter as P);
    const creds = fc.credentials?.accessKeyId ? fc.credentials : opts.credentials;
    if (!creds) throw new Error('no credentials: the FC context has none and createHandler({credentials}) was not given');
    const client = clientFor(opts.endpoint ?? event.source.endpoint, creds);
    const s = event.source;
    const timeoutMs = fc.function?.timeout ? fc.function.timeout * 1000 : undefined;
    const deadline = timeoutMs === undefined ? Infinity : started + timeoutMs;
    // Real time: the reads' timeouts are real (opts.now is for the reported timings only).
    const readDeadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs - Math.min(REPORT_MARGIN_MS, timeoutMs / 10);
    const ctx: ProcessContext<P> = {
      shardId: s.shardId,
      beginCursor: s.beginCursor,
      endCursor: s.endCursor,
      cursorTime: event.cursorTime,
      jobName: event.jobName,
      taskId: event.taskId,
      requestId: fc.requestId ?? '',
      parameter,
      event,
      logger: taskLogger(fc, event),
      client,
      credentials: creds,
      remainingTimeMs: () => deadline - now(),
    };
    const r: HandlerResult = {
      ingestLines: 0,
      ingestBytes: 0,
      shipLines: 0,
      shipBytes: 0,
      pulls: 0,
      emptyTrigger: false,
      timings: { pullMs: 0, processMs: 0, totalMs: 0 },
    };
    const pages = readRange({
      client,
      ...eventRange(event),
      batchSize,
      pageBytes: opts.pageBytes ?? 2 * 1024 * 1024,
      retry: pullRetry,
      deadline: readDeadline,
    });
    for (let t = now(); ; t = now()) {
      const next = await pages.next();
      r.timings.pullMs += now() - t;
      if (next.done) break;
      r.pulls++;
      const batch = new Batch(next.value.result.groups, next.value.cursor, next.value.result.nextCursor);
      r.ingestLines += batch.logCount;
      r.ingestBytes += batch.byteLength;
      const p0 = now();
      const shipped = await processData(batch, ctx);
      r.timings.processMs += now() - p0;
      if (shipped !== false) {
        r.shipLines += batch.logCount;
        r.shipBytes += batch.byteLength;
      }
    }
    if (r.pulls === 0) {
      r.emptyTrigger = true;
      ctx.logger.info(`empty trigger: no log groups in [${s.beginCursor}, ${s.endCursor})`);
    }
    r.timings.totalMs = now() - started;
    return r;
  }

  // Two declared parameters: runtimes take the async style; a callback passed anyway is honoured.
  return async function handler(event: unknown, context: FcContextLike, ...rest: Array<(err: unknown, result?: unknown) => void>) {
    const callback = rest[0];
    try {
      const result = await run(event, context ?? {});
      callback?.(null, result);
      return result;
    } catch (e) {
      if (callback) {
        callback(e);
        return undefined as unknown as HandlerResult;
      }
      throw e;
    }
  };
}

/** An FC initializer (`exports.initialize`) from an async function. */
export function createInitializer(fn: (context: FcContextLike) => void | Promise<void>) {
  return async function initialize(context: FcContextLike, callback?: (err: unknown) => void): Promise<void> {
    try {
      await fn(context);
      callback?.(null);
    } catch (e) {
      if (!callback) throw e;
      callback(e);
    }
  };
}

// The handler runtime's public types: what processData gets, what the handler returns, its options.
import type { LogClient, RetryOptions } from '../client/index.js';
import type { FastLogGroup } from '../codec/index.js';
import type { Credentials, PartialFailure, TriggerEvent } from '../event/index.js';
import type { Batch } from './batch.js';

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
  /**
   * A stable id for log `index` of `group` (a group of a batch of this invocation): project,
   * logstore, shard, the group's cursor position and the index. The same log gets the same id on
   * every retry and redrive, so a sink that dedupes by it writes each log once.
   */
  logId(group: FastLogGroup, index: number): string;
  /**
   * Adds `by` (default 1) to the named counter of this invocation's result (`result.counters`),
   * e.g. lookups that found nothing: counts beside the Java template's four.
   */
  count(name: string, by?: number): void;
}

/**
 * Called per page of log groups. Returns true (shipped), false (skipped: counted, still a success),
 * or throws (the invocation fails and the trigger retries the range — from the failed batch on,
 * when the trigger is sls-trigger's scheduler, which advertises the partialProgress capability).
 */
export type ProcessData<P = Record<string, unknown>> = (batch: Batch, ctx: ProcessContext<P>) => boolean | Promise<boolean>;

/** What became of one batch: the explicit form of processData's answer. */
export const BatchOutcome = {
  Shipped: 'shipped',
  Skipped: 'skipped',
} as const;
export type BatchOutcome = (typeof BatchOutcome)[keyof typeof BatchOutcome];

export interface CreateHandlerOptions<P = Record<string, unknown>> {
  /** JSON Schema for event.parameter (the trigger's functionParameter) */
  readonly parameterSchema?: object;
  /** log groups per pull at most, 1..1000 (default 100) */
  readonly batchSize?: number;
  /**
   * target raw bytes per pull; the group count adapts to it (default 2 MiB). Before the handler has
   * seen a group its first pull asks for at most 8 (event/rangeReader.ts FIRST_PULL_GROUPS)
   */
  readonly pageBytes?: number;
  /**
   * SPL the range is pulled through, on the server (real SLS or the LogHub: docs/spl.md):
   * processData sees only the rows and fields it keeps. A function of the event's parameter gives
   * a statement per trigger (undefined: none). Checked by the server, not here (real SLS may run
   * SPL this package's LogHub does not). SLS_TRIGGER_SPL, when set, is used instead.
   */
  readonly spl?: string | ((parameter: P) => string | undefined);
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
  /**
   * When the context names no function timeout (a local run; FC always passes one), reading the
   * range gives up after this many ms with a DeadlineError naming the endpoint (default 60 000).
   */
  readonly readBudgetMs?: number;
  /**
   * Called once per invocation after the last batch was processed (also for an empty trigger, with
   * no batch), before the result is returned: where a sink that collects the whole range writes it
   * (one object per range). A throw fails the invocation.
   */
  readonly finish?: (ctx: ProcessContext<P>) => void | Promise<void>;
  /**
   * Report the progress before a failed batch (the partialProgress capability) so a retry resumes
   * there. Default: true without `finish`, false with it (processData then only collects and
   * `finish` writes, so nothing of a failed range was written and it is retried whole).
   */
  readonly partialProgress?: boolean;
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
  /**
   * Only when the event advertised the partialProgress capability and a batch failed after earlier
   * ones succeeded: the counters cover the processed part, and the caller resumes at resumeCursor.
   */
  partialFailure?: PartialFailure;
  /** processData's own counters (ctx.count), present when it counted anything */
  counters?: Record<string, number>;
  /** with `spl`: lines the server scanned, kept (= ingestLines), and could not compute (dropped) */
  spl?: { scannedLines: number; matchedLines: number; failedLines: number };
}

export type FcHandler = (
  event: unknown,
  context: FcContextLike,
  ...callback: Array<(err: unknown, result?: unknown) => void>
) => Promise<HandlerResult>;

// Processing one invocation's range: pages of log groups -> processData -> an explicit outcome per
// batch -> the Java template's counters and timings. An empty range is an "empty trigger": no
// processData call, zero counters, success.
import type { RetryOptions } from '../client/index.js';
import { EventCapability, eventRange, readRange, type GroupSizeMemory, type PartialFailure } from '../event/index.js';
import { DeadlineError } from '../errors/index.js';
import { Batch } from './batch.js';
import type { Invocation } from './invocation.js';
import { BatchOutcome, type HandlerResult, type ProcessContext, type ProcessData } from './types.js';

export interface ProcessorSettings<P> {
  readonly batchSize: number;
  readonly pageBytes: number;
  /** the group size the handler's last page had: sizes the first pull (rangeReader.ts) */
  readonly groupSize?: GroupSizeMemory;
  readonly retry: RetryOptions;
  readonly finish?: (ctx: ProcessContext<P>) => void | Promise<void>;
  readonly partialProgress: boolean;
  /** pull through this SPL (processData sees only what it keeps) */
  readonly spl?: string;
  readonly now: () => number;
}

/** processData's answer made explicit: anything but `false` ships (FC's templates treat no answer as done). */
export function outcomeOf(answer: boolean | undefined): BatchOutcome {
  return answer === false ? BatchOutcome.Skipped : BatchOutcome.Shipped;
}

function emptyResult(): HandlerResult {
  return {
    ingestLines: 0,
    ingestBytes: 0,
    shipLines: 0,
    shipBytes: 0,
    pulls: 0,
    emptyTrigger: false,
    timings: { pullMs: 0, processMs: 0, totalMs: 0 },
  };
}

export async function processRange<P>(inv: Invocation<P>, processData: ProcessData<P>, s: ProcessorSettings<P>): Promise<HandlerResult> {
  const result = emptyResult();
  // The first group not yet processed: where a retry resumes when a later batch fails.
  let resumeCursor = inv.event.source.beginCursor;
  try {
    await processPages(inv, processData, s, result, (next) => (resumeCursor = next)).catch((e: unknown) => {
      throw e instanceof DeadlineError ? readOutOfTime(inv, e) : e;
    });
  } catch (e) {
    const partial = s.partialProgress ? partialFailure(inv, resumeCursor, e) : undefined;
    if (!partial) throw e;
    inv.ctx.logger.error(`failed at cursor ${resumeCursor}, reporting the progress before it: ${partial.errorMessage}`);
    result.partialFailure = partial;
  }
  // Only a range processed to its end is finished; a throw here fails the whole invocation.
  if (!result.partialFailure) await s.finish?.(inv.ctx);
  if (inv.counters.size > 0) result.counters = Object.fromEntries(inv.counters);
  if (result.pulls === 0) {
    result.emptyTrigger = true;
    inv.ctx.logger.info(`empty trigger: no log groups in [${inv.event.source.beginCursor}, ${inv.event.source.endCursor})`);
  }
  result.timings.totalMs = s.now() - inv.startedAt;
  return result;
}

/** The read ran out of time: say where it read from and what bounded it. */
function readOutOfTime<P>(inv: Invocation<P>, e: DeadlineError): DeadlineError {
  const s = inv.event.source;
  return new DeadlineError(
    `reading shard ${s.shardId} from ${inv.client.endpoint.url} did not finish within ${inv.readBudget}: ${e.message}`,
    {
      cause: e,
    },
  );
}

/**
 * With the caller's partialProgress capability and some progress made, the failure becomes a result
 * naming where to resume; without either, undefined (the handler throws, as FC expects).
 */
function partialFailure<P>(inv: Invocation<P>, resumeCursor: string, e: unknown): PartialFailure | undefined {
  if (!inv.event.capabilities?.includes(EventCapability.PartialProgress)) return undefined;
  if (resumeCursor === inv.event.source.beginCursor) return undefined;
  const err = e instanceof Error ? e : new Error(String(e));
  return { resumeCursor, errorType: err.name, errorMessage: err.message };
}

async function processPages<P>(
  inv: Invocation<P>,
  processData: ProcessData<P>,
  s: ProcessorSettings<P>,
  result: HandlerResult,
  processedUpTo: (cursor: string) => void,
): Promise<void> {
  const now = s.now;
  const pages = readRange({
    client: inv.client,
    ...eventRange(inv.event),
    batchSize: s.batchSize,
    pageBytes: s.pageBytes,
    groupSize: s.groupSize,
    retry: s.retry,
    deadline: inv.readDeadline,
    query: s.spl,
  });
  for (let pullStart = now(); ; pullStart = now()) {
    const next = await pages.next();
    result.timings.pullMs += now() - pullStart;
    if (next.done) return;
    result.pulls++;
    const page = next.value.result;
    if (page.spl) countSpl(result, page.spl);
    // through SPL a page may keep no rows: nothing to process, but its groups are done
    if (page.groups.length === 0) {
      processedUpTo(page.nextCursor);
      continue;
    }
    const batch = new Batch(page.groups, next.value.cursor, page.nextCursor);
    inv.track(batch);
    result.ingestLines += batch.logCount;
    result.ingestBytes += batch.byteLength;
    const processStart = now();
    const outcome = outcomeOf(await processData(batch, inv.ctx));
    result.timings.processMs += now() - processStart;
    if (outcome === BatchOutcome.Shipped) {
      result.shipLines += batch.logCount;
      result.shipBytes += batch.byteLength;
    }
    processedUpTo(batch.nextCursor);
  }
}

function countSpl(result: HandlerResult, c: { rawLines: number; resultLines: number; failedLines: number }): void {
  const spl = (result.spl ??= { scannedLines: 0, matchedLines: 0, failedLines: 0 });
  spl.scannedLines += Math.max(0, c.rawLines);
  spl.matchedLines += Math.max(0, c.resultLines);
  spl.failedLines += Math.max(0, c.failedLines);
}

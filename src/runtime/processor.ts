// Processing one invocation's range: pages of log groups -> processData -> an explicit outcome per
// batch -> the Java template's counters and timings. An empty range is an "empty trigger": no
// processData call, zero counters, success.
import type { RetryOptions } from '../client/index.js';
import { eventRange, readRange } from '../event/index.js';
import { Batch } from './batch.js';
import type { Invocation } from './invocation.js';
import { BatchOutcome, type HandlerResult, type ProcessData } from './types.js';

export interface ProcessorSettings {
  readonly batchSize: number;
  readonly pageBytes: number;
  readonly retry: RetryOptions;
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

export async function processRange<P>(inv: Invocation<P>, processData: ProcessData<P>, s: ProcessorSettings): Promise<HandlerResult> {
  const result = emptyResult();
  const now = s.now;
  const pages = readRange({
    client: inv.client,
    ...eventRange(inv.event),
    batchSize: s.batchSize,
    pageBytes: s.pageBytes,
    retry: s.retry,
    deadline: inv.readDeadline,
  });
  for (let pullStart = now(); ; pullStart = now()) {
    const next = await pages.next();
    result.timings.pullMs += now() - pullStart;
    if (next.done) break;
    result.pulls++;
    const batch = new Batch(next.value.result.groups, next.value.cursor, next.value.result.nextCursor);
    result.ingestLines += batch.logCount;
    result.ingestBytes += batch.byteLength;
    const processStart = now();
    const outcome = outcomeOf(await processData(batch, inv.ctx));
    result.timings.processMs += now() - processStart;
    if (outcome === BatchOutcome.Shipped) {
      result.shipLines += batch.logCount;
      result.shipBytes += batch.byteLength;
    }
  }
  if (result.pulls === 0) {
    result.emptyTrigger = true;
    inv.ctx.logger.info(`empty trigger: no log groups in [${inv.event.source.beginCursor}, ${inv.event.source.endCursor})`);
  }
  result.timings.totalMs = now() - inv.startedAt;
  return result;
}

// Reads [beginCursor, endCursor) of one shard with PullLogs in pages (end_cursor set), stopping at
// the first of: the end cursor reached, a pull with no groups, a next cursor equal to the current
// one (the Java template's rules). Read throttling and transport errors are retried with backoff.
import type { LogClient, PullLogsResult } from '../client/index.js';
import { withRetry } from '../client/retry.js';
import { isReadThrottled, SlsTransportError } from '../errors/index.js';

export interface RangeReaderOptions {
  readonly client: LogClient;
  readonly project: string;
  readonly logstore: string;
  readonly shardId: number;
  readonly beginCursor: string;
  readonly endCursor: string;
  /** log groups per pull, 1..1000 */
  readonly batchSize: number;
  readonly retries: number;
  readonly retryBaseMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const retriableRead = (e: unknown) => isReadThrottled(e) || (e instanceof SlsTransportError && e.retriable);

export interface Page {
  /** cursor the page was read from */
  readonly cursor: string;
  readonly result: PullLogsResult;
}

/** Yields each non-empty page; returns the cursor it stopped at. */
export async function* readRange(o: RangeReaderOptions): AsyncGenerator<Page, string> {
  let cursor = o.beginCursor;
  while (cursor !== o.endCursor) {
    const at = cursor;
    const page = await withRetry(
      () => o.client.pullLogs({ project: o.project, logstore: o.logstore, shardId: o.shardId, cursor: at, endCursor: o.endCursor, count: o.batchSize }),
      { retries: o.retries, baseDelayMs: o.retryBaseMs, maxDelayMs: o.retryBaseMs * 32, isRetriable: retriableRead, sleep: o.sleep },
    );
    if (page.count === 0 || page.nextCursor === cursor) break;
    yield { cursor: at, result: page };
    cursor = page.nextCursor;
  }
  return cursor;
}

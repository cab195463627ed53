// Reads [beginCursor, endCursor) of one shard with PullLogs in pages (end_cursor set) until the end
// cursor. SLS answers an empty page (no groups scanned, cursor unchanged) only at the shard's end or
// at end_cursor (../shared/spec/sls-protocol.md §5). At the range's begin that is the Java
// template's empty trigger (the data under the range expired: TTL removes the oldest first), and
// reading ends there. After pages were read it cannot be expiry: it is an error, or a handler that
// returned there would report the rest of the range processed.
// Read throttling and transport errors are retried with backoff. With SPL every page is yielded, an
// empty one too: its cursor is progress.
import type { LogClient, PullLogsResult } from '../client/index.js';
import type { TriggerEvent } from './types.js';
import { withRetry, type RetryOptions } from '../client/retry.js';
import { isReadThrottled, SlsTransportError } from '../errors/index.js';

export interface RangeReaderOptions {
  readonly client: LogClient;
  readonly project: string;
  readonly logstore: string;
  readonly shardId: number;
  readonly beginCursor: string;
  readonly endCursor: string;
  /** log groups per pull at most, 1..1000 */
  readonly batchSize: number;
  /**
   * target raw bytes per pull: the next pull's group count is scaled from the last page's size so
   * pages stay near this (large pages of large groups cost far more in GC than they save in calls)
   */
  readonly pageBytes?: number;
  /**
   * with pageBytes: the group size earlier reads saw, which sizes this range's first pull (and is
   * updated from its pages). Without it the first pull asks for FIRST_PULL_GROUPS groups at most
   */
  readonly groupSize?: GroupSizeMemory;
  /** backoff for read throttling and transport errors (other errors surface at once) */
  readonly retry: RetryOptions;
  /** epoch ms by which reading must end (the invocation's deadline less a margin to report) */
  readonly deadline?: number;
  /**
   * SPL run on the server (docs/spl.md): pages hold only what it keeps, and a page may hold no
   * rows while the cursor still moves, so reading goes on to the end cursor
   */
  readonly query?: string;
}

/** Uncompressed bytes per log group in the last page read: a handler keeps one across invocations. */
export interface GroupSizeMemory {
  bytesPerGroup?: number;
}

/**
 * Groups in a first pull when their size is unknown. A first pull of batchSize (100) groups of 450 KB
 * asked for a 45 MB page before pageBytes could scale anything: new memory faulted in and a large
 * table to collect, 40% of bench/readpath.ts's CPU per invocation (docs/benchmarks.md), and 45 MB
 * on a function that may have 128 MB in all.
 */
export const FIRST_PULL_GROUPS = 8;

/** pageBytes of the handler runtime (createHandler's default) and of the other readers of whole ranges */
export const DEFAULT_PAGE_BYTES = 2 * 1024 * 1024;

const retriableRead = (e: unknown) => isReadThrottled(e) || (e instanceof SlsTransportError && e.retriable);

export interface Page {
  /** cursor the page was read from */
  readonly cursor: string;
  readonly result: PullLogsResult;
}

/**
 * Yields each non-empty page; returns the end cursor (the begin cursor for an empty trigger). The
 * next page is requested as soon as a page arrives, so the pull overlaps the caller's processing of
 * the current one.
 */
export async function* readRange(o: RangeReaderOptions): AsyncGenerator<Page, string> {
  const pull = (cursor: string, count: number) =>
    withRetry(
      () =>
        o.client.pullLogs(
          { project: o.project, logstore: o.logstore, shardId: o.shardId, cursor, endCursor: o.endCursor, count, query: o.query },
          { deadline: o.deadline },
        ),
      { ...o.retry, isRetriable: retriableRead, deadline: o.deadline },
    );
  let cursor = o.beginCursor;
  let count = firstCount(o);
  let pending: Promise<PullLogsResult> | undefined = cursor === o.endCursor ? undefined : pull(cursor, count);
  while (pending) {
    const page = await pending;
    pending = undefined;
    // through SPL an empty page still moves the cursor: only the counts before the query say the range ended
    const scanned = page.spl ? { groups: page.spl.rawGroups, bytes: page.spl.rawBytes } : { groups: page.count, bytes: page.rawSize };
    if (scanned.groups === 0 || page.nextCursor === cursor) {
      if (cursor === o.beginCursor) break;
      throw stoppedShort(o, cursor, page);
    }
    if (o.pageBytes && scanned.bytes > 0) {
      count = Math.max(1, Math.min(o.batchSize, Math.round((scanned.groups * o.pageBytes) / scanned.bytes)));
      if (o.groupSize) o.groupSize.bytesPerGroup = scanned.bytes / scanned.groups;
    }
    const at = cursor;
    cursor = page.nextCursor;
    if (cursor !== o.endCursor) {
      pending = pull(cursor, count);
      // if the caller stops early (processData threw), nobody awaits this one
      pending.catch(() => undefined);
    }
    yield { cursor: at, result: page };
  }
  return cursor;
}

/** The first pull's group count: from the size seen before, else a few groups to learn it. */
function firstCount(o: RangeReaderOptions): number {
  if (!o.pageBytes) return o.batchSize;
  const seen = o.groupSize?.bytesPerGroup;
  if (seen === undefined || !(seen > 0)) return Math.min(o.batchSize, FIRST_PULL_GROUPS);
  return Math.max(1, Math.min(o.batchSize, Math.round(o.pageBytes / seen)));
}

function stoppedShort(o: RangeReaderOptions, cursor: string, page: PullLogsResult): SlsTransportError {
  return new SlsTransportError(
    'BadResponse',
    `PullLogs on shard ${o.shardId} of ${o.project}/${o.logstore} returned no log groups at cursor ${cursor} (next cursor ${page.nextCursor}) ` +
      `before the range's end cursor ${o.endCursor}: the rest of the range could not be read (has its data expired?)`,
  );
}

/** The range an event names, as readRange takes it. */
export function eventRange(e: TriggerEvent): Pick<RangeReaderOptions, 'project' | 'logstore' | 'shardId' | 'beginCursor' | 'endCursor'> {
  const s = e.source;
  return { project: s.projectName, logstore: s.logstoreName, shardId: s.shardId, beginCursor: s.beginCursor, endCursor: s.endCursor };
}

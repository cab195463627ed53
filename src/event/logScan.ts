// The one scan of a whole logstore (every shard) as flat records: the schedule log read back by
// `status`, the console's task history and process-log view, the dead-letter store. Built on the
// range reader: each call reads every shard from where the last call stopped (or from `from`) to
// the end as it stands when the shard is reached, so a logstore written meanwhile cannot keep a
// scan going forever, and a tail resumes without rereading.
import type { LogClient } from '../client/index.js';
import { addToCursor, compareCursors, cursorDistance, type FastLogGroup } from '../codec/index.js';
import { readRange } from './rangeReader.js';
import type { LogstoreRef } from './types.js';

export type Fields = Record<string, string>;

/** A log's fields by key, with its receive-side `__time__`. */
export function fieldsOf(g: FastLogGroup, i: number): Fields {
  const f: Fields = { __time__: String(g.time(i)) };
  for (let j = 0, n = g.fieldCount(i); j < n; j++) f[g.key(i, j)] = g.value(i, j);
  return f;
}

/** Per shard, the cursor a scan reads from next: pass the same map to the next call to resume. */
export type ScanPosition = Map<number, string>;

export interface ScanOptions {
  /** where a shard without a position starts: its beginning, a receive time (unix s), or its last N log groups */
  readonly from: 'begin' | number | { readonly lastGroups: number };
  readonly position?: ScanPosition;
  /** log groups per pull (default 100) */
  readonly pageGroups?: number;
}

export interface ScannedLog {
  readonly shardId: number;
  readonly topic: string;
  readonly fields: Fields;
}

async function startOf(client: LogClient, at: LogstoreRef & { shardId: number }, from: ScanOptions['from'], end: string): Promise<string> {
  if (typeof from !== 'object') return client.getCursor({ ...at, from });
  const begin = await client.getCursor({ ...at, from: 'begin' });
  return cursorDistance(begin, end) > BigInt(from.lastGroups) ? addToCursor(end, -from.lastGroups) : begin;
}

/** Every log of every shard of `at` from its position (or `from`) to its current end; moves `position` to that end. */
export async function* scanLogstore(client: LogClient, at: LogstoreRef, o: ScanOptions): AsyncGenerator<ScannedLog> {
  const position = o.position ?? new Map<number, string>();
  for (const shard of await client.listShards(at)) {
    const where = { ...at, shardId: shard.shardID };
    const end = await client.getCursor({ ...where, from: 'end' });
    const start = position.get(shard.shardID) ?? (await startOf(client, where, o.from, end));
    if (compareCursors(start, end) >= 0) continue;
    const pages = readRange({
      client,
      ...where,
      beginCursor: start,
      endCursor: end,
      batchSize: o.pageGroups ?? 100,
      retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
    });
    for await (const { result } of pages)
      for (const g of result.groups)
        for (let i = 0; i < g.logCount; i++) yield { shardId: shard.shardID, topic: g.topic ?? '', fields: fieldsOf(g, i) };
    position.set(shard.shardID, end);
  }
}

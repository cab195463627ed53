// Reading a logstore back as flat records (every shard, from a receive time on): what the
// dead-letter store, the console's task history and its process-log view share.
import type { LogClient } from '../../client/index.js';
import type { FastLogGroup } from '../../codec/index.js';
import type { LogstoreRef } from '../../event/index.js';

export type Fields = Record<string, string>;

export function fieldsOf(g: FastLogGroup, i: number): Fields {
  const f: Fields = { __time__: String(g.time(i)) };
  for (let j = 0, n = g.fieldCount(i); j < n; j++) f[g.key(i, j)] = g.value(i, j);
  return f;
}

/** Every log of the logstore (all shards) received at or after `since`, with its group's topic. */
export async function* scanLogs(
  client: LogClient,
  at: LogstoreRef,
  since: number | undefined,
): AsyncGenerator<{ topic: string; fields: Fields }> {
  for (const shard of await client.listShards(at)) {
    const where = { ...at, shardId: shard.shardID };
    let cursor = await client.getCursor({ ...where, from: since ?? 'begin' });
    for (;;) {
      const page = await client.pullLogs({ ...where, cursor, count: 100 });
      for (const g of page.groups) for (let i = 0; i < g.logCount; i++) yield { topic: g.topic ?? '', fields: fieldsOf(g, i) };
      if (page.count === 0 || page.nextCursor === cursor) break;
      cursor = page.nextCursor;
    }
  }
}

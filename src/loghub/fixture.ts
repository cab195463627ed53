// Serving a recorded fixture offline: an in-process, in-memory LogHub holding the recorded groups
// under the recorded project, logstore, shard id and cursors, so a function replays real data
// byte for byte with no server of its own. For function tests and `replay --fixture`.
import { decodeCursor, evenRanges, splitLogGroupList } from '../codec/index.js';
import type { Fixture, TriggerEvent } from '../event/index.js';
import { startLogHub, type LogHub } from './server.js';
import type { LogStoreMeta } from './store/types.js';

export function createLogStoreMeta(name: string, shardId: number, beginCursorValue: bigint, now: number): LogStoreMeta {
  const ranges = evenRanges(shardId + 1);
  return {
    logstoreName: name,
    ttl: 3650,
    shardCount: shardId + 1,
    autoSplit: false,
    maxSplitShard: 256,
    appendMeta: false,
    enableTracking: false,
    createTime: now,
    lastModifyTime: now,
    nextShardId: shardId + 1,
    shards: ranges.map((r, i) => ({
      shardID: i,
      status: 'readwrite' as const,
      inclusiveBeginKey: r.inclusiveBeginKey,
      exclusiveEndKey: r.exclusiveEndKey,
      createTime: now,
      cursorBase: i === shardId ? beginCursorValue.toString() : ((BigInt(now) * 1000n + BigInt(i)) * 1_000_000n).toString(),
      parents: [],
    })),
    consumerGroups: {},
  };
}

/**
 * Serves a fixture from an in-process, in-memory LogHub: same project, logstore, shard id and
 * cursors, the same group bytes. Returns the hub and the event pointed at it.
 */
export async function serveFixture(fixture: Fixture): Promise<{ hub: LogHub; event: TriggerEvent }> {
  const e = fixture.event;
  const hub = await startLogHub({ port: 0, memory: true, ttlIntervalMs: 0 });
  const h = hub.state;
  const now = h.nowSeconds();
  h.meta.projects[e.source.projectName] = {
    projectName: e.source.projectName,
    description: 'fixture',
    createTime: now,
    lastModifyTime: now,
    logstores: {},
  };
  h.meta.projects[e.source.projectName].logstores[e.source.logstoreName] = createLogStoreMeta(
    e.source.logstoreName,
    e.source.shardId,
    decodeCursor(e.source.beginCursor),
    now,
  );
  const body = Buffer.from(fixture.logGroupList, 'base64');
  const groups = splitLogGroupList(body).map((g) => body.subarray(g.start, g.end));
  const ls = h.meta.projects[e.source.projectName].logstores[e.source.logstoreName];
  const log = await h.shardLog(e.source.projectName, ls, h.shard(ls, e.source.shardId));
  if (groups.length > 0) await log.append(groups, e.cursorTime);
  return { hub, event: { ...e, source: { ...e.source, endpoint: hub.endpoint } } };
}

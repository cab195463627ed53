import { SlsServiceError } from '../../errors/index.js';
import type { Hub } from '../hub.js';
import type { ConsumerGroupMeta, LogStoreMeta, ShardMeta } from '../store/types.js';
import { required, type ActionRequest } from './common.js';

export interface GroupTarget {
  readonly project: string;
  readonly ls: LogStoreMeta;
  readonly group: ConsumerGroupMeta;
}

export function findGroup(hub: Hub, req: ActionRequest): GroupTarget {
  const project = hub.project(req.project).projectName;
  const ls = hub.logstore(project, required(req.logstore, 'logstore'));
  const name = required(req.group, 'consumer group');
  const group = ls.consumerGroups[name];
  if (!group) throw SlsServiceError.of('ConsumerGroupNotExist', `consumer group ${name} does not exist`);
  return { project, ls, group };
}

/** A readonly shard whose checkpoint reached its final cursor: consumed for good. */
export async function isFinished(hub: Hub, t: GroupTarget, shard: ShardMeta): Promise<boolean> {
  if (shard.status !== 'readonly') return false;
  const log = await hub.shardLog(t.project, t.ls, shard);
  return t.group.checkpoints[String(shard.shardID)]?.checkpoint === hub.cursorOf(shard, log.end());
}

/** Shards that may be handed out now: not finished, and with order=true only once all parents finished. */
export async function assignableShards(hub: Hub, t: GroupTarget): Promise<number[]> {
  const finished = new Set<number>();
  for (const s of t.ls.shards) if (await isFinished(hub, t, s)) finished.add(s.shardID);
  const known = new Set(t.ls.shards.map((s) => s.shardID));
  return t.ls.shards
    .filter((s) => !finished.has(s.shardID))
    .filter((s) => !t.group.order || s.parents.every((p) => finished.has(p) || !known.has(p)))
    .map((s) => s.shardID);
}

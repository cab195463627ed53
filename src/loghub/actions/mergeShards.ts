// MergeShards: POST /logstores/{ls}/shards/{id}?action=merge — the shard and its right-adjacent
// readwrite neighbour become readonly; one new shard covers both ranges.
import { SlsServiceError } from '../../errors/index.js';
import { json, required, type Action } from './common.js';
import { newShard } from './createLogStore.js';
import { shardView } from './shardView.js';

export const mergeShards: Action = async (hub, req) => {
  const ls = hub.logstore(req.project, required(req.logstore, 'logstore'));
  const left = hub.shard(ls, required(req.shardId, 'shard'));
  if (left.status !== 'readwrite') throw SlsServiceError.of('ShardReadOnly', `shard ${left.shardID} is readonly and cannot be merged`);
  const right = ls.shards.find((s) => s.status === 'readwrite' && s.inclusiveBeginKey === left.exclusiveEndKey);
  if (!right) throw SlsServiceError.of('ParameterInvalid', `shard ${left.shardID} has no adjacent readwrite shard to merge with`);
  const merged = newShard(hub, ls.nextShardId++, { inclusiveBeginKey: left.inclusiveBeginKey, exclusiveEndKey: right.exclusiveEndKey }, [
    left.shardID,
    right.shardID,
  ]);
  left.status = 'readonly';
  right.status = 'readonly';
  ls.shards.push(merged);
  await hub.persistNewShards([merged]);
  return json([merged, left, right].map(shardView));
};

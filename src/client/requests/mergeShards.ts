import { parseJson, seg, type SlsRequest } from '../request.js';
import type { ShardInfo } from './types.js';

/** Merges a shard with its right-adjacent readwrite neighbour; the answer lists the new shard first. */
export function mergeShards(p: { project: string; logstore: string; shardId: number }): SlsRequest<ShardInfo[]> {
  return {
    action: 'MergeShards',
    method: 'POST',
    project: p.project,
    path: `/logstores/${seg(p.logstore)}/shards/${seg(p.shardId)}`,
    query: [['action', 'merge']],
    decode: parseJson<ShardInfo[]>,
  };
}

import { normalizeHashKey } from '../../codec/index.js';
import { parseJson, seg, type SlsRequest } from '../request.js';
import type { ShardInfo } from './types.js';

/** Splits a readwrite shard at `splitKey`; the answer lists the parent (now readonly) then the two children. */
export function splitShard(p: { project: string; logstore: string; shardId: number; splitKey: string }): SlsRequest<ShardInfo[]> {
  return {
    action: 'SplitShard',
    method: 'POST',
    project: p.project,
    path: `/logstores/${seg(p.logstore)}/shards/${seg(p.shardId)}`,
    query: [
      ['action', 'split'],
      ['key', normalizeHashKey(p.splitKey)],
    ],
    decode: parseJson<ShardInfo[]>,
  };
}

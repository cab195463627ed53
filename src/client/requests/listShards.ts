import { parseJson, seg, type SlsRequest } from '../request.js';
import type { ShardInfo } from './types.js';

export function listShards(p: { project: string; logstore: string }): SlsRequest<ShardInfo[]> {
  return {
    action: 'ListShards',
    method: 'GET',
    project: p.project,
    path: `/logstores/${seg(p.logstore)}/shards`,
    decode: parseJson<ShardInfo[]>,
  };
}

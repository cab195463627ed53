import { parseJson, seg, type SlsRequest } from '../request.js';
import type { CheckpointInfo } from './types.js';

/** One entry per shard (checkpoint "" when never committed); `shardId` narrows to one shard. */
export function getCheckpoint(p: {
  project: string;
  logstore: string;
  consumerGroup: string;
  shardId?: number;
}): SlsRequest<CheckpointInfo[]> {
  return {
    action: 'GetCheckPoint',
    method: 'GET',
    project: p.project,
    path: `/logstores/${seg(p.logstore)}/consumergroups/${seg(p.consumerGroup)}`,
    query: p.shardId === undefined ? undefined : [['shard', String(p.shardId)]],
    decode: parseJson<CheckpointInfo[]>,
  };
}

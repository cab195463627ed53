import { jsonBody, noContent, seg, type SlsRequest } from '../request.js';

/** Commits `checkpoint` (the next cursor to read) for a shard; forceSuccess lets a non-owner write it. */
export function updateCheckpoint(p: {
  project: string;
  logstore: string;
  consumerGroup: string;
  consumer?: string;
  shardId: number;
  checkpoint: string;
  forceSuccess?: boolean;
}): SlsRequest<void> {
  const query: [string, string][] = [
    ['type', 'checkpoint'],
    ['consumer', p.consumer ?? ''],
    ['forceSuccess', String(p.forceSuccess ?? false)],
  ];
  return {
    action: 'ConsumerGroupUpdateCheckPoint',
    method: 'POST',
    project: p.project,
    path: `/logstores/${seg(p.logstore)}/consumergroups/${seg(p.consumerGroup)}`,
    query,
    ...jsonBody({ shard: p.shardId, checkpoint: p.checkpoint }),
    decode: noContent,
  };
}

import { jsonBody, parseJson, seg, type SlsRequest } from '../request.js';

/** Tells the server which shards `consumer` holds; the answer is the shards it should hold. */
export function heartbeat(p: {
  project: string;
  logstore: string;
  consumerGroup: string;
  consumer: string;
  shards: number[];
}): SlsRequest<number[]> {
  return {
    action: 'ConsumerGroupHeartBeat',
    method: 'POST',
    project: p.project,
    path: `/logstores/${seg(p.logstore)}/consumergroups/${seg(p.consumerGroup)}`,
    query: [
      ['type', 'heartbeat'],
      ['consumer', p.consumer],
    ],
    ...jsonBody(p.shards),
    decode: parseJson<number[]>,
  };
}

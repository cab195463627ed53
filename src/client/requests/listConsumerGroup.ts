import { parseJson, seg, type SlsRequest } from '../request.js';
import type { ConsumerGroupInfo } from './types.js';

const base = (logstore: string) => `/logstores/${seg(logstore)}/consumergroups`;

export function listConsumerGroup(p: { project: string; logstore: string }): SlsRequest<ConsumerGroupInfo[]> {
  return { action: 'ListConsumerGroup', method: 'GET', project: p.project, path: base(p.logstore), decode: parseJson<ConsumerGroupInfo[]> };
}

import { noContent, seg, type SlsRequest } from '../request.js';

const base = (logstore: string) => `/logstores/${seg(logstore)}/consumergroups`;

export function deleteConsumerGroup(p: { project: string; logstore: string; consumerGroup: string }): SlsRequest<void> {
  return {
    action: 'DeleteConsumerGroup',
    method: 'DELETE',
    project: p.project,
    path: `${base(p.logstore)}/${seg(p.consumerGroup)}`,
    decode: noContent,
  };
}

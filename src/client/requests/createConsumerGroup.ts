import { jsonBody, noContent, seg, type SlsRequest } from '../request.js';

const base = (logstore: string) => `/logstores/${seg(logstore)}/consumergroups`;

export function createConsumerGroup(p: {
  project: string;
  logstore: string;
  consumerGroup: string;
  timeout: number;
  order: boolean;
}): SlsRequest<void> {
  return {
    action: 'CreateConsumerGroup',
    method: 'POST',
    project: p.project,
    path: base(p.logstore),
    ...jsonBody({ consumerGroup: p.consumerGroup, timeout: p.timeout, order: p.order }),
    decode: noContent,
  };
}

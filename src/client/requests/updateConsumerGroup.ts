import { jsonBody, noContent, seg, type SlsRequest } from '../request.js';

const base = (logstore: string) => `/logstores/${seg(logstore)}/consumergroups`;

export function updateConsumerGroup(p: {
  project: string;
  logstore: string;
  consumerGroup: string;
  timeout?: number;
  order?: boolean;
}): SlsRequest<void> {
  const body: Record<string, unknown> = {};
  if (p.timeout !== undefined) body.timeout = p.timeout;
  if (p.order !== undefined) body.order = p.order;
  return {
    action: 'UpdateConsumerGroup',
    method: 'PUT',
    project: p.project,
    path: `${base(p.logstore)}/${seg(p.consumerGroup)}`,
    ...jsonBody(body),
    decode: noContent,
  };
}

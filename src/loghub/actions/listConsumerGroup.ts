import { json, required, type Action } from './common.js';

export const listConsumerGroup: Action = async (hub, req) => {
  const ls = hub.logstore(req.project, required(req.logstore, 'logstore'));
  return json(Object.values(ls.consumerGroups).map((g) => ({ name: g.name, timeout: g.timeout, order: g.order })));
};

import { boolField, EMPTY, intField, jsonBody, type Action } from './common.js';
import { findGroup } from './groupCommon.js';

export const updateConsumerGroup: Action = async (hub, req) => {
  const { group } = findGroup(hub, req);
  const body = jsonBody(req);
  group.timeout = intField(body.timeout, 'timeout', 1, 86400, group.timeout);
  group.order = boolField(body.order, 'order', group.order);
  await hub.persist();
  return EMPTY;
};

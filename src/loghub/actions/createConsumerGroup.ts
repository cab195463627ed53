import { SlsServiceError } from '../../errors/index.js';
import { checkGroupName } from '../hub.js';
import { boolField, EMPTY, intField, jsonBody, required, type Action } from './common.js';

export const createConsumerGroup: Action = async (hub, req) => {
  const ls = hub.logstore(req.project, required(req.logstore, 'logstore'));
  const body = jsonBody(req);
  const name = checkGroupName(body.consumerGroup);
  if (ls.consumerGroups[name]) throw SlsServiceError.of('ConsumerGroupAlreadyExist', `consumer group ${name} already exist`);
  if (Object.keys(ls.consumerGroups).length >= hub.limits.maxConsumerGroups) {
    throw SlsServiceError.of('ConsumerGroupQuotaExceed', `a logstore holds at most ${hub.limits.maxConsumerGroups} consumer groups`);
  }
  ls.consumerGroups[name] = {
    name,
    timeout: intField(body.timeout, 'timeout', 1, 86400),
    order: boolField(body.order, 'order', false),
    checkpoints: {},
  };
  await hub.persist();
  return EMPTY;
};

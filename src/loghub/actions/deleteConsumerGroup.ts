import { EMPTY, type Action } from './common.js';
import { findGroup } from './groupCommon.js';

export const deleteConsumerGroup: Action = async (hub, req) => {
  const { project, ls, group } = findGroup(hub, req);
  delete ls.consumerGroups[group.name];
  hub.dropAssigners(`${project}/${ls.logstoreName}/${group.name}`);
  await hub.persist();
  return EMPTY;
};

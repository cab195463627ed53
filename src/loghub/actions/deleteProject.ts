import { dataRefOf } from '../store/types.js';
import { EMPTY, type Action } from './common.js';

export const deleteProject: Action = async (hub, req) => {
  const p = hub.project(req.project);
  delete hub.meta.projects[p.projectName];
  await hub.persist();
  hub.dropAssigners(`${p.projectName}/`);
  await hub.store.drop(Object.values(p.logstores).map((ls) => dataRefOf(p.projectName, ls)));
  return EMPTY;
};

import { dataRefOf } from '../store/types.js';
import { EMPTY, required, type Action } from './common.js';

export const deleteLogStore: Action = async (hub, req) => {
  const name = required(req.logstore, 'logstore');
  const project = hub.project(req.project);
  const ls = hub.logstore(req.project, name);
  delete project.logstores[name];
  await hub.persist();
  hub.dropAssigners(`${project.projectName}/${name}/`);
  await hub.store.drop([dataRefOf(project.projectName, ls)]);
  return EMPTY;
};

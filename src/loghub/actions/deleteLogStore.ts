import { EMPTY, required, type Action } from './common.js';

export const deleteLogStore: Action = async (hub, req) => {
  const name = required(req.logstore, 'logstore');
  const project = hub.project(req.project);
  hub.logstore(req.project, name);
  delete project.logstores[name];
  await hub.persist();
  hub.dropAssigners(`${project.projectName}/${name}/`);
  await hub.store.drop(project.projectName, name);
  return EMPTY;
};

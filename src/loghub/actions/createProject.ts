import { SlsServiceError } from '../../errors/index.js';
import { checkProjectName } from '../hub.js';
import { EMPTY, jsonBody, type Action } from './common.js';

/** POST / — the name comes from the body (projectName); some SDKs also put it in the Host. */
export const createProject: Action = async (hub, req) => {
  const body = jsonBody<{ projectName?: unknown; description?: unknown }>(req);
  const name = checkProjectName(body.projectName ?? req.project);
  if (hub.meta.projects[name]) throw SlsServiceError.of('ProjectAlreadyExist', `Project ${name} already exist`);
  const now = hub.nowSeconds();
  hub.meta.projects[name] = {
    projectName: name,
    description: String(body.description ?? ''),
    createTime: now,
    lastModifyTime: now,
    logstores: {},
  };
  await hub.persist();
  return EMPTY;
};

import type { Hub } from '../hub.js';
import type { ProjectMeta } from '../store/types.js';
import { json, type Action } from './common.js';

export function projectView(hub: Hub, p: ProjectMeta) {
  return {
    projectName: p.projectName,
    description: p.description,
    status: 'Normal',
    region: 'local',
    owner: 'sls-trigger',
    createTime: String(p.createTime),
    lastModifyTime: String(p.lastModifyTime),
    resourceGroupId: '',
    dataRedundancyType: 'LRS',
  };
}

export const getProject: Action = async (hub, req) => json(projectView(hub, hub.project(req.project)));

import { jsonBody, noContent, type SlsRequest } from '../request.js';

/** POST / on the bare endpoint with the name in the body (what @alicloud/log and sls20201230 send). */
export function createProject(p: { project: string; description?: string }): SlsRequest<void> {
  return {
    action: 'CreateProject',
    method: 'POST',
    project: undefined,
    path: '/',
    ...jsonBody({ projectName: p.project, description: p.description ?? '' }),
    decode: noContent,
  };
}

import { noContent, type SlsRequest } from '../request.js';

export function deleteProject(p: { project: string }): SlsRequest<void> {
  return { action: 'DeleteProject', method: 'DELETE', project: p.project, path: '/', decode: noContent };
}

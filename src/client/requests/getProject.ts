import { parseJson, type SlsRequest } from '../request.js';
import type { ProjectInfo } from './types.js';

export function getProject(p: { project: string }): SlsRequest<ProjectInfo> {
  return { action: 'GetProject', method: 'GET', project: p.project, path: '/', decode: parseJson<ProjectInfo> };
}

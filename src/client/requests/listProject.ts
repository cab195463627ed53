import { parseJson, type SlsRequest } from '../request.js';
import type { ProjectInfo } from './types.js';

export interface ListProjectResult {
  count: number;
  total: number;
  projects: ProjectInfo[];
}

export function listProject(p: { offset?: number; size?: number; projectName?: string } = {}): SlsRequest<ListProjectResult> {
  const query: [string, string][] = [
    ['offset', String(p.offset ?? 0)],
    ['size', String(p.size ?? 100)],
  ];
  if (p.projectName) query.push(['projectName', p.projectName]);
  return { action: 'ListProject', method: 'GET', project: undefined, path: '/', query, decode: parseJson<ListProjectResult> };
}

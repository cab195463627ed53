import { parseJson, type SlsRequest } from '../request.js';

export interface ListLogStoresResult {
  count: number;
  total: number;
  logstores: string[];
}

export function listLogStores(p: {
  project: string;
  offset?: number;
  size?: number;
  logstoreName?: string;
}): SlsRequest<ListLogStoresResult> {
  const query: [string, string][] = [
    ['offset', String(p.offset ?? 0)],
    ['size', String(p.size ?? 500)],
  ];
  if (p.logstoreName) query.push(['logstoreName', p.logstoreName]);
  return { action: 'ListLogStores', method: 'GET', project: p.project, path: '/logstores', query, decode: parseJson<ListLogStoresResult> };
}

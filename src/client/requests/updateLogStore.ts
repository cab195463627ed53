import { jsonBody, noContent, seg, type SlsRequest } from '../request.js';

export function updateLogStore(p: {
  project: string;
  logstore: string;
  ttl?: number;
  autoSplit?: boolean;
  maxSplitShard?: number;
}): SlsRequest<void> {
  const body: Record<string, unknown> = { logstoreName: p.logstore };
  if (p.ttl !== undefined) body.ttl = p.ttl;
  if (p.autoSplit !== undefined) body.autoSplit = p.autoSplit;
  if (p.maxSplitShard !== undefined) body.maxSplitShard = p.maxSplitShard;
  return {
    action: 'UpdateLogStore',
    method: 'PUT',
    project: p.project,
    path: `/logstores/${seg(p.logstore)}`,
    ...jsonBody(body),
    decode: noContent,
  };
}

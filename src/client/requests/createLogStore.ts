import { jsonBody, noContent, type SlsRequest } from '../request.js';

export interface CreateLogStoreParams {
  project: string;
  logstore: string;
  /** days, 1..3650 (default 30) */
  ttl?: number;
  /** default 2 */
  shardCount?: number;
  autoSplit?: boolean;
  maxSplitShard?: number;
}

export function createLogStore(p: CreateLogStoreParams): SlsRequest<void> {
  const body = {
    logstoreName: p.logstore,
    ttl: p.ttl ?? 30,
    shardCount: p.shardCount ?? 2,
    autoSplit: p.autoSplit ?? false,
    maxSplitShard: p.maxSplitShard ?? 64,
  };
  return { action: 'CreateLogStore', method: 'POST', project: p.project, path: '/logstores', ...jsonBody(body), decode: noContent };
}

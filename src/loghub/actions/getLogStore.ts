import type { LogStoreMeta } from '../store/types.js';
import { json, required, type Action } from './common.js';

export function logStoreView(ls: LogStoreMeta) {
  return {
    logstoreName: ls.logstoreName,
    ttl: ls.ttl,
    shardCount: ls.shards.filter((s) => s.status === 'readwrite').length,
    enable_tracking: ls.enableTracking,
    autoSplit: ls.autoSplit,
    maxSplitShard: ls.maxSplitShard,
    appendMeta: ls.appendMeta,
    mode: 'standard',
    telemetryType: '',
    createTime: ls.createTime,
    lastModifyTime: ls.lastModifyTime,
  };
}

export const getLogStore: Action = async (hub, req) => json(logStoreView(hub.logstore(req.project, required(req.logstore, 'logstore'))));

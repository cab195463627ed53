import type { LogStoreMeta } from '../store/types.js';
import { json, required, type Action } from './common.js';
import { settingsOf } from './logstoreSettings.js';

export function logStoreView(ls: LogStoreMeta) {
  const s = settingsOf(ls);
  return {
    logstoreName: ls.logstoreName,
    ttl: s.ttl,
    shardCount: ls.shards.filter((x) => x.status === 'readwrite').length,
    enable_tracking: s.enableTracking,
    autoSplit: s.autoSplit,
    maxSplitShard: s.maxSplitShard,
    appendMeta: s.appendMeta,
    mode: s.mode,
    telemetryType: s.telemetryType,
    ...(s.hotTtl > 0 ? { hot_ttl: s.hotTtl } : {}),
    createTime: ls.createTime,
    lastModifyTime: ls.lastModifyTime,
  };
}

export const getLogStore: Action = async (hub, req) => json(logStoreView(hub.logstore(req.project, required(req.logstore, 'logstore'))));

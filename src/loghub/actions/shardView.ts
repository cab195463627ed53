import type { ShardMeta } from '../store/types.js';

export const shardView = (s: ShardMeta) => ({
  shardID: s.shardID,
  status: s.status,
  inclusiveBeginKey: s.inclusiveBeginKey,
  exclusiveEndKey: s.exclusiveEndKey,
  createTime: s.createTime,
});

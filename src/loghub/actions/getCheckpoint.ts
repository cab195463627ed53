// GetCheckPoint: GET .../consumergroups/{cg}[?shard=n] -> [{shard, checkpoint, updateTime, consumer}],
// one entry per existing shard, checkpoint "" when never committed (the Python worker needs it).
import { json, type Action } from './common.js';
import { findGroup } from './groupCommon.js';

export const getCheckpoint: Action = async (hub, req) => {
  const t = findGroup(hub, req);
  const only = req.query.get('shard');
  const shards = t.ls.shards.filter((s) => only === undefined || only === '' || String(s.shardID) === only);
  return json(
    shards.map((s) => {
      const c = t.group.checkpoints[String(s.shardID)];
      return { shard: s.shardID, checkpoint: c?.checkpoint ?? '', updateTime: c?.updateTime ?? 0, consumer: c?.consumer ?? '' };
    }),
  );
};

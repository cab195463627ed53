// GetCursorTime: ?type=cursor_time&cursor=<c> -> {"cursor_time"}: receive time of the group at the
// cursor; for the end cursor, that of the last group (or the shard's creation time when empty).
import { type Action, json, shardTarget } from './common.js';

export const getCursorTime: Action = async (hub, req) => {
  const { shard, log } = await shardTarget(hub, req);
  const seq = hub.seqOf(shard, log, req.query.get('cursor'));
  let time: number;
  if (seq < log.end()) time = log.timeOf(seq);
  else if (log.end() > log.begin()) time = log.timeOf(log.end() - 1);
  else time = shard.createTime;
  return json({ cursor_time: time });
};

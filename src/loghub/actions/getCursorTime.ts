// GetCursorTime: ?type=cursor_time&cursor=<c> -> {"cursor_time"}: receive time of the group at the
// cursor; for the end cursor, that of the last group (or the shard's creation time when empty).
import { json, required, type Action } from './common.js';

export const getCursorTime: Action = async (hub, req) => {
  const project = hub.project(req.project).projectName;
  const ls = hub.logstore(project, required(req.logstore, 'logstore'));
  const shard = hub.shard(ls, required(req.shardId, 'shard'));
  const log = await hub.shardLog(project, ls.logstoreName, shard.shardID);
  const seq = hub.seqOf(shard, log, req.query.get('cursor'));
  let time: number;
  if (seq < log.end()) time = log.timeOf(seq);
  else if (log.end() > log.begin()) time = log.timeOf(log.end() - 1);
  else time = shard.createTime;
  return json({ cursor_time: time });
};

// The last schedule-log record of each shard of a job, read from the tail of the job's logConfig
// logstore: what `status` shows as a shard's last task (Success, Failed, Parked, ...). Works against
// real SLS too, where FC's own trigger writes its schedule log to that logstore.
import { addToCursor, compareCursors, cursorDistance } from '../../codec/index.js';
import type { LogClient } from '../../client/index.js';
import type { LogstoreRef } from '../../event/index.js';

export interface LastTask {
  status: string;
  /** end of the attempt, unix seconds */
  time: number;
  taskId: string;
  errorCode?: string;
  errorMessage?: string;
}

/** Reads the last `scanGroups` log groups of each shard of `log` and keeps, per source shard, the newest record of `jobName`. */
export async function lastTasks(client: LogClient, log: LogstoreRef, jobName: string, scanGroups = 500): Promise<Map<number, LastTask>> {
  const found = new Map<number, LastTask>();
  for (const s of await client.listShards(log)) {
    const at = { ...log, shardId: s.shardID };
    const begin = await client.getCursor({ ...at, from: 'begin' });
    const end = await client.getCursor({ ...at, from: 'end' });
    let cursor = cursorDistance(begin, end) > BigInt(scanGroups) ? addToCursor(end, -scanGroups) : begin;
    while (compareCursors(cursor, end) < 0) {
      const page = await client.pullLogs({ ...at, cursor, endCursor: end, count: 1000 });
      for (const g of page.groups) {
        for (let i = 0; i < g.logCount; i++) {
          const f = Object.fromEntries(g.log(i).contents.map((c) => [c.key, c.value]));
          if (f.job_name !== jobName || f.shard_id === undefined) continue;
          const task: LastTask = {
            status: f.task_status,
            time: Number(f.end_time),
            taskId: f.task_id,
            errorCode: f.error_code,
            errorMessage: f.error_message,
          };
          const shard = Number(f.shard_id);
          const seen = found.get(shard);
          if (!seen || seen.time <= task.time) found.set(shard, task);
        }
      }
      if (page.count === 0 || page.nextCursor === cursor) break;
      cursor = page.nextCursor;
    }
  }
  return found;
}

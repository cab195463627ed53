// The last schedule-log record of each shard of a job, read from the tail of the job's logConfig
// logstore: what `status` shows as a shard's last task (Success, Failed, Parked, ...). Works against
// real SLS too, where FC's own trigger writes its schedule log to that logstore.
import type { LogClient } from '../../client/index.js';
import { scanLogstore, type LogstoreRef } from '../../event/index.js';

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
  for await (const { fields: f } of scanLogstore(client, log, { from: { lastGroups: scanGroups }, pageGroups: 1000 })) {
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
  return found;
}

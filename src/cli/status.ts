// sls-trigger status: a job's progress per shard (owner, checkpoint time, last data time, lag).
import type { Command } from 'commander';
import { jobStatus, timeToLossText } from '../trigger/index.js';
import { clientFor, resolveSource, sourceOptions, type SourceFlags } from './job.js';
import { table } from './print.js';

const time = (s: number | undefined) => (s === undefined ? '-' : new Date(s * 1000).toISOString().replace('.000Z', 'Z'));

export function registerStatus(command: Command): void {
  sourceOptions(command)
    .option('--job <name>', "job name (its consumer group; default: the config's)")
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: SourceFlags & { json?: boolean }) => {
      const src = resolveSource(flags, true);
      // The job's schedule log (from the config) gives each shard's last task.
      const at = { project: src.project, logstore: src.logstore, jobName: src.jobName, logConfig: src.config?.logConfig };
      const client = clientFor(src.endpoint, src.credentials);
      try {
        const rows = await jobStatus(client, at);
        if (flags.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        else {
          process.stdout.write(`job ${at.jobName} on ${at.project}/${at.logstore}\n`);
          process.stdout.write(
            table(
              rows.map((r) => ({
                shard: r.shardId,
                status: r.status,
                owner: r.owner || '-',
                checkpoint_time: time(r.checkpointTime),
                last_data_time: time(r.lastDataTime),
                pending_groups: r.pendingGroups,
                lag_s: r.lagSeconds,
                time_to_loss: timeToLossText(r),
                last_task: r.lastTask ? `${r.lastTask.status}${r.lastTask.errorCode ? ` (${r.lastTask.errorCode})` : ''}` : '-',
              })),
            ),
          );
        }
      } finally {
        client.close();
      }
    });
}

// sls-trigger checkpoint show | reset: a job's checkpoints, and moving them without recreating the
// trigger (the seed's "重置Checkpoint" example, done with UpdateCheckPoint).
import type { Command } from 'commander';
import { COMMANDS } from './commands.js';
import { parseTimePoint, jobStatus } from '../trigger/index.js';
import { clientFor, resolveSource, sourceOptions, type SourceFlags } from './job.js';
import { table } from './print.js';
import { intOption } from './util.js';

interface ResetFlags extends SourceFlags {
  to: string;
  shard?: number;
  force?: boolean;
}

export function registerCheckpoint(program: Command): void {
  const cp = program.command(COMMANDS.checkpoint.usage)
    .description(COMMANDS.checkpoint.description);
  sourceOptions(cp.command('show').description('checkpoint, owner and update time per shard')).option('--job <name>', 'job name (its consumer group)').option('--json', 'print JSON')
    .action(async (flags: SourceFlags & { json?: boolean }) => {
      const src = resolveSource(flags, true);
      const client = clientFor(src.endpoint, src.credentials);
      try {
        const rows = await jobStatus(client, { project: src.project, logstore: src.logstore, jobName: src.jobName });
        if (flags.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        else process.stdout.write(table(rows.map((r) => ({ shard: r.shardId, checkpoint: r.checkpoint || '(none)', owner: r.owner || '-', updated: r.updateTime ? new Date(r.updateTime / 1000).toISOString() : '-', pending_groups: r.pendingGroups }))));
      } finally {
        client.close();
      }
    });
  sourceOptions(cp.command('reset').description('move checkpoints to a time, begin or end, so data after that point is delivered again (or skipped)'))
    .option('--job <name>', 'job name (its consumer group)')
    .requiredOption('--to <time>', 'begin, end, unix seconds or ISO date')
    .option('--shard <n>', 'only this shard (default: every shard)', intOption('--shard', 0, 1e9))
    .option('--force', 'reset even while a consumer of the job holds the shard')
    .action(async (flags: ResetFlags) => {
      const src = resolveSource(flags, true);
      const to = parseTimePoint(flags.to, '--to');
      const client = clientFor(src.endpoint, src.credentials);
      try {
        const groups = await client.listConsumerGroup({ project: src.project, logstore: src.logstore });
        const group = groups.find((g) => g.name === src.jobName);
        if (!group) throw new Error(`job ${src.jobName} has no consumer group on ${src.project}/${src.logstore}`);
        const cps = await client.getCheckpoint({ project: src.project, logstore: src.logstore, consumerGroup: src.jobName });
        const shards = (await client.listShards({ project: src.project, logstore: src.logstore })).map((s) => s.shardID).filter((id) => flags.shard === undefined || id === flags.shard);
        if (shards.length === 0) throw new Error(`shard ${flags.shard} does not exist`);
        // No API lists live consumers; a checkpoint committed within the group timeout means one is working.
        const liveSince = Date.now() - group.timeout * 1000;
        const held = cps.filter((c) => shards.includes(c.shard) && c.consumer && c.updateTime / 1000 > liveSince);
        if (held.length > 0 && !flags.force) {
          throw new Error(`shard(s) ${held.map((c) => `${c.shard} (${c.consumer})`).join(', ')} committed within the last ${group.timeout}s: stop the job first, or pass --force`);
        }
        for (const id of shards) {
          const cursor = await client.getCursor({ project: src.project, logstore: src.logstore, shardId: id, from: to });
          await client.updateCheckpoint({ project: src.project, logstore: src.logstore, consumerGroup: src.jobName, consumer: 'sls-trigger-cli', shardId: id, checkpoint: cursor, forceSuccess: true });
          process.stdout.write(`shard ${id}: checkpoint -> ${cursor}\n`);
        }
      } finally {
        client.close();
      }
    });
}

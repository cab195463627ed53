// sls-trigger checkpoint show | reset: a job's checkpoints, and moving them without recreating the
// trigger (the seed's "重置Checkpoint" example, done with UpdateCheckPoint).
import type { Command } from 'commander';
import { jobStatus, parseTimePoint, resetCheckpoints, type CheckpointMove } from '../trigger/index.js';
import { clientFor, resolveSource, sourceOptions, type SourceFlags } from './job.js';
import { table } from './print.js';
import { intOption } from './util.js';

interface ResetFlags extends SourceFlags {
  to: string;
  shard?: number;
  force?: boolean;
  dryRun?: boolean;
}

/** What a move does to delivery, in words. */
const effect = (groups: number) =>
  groups === 0
    ? 'no change'
    : groups > 0
      ? `skips ${groups} log group${groups === 1 ? '' : 's'}`
      : `re-delivers ${-groups} log group${groups === -1 ? '' : 's'}`;

const moveRow = (m: CheckpointMove) => ({
  shard: m.shardId,
  current: m.previous || '(none)',
  new: m.checkpoint,
  effect: effect(m.groups),
  held_by: m.heldBy ?? '-',
});

function dryRunNote(moves: CheckpointMove[], force: boolean | undefined): string {
  const held = moves.filter((m) => m.heldBy);
  const refusal =
    held.length > 0 && !force
      ? `; without --force it would be refused: shard(s) ${held.map((m) => m.shardId).join(', ')} held by a live job`
      : '';
  return `dry run: nothing changed${refusal}\n`;
}

export function registerCheckpoint(command: Command): void {
  const cp = command;
  sourceOptions(cp.command('show').description('checkpoint, owner and update time per shard'))
    .option('--job <name>', 'job name (its consumer group)')
    .option('--json', 'print JSON')
    .action(async (flags: SourceFlags & { json?: boolean }) => {
      const src = resolveSource(flags, true);
      const client = clientFor(src.endpoint, src.credentials);
      try {
        const rows = await jobStatus(client, { project: src.project, logstore: src.logstore, jobName: src.jobName });
        if (flags.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        else
          process.stdout.write(
            table(
              rows.map((r) => ({
                shard: r.shardId,
                checkpoint: r.checkpoint || '(none)',
                owner: r.owner || '-',
                updated: r.updateTime ? new Date(r.updateTime / 1000).toISOString() : '-',
                pending_groups: r.pendingGroups,
              })),
            ),
          );
      } finally {
        client.close();
      }
    });
  sourceOptions(
    cp.command('reset').description('move checkpoints to a time, begin or end, so data after that point is delivered again (or skipped)'),
  )
    .option('--job <name>', 'job name (its consumer group)')
    .requiredOption('--to <time>', 'begin, end, unix seconds or ISO date')
    .option('--shard <n>', 'only this shard (default: every shard)', intOption('--shard', 0, 1e9))
    .option('--force', 'reset even while a consumer of the job holds the shard')
    .option(
      '--dry-run',
      'show per shard the current and the new checkpoint and how many log groups that re-delivers or skips; change nothing',
    )
    .action(async (flags: ResetFlags) => {
      const src = resolveSource(flags, true);
      const to = parseTimePoint(flags.to, '--to');
      const client = clientFor(src.endpoint, src.credentials);
      try {
        const moved = await resetCheckpoints(
          client,
          { project: src.project, logstore: src.logstore, jobName: src.jobName },
          { to, shardId: flags.shard, force: flags.force, dryRun: flags.dryRun, consumer: 'sls-trigger-cli', forceHint: 'pass --force' },
        );
        if (flags.dryRun) process.stdout.write(table(moved.map(moveRow)) + dryRunNote(moved, flags.force));
        else
          for (const m of moved)
            process.stdout.write(`shard ${m.shardId}: checkpoint ${m.previous || '(none)'} -> ${m.checkpoint} (${effect(m.groups)})\n`);
      } finally {
        client.close();
      }
    });
}

// sls-trigger audit: proves from the job's schedule log and checkpoints that every cursor interval
// ended in exactly one recorded outcome; prints gaps and overlaps; exits 1 on a gap.
import type { Command } from 'commander';
import { encodeCursor } from '../codec/index.js';
import { SlsArgumentError } from '../errors/index.js';
import { auditJob, OUTCOMES, parseTimePoint, type AuditReport, type Gap, type ShardAudit, type TaskRef } from '../trigger/index.js';
import { clientFor, resolveSource, sourceOptions, type SourceFlags } from './job.js';

interface AuditFlags extends SourceFlags {
  job?: string;
  from?: string;
  json?: boolean;
}

const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
const task = (t: TaskRef) => `${t.outcome} by task ${t.taskId} at ${iso(t.time)}`;

function gapLine(s: ShardAudit, g: Gap): string {
  const time = s.gapTimes.get(g);
  return (
    `  gap [${encodeCursor(g.begin)}, ${encodeCursor(g.end)}) ${g.end - g.begin} group(s)` +
    (time === undefined ? '' : ` received from ${iso(time)}`) +
    `: no outcome recorded` +
    (g.after ? `; after ${task(g.after)}` : '') +
    (g.before ? `; before ${task(g.before)}` : '; up to the checkpoint')
  );
}

function shardLines(s: ShardAudit): string[] {
  const counts = OUTCOMES.filter((o) => s.groups[o] > 0n).map((o) => `${s.groups[o]} ${o}`);
  const reasons = Object.entries(s.reasons).map(([r, n]) => `${n} ${r}`);
  const verdict = s.gaps.length === 0 ? 'covered' : `${s.gaps.length} gap(s)`;
  const head =
    `shard ${s.shardId} (${s.status}) [${encodeCursor(s.from)}, ${encodeCursor(s.to)}) ${s.to - s.from} group(s)` +
    ` from its ${s.fromReason === 'shardBegin' ? 'beginning' : 'first record'}: ${counts.join(', ') || 'nothing'}` +
    (reasons.length ? ` (reasons: ${reasons.join(', ')})` : '') +
    ` — ${verdict}`;
  const overlaps = s.overlaps.map(
    (o) =>
      `  overlap [${encodeCursor(o.begin)}, ${encodeCursor(o.end)}) ${o.end - o.begin} group(s): ${o.tasks.map(task).join(' and ')} (delivered again)`,
  );
  return [head, ...s.gaps.map((g) => gapLine(s, g)), ...overlaps];
}

function toJson(r: AuditReport) {
  return {
    records: r.records,
    gaps: r.gaps,
    overlaps: r.overlaps,
    notStarted: r.notStarted,
    shards: r.shards.map((s) => ({
      shardId: s.shardId,
      status: s.status,
      from: encodeCursor(s.from),
      to: encodeCursor(s.to),
      fromReason: s.fromReason,
      groups: Object.fromEntries(OUTCOMES.map((o) => [o, Number(s.groups[o])])),
      reasons: Object.fromEntries(Object.entries(s.reasons).map(([k, v]) => [k, Number(v)])),
      gaps: s.gaps.map((g) => ({
        begin: encodeCursor(g.begin),
        end: encodeCursor(g.end),
        groups: Number(g.end - g.begin),
        receiveTime: s.gapTimes.get(g),
        after: g.after,
        before: g.before,
      })),
      overlaps: s.overlaps.map((o) => ({
        begin: encodeCursor(o.begin),
        end: encodeCursor(o.end),
        groups: Number(o.end - o.begin),
        tasks: o.tasks,
      })),
    })),
  };
}

export function registerAudit(command: Command): void {
  sourceOptions(command)
    .option('--job <name>', "job name (its consumer group and its records' job_name; default: the config's)")
    .option(
      '--from <time>',
      'only records written at or after this time (unix seconds or ISO 8601); each shard is audited from its first such record',
    )
    .option('--json', 'print the report as JSON')
    .action(async (flags: AuditFlags) => {
      const src = resolveSource(flags, true);
      const logConfig = src.config?.logConfig;
      if (!logConfig) throw new SlsArgumentError("audit reads the job's schedule log: give --config (its logConfig names the logstore)");
      const from = flags.from === undefined ? undefined : parseTimePoint(flags.from, '--from');
      if (typeof from === 'string') throw new SlsArgumentError(`--from takes unix seconds or an ISO 8601 time, not ${from}`);
      const client = clientFor(src.endpoint, src.credentials);
      try {
        const report = await auditJob(
          client,
          { project: src.project, logstore: src.logstore, jobName: src.jobName, logConfig },
          { fromTime: from },
        );
        if (flags.json) process.stdout.write(JSON.stringify(toJson(report), null, 2) + '\n');
        else {
          process.stdout.write(
            `audit of job ${src.jobName} on ${src.project}/${src.logstore}: ${report.records} schedule record(s) in ${logConfig.project}/${logConfig.logstore}\n`,
          );
          for (const s of report.shards) process.stdout.write(shardLines(s).join('\n') + '\n');
          if (report.notStarted.length) process.stdout.write(`not started (no checkpoint): shard ${report.notStarted.join(', ')}\n`);
          process.stdout.write(`${report.gaps} gap(s), ${report.overlaps} overlap(s) over ${report.shards.length} shard(s)\n`);
        }
        if (report.gaps > 0) process.exitCode = 1;
      } finally {
        client.close();
      }
    });
}

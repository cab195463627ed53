// sls-trigger preview: the first N log groups of a shard from a point in time (the console's 消费预览).
import type { Command } from 'commander';
import type { LogClient } from '../client/index.js';
import type { LogGroup } from '../codec/index.js';
import { parseTimePoint } from '../trigger/index.js';
import { clientFor, resolveSource, sourceOptions, type SourceFlags } from './job.js';
import { intOption } from './util.js';

type PreviewFlags = SourceFlags & { shard: number; from: string; count: number; lines?: number; json?: boolean; spl?: string };

function printGroup(group: LogGroup, json: boolean | undefined): void {
  if (json) return void process.stdout.write(JSON.stringify(group) + '\n');
  const tags = group.logTags.map((t) => `${t.key}=${t.value}`).join(' ');
  process.stdout.write(`── group topic=${group.topic ?? ''} source=${group.source ?? ''} ${tags}\n`);
  for (const l of group.logs)
    process.stdout.write(`${new Date(l.time * 1000).toISOString()}  ${l.contents.map((c) => `${c.key}=${c.value}`).join('  ')}\n`);
}

/** Prints groups from `cursor`: `count` groups, or with `lines` that many logs across as many groups as it takes. */
async function preview(client: LogClient, at: { project: string; logstore: string; shardId: number }, cursor: string, f: PreviewFlags) {
  let groups = 0;
  let lines = 0;
  const scanned = { lines: 0, failed: 0 };
  for (let next = cursor; ;) {
    // through SPL a page keeps fewer groups than it scans: ask for full pages
    const want = f.spl ? 1000 : f.lines === undefined ? f.count - groups : Math.min(1000, f.lines - lines);
    const r = await client.pullLogs({ ...at, cursor: next, count: want, query: f.spl });
    scanned.lines += r.spl?.rawLines ?? 0;
    scanned.failed += r.spl?.failedLines ?? 0;
    for (const g of r.groups) {
      if (f.lines === undefined ? groups >= f.count : lines >= f.lines) break;
      const group = g.toLogGroup();
      if (f.lines !== undefined) group.logs = group.logs.slice(0, f.lines - lines);
      printGroup(group, f.json);
      groups++;
      lines += group.logs.length;
    }
    const done = f.lines === undefined ? groups >= f.count : lines >= f.lines;
    if ((r.spl ? r.spl.rawGroups : r.count) === 0 || r.nextCursor === next || done) return { groups, lines, scanned };
    next = r.nextCursor;
  }
}

export function registerPreview(command: Command): void {
  sourceOptions(command)
    .option('--shard <n>', 'shard id', intOption('--shard', 0, 1e9), 0)
    .option('--from <time>', 'begin, end, unix seconds or ISO date', 'begin')
    .option('--count <n>', 'log groups to show (a group holds one or more logs; see --lines)', intOption('--count', 1, 1000), 10)
    .option('--lines <n>', 'show this many log lines instead, across as many groups as it takes', intOption('--lines', 1, 100_000))
    .option('--json', 'one JSON log group per line')
    .option('--spl <statement>', 'pull through this SPL on the server, e.g. "* | where status = \'500\'" (docs/spl.md)')
    .action(async (flags: PreviewFlags) => {
      const src = resolveSource(flags);
      const client = clientFor(src.endpoint, src.credentials);
      try {
        const at = { project: src.project, logstore: src.logstore, shardId: flags.shard };
        const cursor = await client.getCursor({ ...at, from: parseTimePoint(flags.from, '--from') });
        const shown = await preview(client, at, cursor, flags);
        const s = (n: number) => (n === 1 ? '' : 's');
        const through = flags.spl
          ? ` through SPL (${shown.scanned.lines} line${s(shown.scanned.lines)} scanned${shown.scanned.failed ? `, ${shown.scanned.failed} failed` : ''})`
          : '';
        process.stderr.write(
          shown.groups === 0
            ? `shard ${flags.shard}: no log groups from ${flags.from}${through}\n`
            : `shard ${flags.shard}: ${shown.groups} log group${s(shown.groups)}, ${shown.lines} log line${s(shown.lines)} from ${flags.from}${through}\n`,
        );
      } finally {
        client.close();
      }
    });
}

// sls-trigger preview: the first N log groups of a shard from a point in time (the console's 消费预览).
import type { Command } from 'commander';
import { COMMANDS } from './commands.js';
import { parseTimePoint } from '../trigger/index.js';
import { clientFor, resolveSource, sourceOptions, type SourceFlags } from './job.js';
import { intOption } from './util.js';

export function registerPreview(program: Command): void {
  sourceOptions(program.command(COMMANDS.preview.usage).description(COMMANDS.preview.description))
    .option('--shard <n>', 'shard id', intOption('--shard', 0, 1e9), 0)
    .option('--from <time>', 'begin, end, unix seconds or ISO date', 'begin')
    .option('--count <n>', 'log groups to show', intOption('--count', 1, 1000), 10)
    .option('--json', 'one JSON log group per line')
    .action(async (flags: SourceFlags & { shard: number; from: string; count: number; json?: boolean }) => {
      const src = resolveSource(flags);
      const client = clientFor(src.endpoint, src.credentials);
      try {
        const cursor = await client.getCursor({
          project: src.project,
          logstore: src.logstore,
          shardId: flags.shard,
          from: parseTimePoint(flags.from, '--from'),
        });
        const r = await client.pullLogs({ project: src.project, logstore: src.logstore, shardId: flags.shard, cursor, count: flags.count });
        for (const g of r.groups) {
          const group = g.toLogGroup();
          if (flags.json) process.stdout.write(JSON.stringify(group) + '\n');
          else {
            const tags = group.logTags.map((t) => `${t.key}=${t.value}`).join(' ');
            process.stdout.write(`── group topic=${group.topic ?? ''} source=${group.source ?? ''} ${tags}\n`);
            for (const l of group.logs)
              process.stdout.write(
                `${new Date(l.time * 1000).toISOString()}  ${l.contents.map((c) => `${c.key}=${c.value}`).join('  ')}\n`,
              );
          }
        }
        if (r.count === 0) process.stderr.write(`shard ${flags.shard}: no log groups from ${flags.from}\n`);
      } finally {
        client.close();
      }
    });
}

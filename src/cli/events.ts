// sls-trigger events generate | validate
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { eventForTimes, parseTimePoint, validateEvent } from '../trigger/index.js';
import { clientFor, resolveSource, sourceOptions, type SourceFlags } from './job.js';
import { intOption } from './util.js';

interface GenerateFlags extends SourceFlags {
  shard: number;
  from: string;
  to: string;
}

export function registerEvents(command: Command): void {
  const events = command;
  sourceOptions(
    events
      .command('generate')
      .description('print a valid event for a shard and time range (GetCursor by time), without invoking anything')
      .requiredOption('--shard <n>', 'shard id', intOption('--shard', 0, 1e9))
      .option('--from <time>', 'begin: begin, end, unix seconds or ISO date', 'begin')
      .option('--to <time>', 'end (exclusive): begin, end, unix seconds or ISO date', 'end')
      .option('--job <name>', 'jobName in the event')
      .option('--parameter <json>', "parameter in the event (default: the config's functionParameter)"),
  ).action(async (flags: GenerateFlags) => {
    const src = resolveSource(flags);
    const client = clientFor(src.endpoint, src.credentials);
    try {
      const e = await eventForTimes(
        { client, ...src },
        flags.shard,
        parseTimePoint(flags.from, '--from'),
        parseTimePoint(flags.to, '--to'),
      );
      process.stdout.write(JSON.stringify(e, null, 2) + '\n');
    } finally {
      client.close();
    }
  });
  events
    .command('validate <file>')
    .description('check an event file against the published event schema (exit 1 when invalid)')
    .action((file: string) => {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      const errors = validateEvent.check(raw);
      if (errors.length === 0) {
        process.stdout.write(`${file}: valid\n`);
        return;
      }
      for (const e of errors) process.stderr.write(`${file}: ${e}\n`);
      process.exitCode = 1;
    });
}

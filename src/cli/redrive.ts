// sls-trigger redrive: re-invoke a job's target with its dead letters' original events (the
// library's redrive: the source when still readable, else the saved bytes served under the same
// cursors). Prints one line per letter (or JSON), a progress bar, and exits 1 if any failed.
import type { Command } from 'commander';
import {
  createInvoker,
  deadLetterWhere,
  parseTimePoint,
  redrive,
  runsInThisProcess,
  type RedriveItem,
  type RedriveReport,
} from '../trigger/index.js';
import { clientFor, credentialsFor, loadJob, serveSaved, targetOptions, type JobFlags } from './job.js';
import { progressBar } from './print.js';
import { intOption } from './util.js';
import { SlsArgumentError } from '../errors/index.js';
import path from 'node:path';

interface RedriveFlags extends JobFlags {
  deadLetterDir?: string;
  deadLetterLogstore?: string;
  since?: string;
  shard?: number;
  task?: string;
  all?: boolean;
  dryRun?: boolean;
  json?: boolean;
  timeout?: number;
}

function loadConfig(flags: RedriveFlags) {
  if (flags.deadLetterDir && flags.deadLetterLogstore)
    throw new SlsArgumentError('give --dead-letter-dir or --dead-letter-logstore, not both');
  const config = loadJob(flags, (input) => {
    if (flags.deadLetterDir)
      input.deadLetter = { ...input.deadLetter, logstore: undefined, project: undefined, dir: path.resolve(flags.deadLetterDir) };
    if (flags.deadLetterLogstore) input.deadLetter = { ...input.deadLetter, dir: undefined, logstore: flags.deadLetterLogstore };
  });
  if (!config.deadLetter)
    throw new SlsArgumentError('the config has no deadLetter: give --dead-letter-dir <dir> or --dead-letter-logstore <name>');
  return { config, target: config.deadLetter.target };
}

function printItem(item: RedriveItem, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(item) + '\n');
    return;
  }
  const from = item.dataSource ? ` from ${item.dataSource === 'saved' ? 'the saved bytes' : 'the source'}` : '';
  const cut = item.truncated ? ' (saved data was cut by maxDataBytes: only its groups)' : '';
  const what =
    item.action === 'failed' ? `FAILED${from}: ${item.error}` : `${item.action === 'redriven' ? 'redriven' : 'would redrive'}${from}${cut}`;
  process.stderr.write(`${item.id} shard=${item.shardId} ${what}\n`);
  for (const l of item.logs ?? []) process.stderr.write(`  | ${l}\n`);
}

function printSummary(r: RedriveReport, dryRun: boolean, json: boolean): void {
  const skipped = `${r.skipped} skipped (redriven before; --all includes them)`;
  const line = dryRun
    ? `dry run: ${r.items.length - r.failed} to redrive, ${r.failed} cannot be, ${skipped}`
    : `${r.redriven} redriven, ${r.failed} failed, ${skipped}`;
  if (json)
    process.stdout.write(JSON.stringify({ summary: { redriven: r.redriven, failed: r.failed, skipped: r.skipped, dryRun } }) + '\n');
  else process.stderr.write(line + '\n');
}

export function registerRedrive(command: Command): void {
  targetOptions(
    command
      .requiredOption('-c, --config <file>', "the job's config (JSON or s.yaml): its target is invoked, its deadLetter read")
      .option('--trigger <name>', 'which log trigger in the s.yaml (default: the first)'),
  )
    .option('--endpoint <url>', 'SLS endpoint, overriding the config')
    .option('--module <path>', 'local handler module, overriding the config (e.g. the fixed function)')
    .option('--job-name <name>', 'job name, overriding the config')
    .option('--dead-letter-dir <dir>', "read dead letters from this directory instead of the config's deadLetter")
    .option('--dead-letter-logstore <name>', "read dead letters from this logstore (in the config's project)")
    .option('--since <time>', 'only letters dead-lettered at or after: unix seconds or an ISO date')
    .option('--shard <n>', 'only this shard', intOption('--shard', 0, 1e9))
    .option('--task <id>', 'only this task id or dead-letter id')
    .option('--all', 'include letters already redriven')
    .option('--dry-run', 'show what would be redriven and where its data would come from; invoke nothing')
    .option(
      '--timeout <s>',
      "invocation timeout in seconds (default: the config's invocationTimeoutSeconds)",
      intOption('--timeout', 1, 86400),
    )
    .option('--json', 'one JSON object per letter on stdout, then a summary object')
    .action(async (flags: RedriveFlags) => {
      const { config, target } = loadConfig(flags);
      const since = flags.since === undefined ? undefined : parseTimePoint(flags.since, '--since');
      if (since === 'begin' || since === 'end') throw new SlsArgumentError('--since takes unix seconds or an ISO date');
      const creds = credentialsFor(config.endpoint, config.credentials);
      const client = clientFor(config.endpoint, creds);
      const invoker = createInvoker({ ...config, concurrency: 1 }, creds);
      process.stderr.write(
        `redrive job ${config.jobName}: dead letters in ${deadLetterWhere(target)}${flags.dryRun ? ' (dry run)' : ''}\n`,
      );
      try {
        const report = await redrive({
          client,
          target,
          invoker,
          credentials: creds,
          timeoutMs: (flags.timeout ?? config.invocationTimeoutSeconds) * 1000,
          filter: { since, shardId: flags.shard, task: flags.task, all: flags.all },
          dryRun: flags.dryRun,
          canServeSaved: runsInThisProcess(config.target),
          serveSaved,
          onItem: (item, done, total) => {
            printItem(item, flags.json === true);
            if (!flags.json && total > 1) progressBar(done, total, 'letters', done === total);
          },
        });
        printSummary(report, flags.dryRun === true, flags.json === true);
        if (report.failed > 0) process.exitCode = 1;
      } finally {
        await invoker.close();
        client.close();
      }
    });
}

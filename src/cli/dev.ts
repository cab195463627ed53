// sls-trigger dev: the main job. An embedded LogHub, the project and logstores from s.yaml, a
// producer of nginx access logs, and the trigger from s.yaml running the local function; one line
// per task, the function's process-log lines, and lag per shard. Ctrl-C stops everything; a second
// run resumes from the checkpoints.
import type { Command } from 'commander';
import path from 'node:path';
import { LogClient } from '../client/index.js';
import { DEFAULT_ACCESS_KEY, LogHubMetrics, startLogHub } from '../loghub/index.js';
import { Producer } from '../sample/producer.js';
import {
  deadLetterWhere,
  ensureJobResources,
  JOB_NUMBERS,
  parseJobConfig,
  Scheduler,
  targetName,
  timeToLossText,
} from '../trigger/index.js';
import { CONSOLE_DEFAULT, consoleSecret, listenFlag, SECRET_FILE_FLAG, SECRET_FILE_HELP, type Listen } from './consoleStart.js';
import { jobNumberOption, parseJobIn, readJobInput } from './job.js';
import { prepareJobRun } from './jobRun.js';
import { intOption } from './util.js';

interface DevFlags {
  config: string;
  trigger?: string;
  port: number;
  dataDir: string;
  rate: number;
  interval?: number;
  pollInterval?: number;
  pipelining?: number;
  batchingWindow?: number;
  maxBatchGroups?: number;
  idlePollInterval?: number;
  shards: number;
  producer: boolean;
  json?: boolean;
  bisect?: boolean;
  deadLetterDir?: string;
  maxRetryTime?: number;
  console: Listen | false;
  consoleSecretFile?: string;
}

function lagLine(scheduler: Scheduler): string {
  const shards = scheduler.snapshot().sort((a, b) => a.shardId - b.shardId);
  const loss = (s: { timeToLossSeconds?: number }) => (s.timeToLossSeconds === undefined ? '' : ` (loss in ${timeToLossText(s)})`);
  return `lag ${shards.map((s) => `shard${s.shardId}=${s.lagSeconds}s${loss(s)}`).join(' ')}`;
}

function cadenceText(config: ReturnType<typeof parseJobConfig>): string {
  const ll = config.lowLatency;
  if (!ll) return `every ${config.triggerInterval}s`;
  const idle = ll.idlePollIntervalMs > ll.pollIntervalMs ? ` (idle up to ${ll.idlePollIntervalMs} ms)` : '';
  const gather = ll.batchingWindowMs > 0 ? `, gathers ${ll.batchingWindowMs} ms` : '';
  const most =
    ll.maxBatchGroups !== JOB_NUMBERS.maxBatchGroups.default
      ? `, at most ${ll.maxBatchGroups} group${ll.maxBatchGroups === 1 ? '' : 's'} a task`
      : '';
  return `polls every ${ll.pollIntervalMs} ms${idle}${gather}${most}`;
}

function failurePolicy(config: ReturnType<typeof parseJobConfig>): string {
  const dl = config.deadLetter?.target;
  const where = dl ? ` -> ${deadLetterWhere(dl)}` : '';
  return `${config.bisectOnError ? 'bisect, then ' : ''}${config.onRetriesExhausted}${where}`;
}

export function registerDev(command: Command): void {
  command
    .option('-c, --config <file>', 's.yaml with an fc3 function and a log trigger', 's.yaml')
    .option('--trigger <name>', 'which log trigger in the s.yaml (default: the first)')
    .option('--port <n>', 'embedded LogHub port (0 = any free port)', intOption('--port', 0, 65535), 8090)
    .option('--data-dir <dir>', 'where the embedded LogHub keeps data (and the job its checkpoints)', '.sls-trigger/dev')
    .option('--rate <n>', 'nginx logs per second written by the producer', intOption('--rate', 0, 1_000_000), 20)
    .addOption(jobNumberOption('--interval <s>', 'jobConfig.triggerInterval', 'trigger interval in seconds, overriding s.yaml'))
    .addOption(jobNumberOption('--poll-interval <ms>', 'pollIntervalMs', 'low-latency mode: check each shard this often (pollIntervalMs)'))
    .addOption(
      jobNumberOption(
        '--idle-poll-interval <ms>',
        'idlePollIntervalMs',
        'low-latency mode: an idle shard backs off up to this (idlePollIntervalMs)',
      ),
    )
    .addOption(
      jobNumberOption(
        '--batching-window <ms>',
        'batchingWindowMs',
        'low-latency mode: gather new data this long before invoking (batchingWindowMs)',
      ),
    )
    .addOption(
      jobNumberOption('--max-batch-groups <n>', 'maxBatchGroups', 'low-latency mode: log groups per invocation at most (maxBatchGroups)'),
    )
    .addOption(
      jobNumberOption(
        '--pipelining <n>',
        'pipelining',
        'HTTP/1.1 pipelining: GETs (idle checks, pulls) one connection to the LogHub may carry at once when all 64 are busy (job config pipelining; 1 = off)',
      ),
    )
    .option('--shards <n>', 'shards of the source logstore when it is created', intOption('--shards', 1, 64), 2)
    .option('--no-producer', 'do not write sample logs (bring your own data)')
    .option('--json', 'print schedule-log records as JSON lines on stdout instead of task lines')
    .option('--bisect', 'bisectOnError: split a failing range down to the one failing log group')
    .option('--dead-letter-dir <dir>', 'onRetriesExhausted deadLetter into this directory (letters keep their data; see redrive)')
    .addOption(jobNumberOption('--max-retry-time <n>', 'jobConfig.maxRetryTime', 'jobConfig.maxRetryTime, overriding s.yaml'))
    .addOption(listenFlag('--console <[host:]port>', 'web console and /metrics (port 0 = any free port)', CONSOLE_DEFAULT))
    .option('--no-console', 'no web console')
    .option(SECRET_FILE_FLAG, SECRET_FILE_HELP)
    .action(async (flags: DevFlags) => {
      // checked before anything starts: a console beyond loopback needs its secret
      const operatorSecret = consoleSecret(flags.console, flags.consoleSecretFile);
      // the LogHub counts its requests only when a console will serve them
      const hubMetrics = flags.console ? new LogHubMetrics() : undefined;
      const hub = await startLogHub({
        port: flags.port,
        dataDir: flags.dataDir,
        metrics: hubMetrics,
        onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
      });
      const input = readJobInput(flags.config, { trigger: flags.trigger });
      input.endpoint = hub.endpoint;
      if (flags.interval) input.jobConfig = { ...input.jobConfig, triggerInterval: flags.interval };
      if (flags.maxRetryTime !== undefined) input.jobConfig = { ...input.jobConfig, maxRetryTime: flags.maxRetryTime };
      if (flags.pollInterval) input.pollIntervalMs = flags.pollInterval;
      if (flags.idlePollInterval) input.idlePollIntervalMs = flags.idlePollInterval;
      if (flags.batchingWindow !== undefined) input.batchingWindowMs = flags.batchingWindow;
      if (flags.maxBatchGroups !== undefined) input.maxBatchGroups = flags.maxBatchGroups;
      if (flags.pipelining) input.pipelining = flags.pipelining;
      if (flags.bisect) input.bisectOnError = true;
      if (flags.deadLetterDir) {
        input.onRetriesExhausted = 'deadLetter';
        input.deadLetter = { dir: path.resolve(flags.deadLetterDir) };
      }
      const config = parseJobIn(flags.config, input);
      for (const w of config.warnings) process.stderr.write(`warning: ${w}\n`);
      const client = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY, pipelining: config.pipelining });
      await ensureJobResources(client, config, { sourceShards: flags.shards, description: 'created by sls-trigger dev' });
      const producer = new Producer({
        client,
        project: config.project,
        logstore: config.logstore,
        rate: flags.producer ? flags.rate : 0,
        onError: (e) => process.stderr.write(`producer: ${(e as Error).message}\n`),
      });
      const job = prepareJobRun({
        config,
        client,
        credentials: DEFAULT_ACCESS_KEY,
        consumerName: 'dev',
        scheduleSink: flags.json ? undefined : null,
        taskLines: !flags.json,
        signals: true,
        beforeStop: () => {
          producer.stop();
          clearInterval(lagTimer);
        },
        afterStop: async () => {
          await hub.close();
          process.stderr.write(`stopped; checkpoints saved in ${hub.dataDir}\n`);
        },
      });
      const { scheduler } = job;
      const lagTimer = setInterval(
        () => process.stderr.write(`${lagLine(scheduler)}  (produced ${producer.sent})\n`),
        config.triggerInterval * 1000,
      );
      process.stderr.write(
        [
          `LogHub   ${hub.endpoint}  data ${hub.dataDir}  keys ${DEFAULT_ACCESS_KEY.accessKeyId} / ${DEFAULT_ACCESS_KEY.accessKeySecret}`,
          `source   ${config.project}/${config.logstore}  producer ${flags.producer ? `${flags.rate} nginx logs/s` : 'off'}`,
          `trigger  job ${config.jobName}  ${cadenceText(config)}${config.pipelining > 1 ? `  pipelining ${config.pipelining}` : ''}  maxRetryTime ${config.maxRetryTime}  logs -> ${config.logConfig.project}/${config.logConfig.logstore}`,
          `failures ${failurePolicy(config)}`,
          `function ${targetName(config.target)}`,
          'Ctrl-C to stop; run again to resume from the checkpoints.',
          '',
        ].join('\n'),
      );
      await job.openConsole(flags.console, hubMetrics ? [hubMetrics.registry] : [], operatorSecret);
      producer.start();
      await scheduler.run();
    });
}

// sls-trigger console: the web console on its own, reading only the SLS API (checkpoints, the
// schedule-log and dead-letter logstores, GetCursor/PullLogs), so it also shows a real FC log
// trigger's history from the schedule logs FC writes. With the job's target it can also replay
// and redrive.
import type { Command } from 'commander';
import { createInvoker } from '../trigger/index.js';
import { CONSOLE_DEFAULT, consoleSecret, listenFlag, SECRET_FILE_FLAG, SECRET_FILE_HELP, startJobConsole } from './consoleStart.js';
import { clientFor, credentialsFor, loadJob, targetOptions, type JobFlags } from './job.js';
import { intOption, onShutdown } from './util.js';

interface ConsoleFlags extends JobFlags {
  listen: { host: string; port: number };
  invoke: boolean;
  sampleMs: number;
  consoleSecretFile?: string;
}

export function registerConsole(command: Command): void {
  targetOptions(
    command
      .requiredOption('-c, --config <file>', 'job config: a JSON trigger config, or an s.yaml with an fc3 log trigger')
      .option('--trigger <name>', 'which log trigger in the s.yaml (default: the first)'),
  )
    .option('--endpoint <url>', 'SLS endpoint, overriding the config (real SLS or the embedded LogHub)')
    .option('--module <path>', 'local handler module for replay and redrive, overriding the config')
    .option('--job-name <name>', 'job (consumer group) name, overriding the config')
    .addOption(
      listenFlag('--listen <[host:]port>', 'where the console listens (beyond loopback it needs an operator secret)', CONSOLE_DEFAULT),
    )
    .option(SECRET_FILE_FLAG, SECRET_FILE_HELP)
    .option('--no-invoke', 'no replay or redrive from the page (read-only apart from checkpoint reset)')
    .option(
      '--sample-ms <n>',
      'how often lag and new tasks are read (each sample costs a few requests per shard against SLS)',
      intOption('--sample-ms', 500, 600_000),
      2000,
    )
    .action(async (flags: ConsoleFlags) => {
      const operatorSecret = consoleSecret(flags.listen, flags.consoleSecretFile);
      const config = loadJob(flags);
      const creds = credentialsFor(config.endpoint, config.credentials);
      const client = clientFor(config.endpoint, creds);
      const invoker = flags.invoke ? createInvoker({ ...config, concurrency: 1 }, creds) : undefined;
      process.stderr.write(`job ${config.jobName}: ${config.project}/${config.logstore} on ${config.endpoint}\n`);
      const server = await startJobConsole({
        listen: flags.listen,
        config,
        client,
        invoker,
        credentials: creds,
        registries: [],
        mode: 'standalone',
        sampleMs: flags.sampleMs,
        operatorSecret,
      });
      onShutdown(async () => {
        await server.close();
        await invoker?.close();
        client.close();
      });
    });
}

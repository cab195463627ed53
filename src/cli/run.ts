// sls-trigger run: the trigger runtime against any SLS endpoint (real or the embedded LogHub).
import type { Command } from 'commander';
import { targetName } from '../trigger/index.js';
import { isCredentialSource } from '../client/index.js';
import { clientFor, credentialsFor, jobNumberOption, loadJob, targetOptions, type JobFlags } from './job.js';
import { runSummary } from './print.js';
import { intOption } from './util.js';
import { consoleSecret, listenFlag, SECRET_FILE_FLAG, SECRET_FILE_HELP, type Listen } from './consoleStart.js';
import { prepareJobRun } from './jobRun.js';
import { createTerminal, logFormatOption, type LogFormat } from './terminal.js';

interface RunFlags extends JobFlags {
  consumer?: string;
  once?: boolean;
  quiet?: boolean;
  console?: Listen;
  consoleSecretFile?: string;
  metrics?: Listen;
  logFormat: LogFormat;
  drainTimeout?: number;
  credentialsRefresh: number;
  pipelining?: number;
}

export function registerRun(command: Command): void {
  targetOptions(
    command
      .requiredOption('-c, --config <file>', 'job config: a JSON trigger config, or an s.yaml with an fc3 log trigger')
      .option('--trigger <name>', 'which log trigger in the s.yaml (default: the first)'),
  )
    .option('--endpoint <url>', 'SLS endpoint, overriding the config (e.g. http://127.0.0.1:8090)')
    .option('--module <path>', 'local handler module, overriding the config')
    .option('--job-name <name>', 'job (consumer group) name, overriding the config')
    .addOption(
      jobNumberOption(
        '--pipelining <n>',
        'pipelining',
        'HTTP/1.1 pipelining: GETs (idle checks, pulls) one connection to SLS may carry at once when all 64 are busy, overriding the config (1 = off; the server and any proxy between must answer pipelined requests in order)',
      ),
    )
    .option('--consumer <name>', "this instance's name in the job's consumer group (default: host-pid-random)")
    .option(
      '--once',
      'run one tick, wait for its tasks (and any bisect they started), and exit (from cron: keep one --consumer name, or a new run waits for the last one to time out)',
    )
    .option('--quiet', 'do not print schedule-log JSON lines on stdout')
    .addOption(listenFlag('--console <[host:]port>', 'serve the web console and /metrics there while the job runs'))
    .option(SECRET_FILE_FLAG, SECRET_FILE_HELP)
    .addOption(listenFlag('--metrics <[host:]port>', 'serve /metrics, /healthz and /readyz there (read-only, no console)'))
    .addOption(logFormatOption())
    .option(
      '--drain-timeout <s>',
      'on SIGTERM/SIGINT, wait at most this long for in-flight tasks (default: until they end); a task cut off is delivered again',
      intOption('--drain-timeout', 0, 86400),
    )
    .option(
      '--credentials-refresh <s>',
      'rotating credentials (RRSA, credentials URI, ECS RAM role, profiles): ask the provider for the current keys this often; keys SLS refuses are refreshed at once',
      intOption('--credentials-refresh', 1, 3600),
      60,
    )
    .action(async (flags: RunFlags) => {
      const operatorSecret = consoleSecret(flags.console, flags.consoleSecretFile);
      const config = loadJob(flags, (input) => {
        if (flags.pipelining) input.pipelining = flags.pipelining;
      });
      const term = createTerminal(flags.logFormat, { job: config.jobName });
      for (const w of config.warnings) term.line('warn', `warning: ${w}`);
      if (!config.enable) {
        term.line('info', `job ${config.jobName} is disabled (enable: false); nothing to do`);
        return;
      }
      const creds = credentialsFor(config.endpoint, config.credentials, {
        refreshIntervalMs: flags.credentialsRefresh * 1000,
        onWarning: (m) => term.line('warn', `warning: ${m}`),
      });
      if (isCredentialSource(creds)) term.line('info', `credentials: ${creds.origin}, refreshed every ${flags.credentialsRefresh}s`);
      const client = clientFor(config.endpoint, creds, config.pipelining);
      const job = prepareJobRun({
        config,
        client,
        credentials: creds,
        consumerName: flags.consumer,
        scheduleSink: flags.quiet ? null : undefined,
        taskLines: true,
        signals: !flags.once,
        term,
        drainTimeoutMs: flags.drainTimeout === undefined ? undefined : flags.drainTimeout * 1000,
      });
      const { scheduler } = job;
      term.line(
        'info',
        `job ${config.jobName}: ${config.project}/${config.logstore} every ${config.triggerInterval}s -> ${targetName(config.target)} (consumer ${scheduler.consumer})`,
        { source: `${config.project}/${config.logstore}`, consumer: scheduler.consumer, target: targetName(config.target) },
      );
      await job.openProbes(flags.metrics);
      await job.openConsole(flags.console, [], operatorSecret);
      if (flags.once) {
        const summary = runSummary(scheduler);
        await scheduler.runOnce();
        await job.stop();
        term.line('info', `run --once: ${summary()}`);
        return;
      }
      await scheduler.run();
    });
}

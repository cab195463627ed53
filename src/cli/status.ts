// sls-trigger status: a job's progress per shard (owner, checkpoint time, last data time, lag).
import type { Command } from 'commander';
import { jobStatus } from '../trigger/index.js';
import { clientFor, credentialsFor, loadJob } from './job.js';
import { table } from './print.js';

interface StatusFlags {
  config?: string;
  trigger?: string;
  endpoint?: string;
  project?: string;
  logstore?: string;
  job?: string;
  json?: boolean;
}

const time = (s: number | undefined) => (s === undefined ? '-' : new Date(s * 1000).toISOString().replace('.000Z', 'Z'));

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("show a job's progress per shard: owner, checkpoint time, last data time, lag")
    .option('-c, --config <file>', 'job config or s.yaml (gives endpoint, project, logstore and job name)')
    .option('--trigger <name>', 'which log trigger in the s.yaml')
    .option('--endpoint <url>', 'SLS endpoint')
    .option('--project <name>', 'source project')
    .option('--logstore <name>', 'source logstore')
    .option('--job <name>', 'job name (its consumer group)')
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: StatusFlags) => {
      let at: { endpoint: string; project: string; logstore: string; jobName: string };
      let creds;
      if (flags.config) {
        const c = loadJob({ config: flags.config, trigger: flags.trigger, endpoint: flags.endpoint, jobName: flags.job });
        at = { endpoint: c.endpoint, project: c.project, logstore: c.logstore, jobName: c.jobName };
        creds = c.credentials;
      } else {
        const missing = (['endpoint', 'project', 'logstore', 'job'] as const).filter((k) => !flags[k]);
        if (missing.length > 0) throw new Error(`give --config, or all of: ${missing.map((m) => `--${m}`).join(', ')}`);
        at = { endpoint: flags.endpoint!, project: flags.project!, logstore: flags.logstore!, jobName: flags.job! };
      }
      const client = clientFor(at.endpoint, credentialsFor(at.endpoint, creds));
      try {
        const rows = await jobStatus(client, at);
        if (flags.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        else {
          process.stdout.write(`job ${at.jobName} on ${at.project}/${at.logstore}\n`);
          process.stdout.write(table(rows.map((r) => ({ shard: r.shardId, status: r.status, owner: r.owner || '-', checkpoint_time: time(r.checkpointTime), last_data_time: time(r.lastDataTime), pending_groups: r.pendingGroups, lag_s: r.lagSeconds }))));
        }
      } finally {
        client.close();
      }
    });
}

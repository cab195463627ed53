// npm run chaos -- <campaign>: the crash and hostile-input campaigns at full size.
// Each starts real processes on loopback, is bounded in count and time, and exits 1 on any failure.
import { Command, InvalidArgumentError } from 'commander';
import { diskCampaign, diskFailures, lockCampaign, lockFailures } from './disk.js';
import { fdsCampaign } from './fds.js';
import { hostileCampaign } from './hostile.js';
import { loghubCampaign, loghubFailures } from './loghub.js';
import { schedulerCampaign, schedulerFailures } from './scheduler.js';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

interface Flags {
  kills: number;
  seed: number;
  logs: number;
  consumers: 'same' | 'new' | 'both';
  requests: number;
  shards: number;
  ulimit: number;
  cycles: number;
  rounds: number;
  json?: boolean;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const program = new Command('npm run chaos --')
    .description('crash campaigns (kill -9 of sls-trigger serve / run) and hostile input against sls-trigger serve')
    .argument('<campaign>', 'loghub | scheduler | hostile | fds | disk | lock | all')
    .option('--kills <n>', 'SIGKILLs per crash campaign', positiveInt, 50)
    .option('--seed <n>', 'seed of the kill moments, writers and requests', positiveInt, 1)
    .option('--logs <n>', 'logs the scheduler campaign produces (unique ids)', positiveInt, 20_000)
    .option('--consumers <mode>', 'scheduler campaign restarts with the same --consumer name, a new one, or both', 'both')
    .option('--requests <n>', 'hostile requests', positiveInt, 20_000)
    .option('--shards <n>', 'shards the fds campaign writes and reads', positiveInt, 10_000)
    .option('--ulimit <n>', "open-file limit (ulimit -n) of the fds campaign's server", positiveInt, 1024)
    .option('--cycles <n>', 'fill / grow cycles of the disk campaign (needs mount: root)', positiveInt, 10)
    .option('--rounds <n>', 'pairs of servers the lock campaign starts on one directory', positiveInt, 50)
    .option('--json', 'print one JSON object per campaign')
    .parse();
  const [campaign] = program.args;
  const flags = program.opts<Flags>();
  if (!['loghub', 'scheduler', 'hostile', 'fds', 'disk', 'lock', 'all'].includes(campaign))
    throw new InvalidArgumentError(`unknown campaign ${campaign}: loghub, scheduler, hostile, fds, disk, lock or all`);
  if (!['same', 'new', 'both'].includes(flags.consumers))
    throw new InvalidArgumentError(`--consumers must be same, new or both, got ${flags.consumers}`);
  let failures = 0;
  const show = (name: string, report: object, failed: number) => {
    failures += failed;
    if (flags.json) console.log(JSON.stringify({ campaign: name, failures: failed, ...report }));
    else console.log(`${name}: ${failed === 0 ? 'OK' : `${failed} FAILURES`}\n${JSON.stringify(report, null, 2)}`);
  };
  if (campaign === 'loghub' || campaign === 'all') {
    const r = await loghubCampaign({ kills: flags.kills, seed: flags.seed, log });
    show('loghub', r, loghubFailures(r));
  }
  if (campaign === 'scheduler' || campaign === 'all') {
    for (const consumers of flags.consumers === 'both' ? (['same', 'new'] as const) : [flags.consumers]) {
      const r = await schedulerCampaign({ kills: flags.kills, logs: flags.logs, seed: flags.seed, consumers, log });
      show(`scheduler (${consumers} consumer name)`, { ...r, runnerStderr: undefined }, schedulerFailures(r));
    }
  }
  if (campaign === 'hostile' || campaign === 'all') {
    const r = await hostileCampaign({ requests: flags.requests, seed: flags.seed });
    const failed = r.bad.length + (r.storedGroups === r.acknowledgedPuts ? 0 : 1) + r.outside.length + (r.exitCode === 0 ? 0 : 1);
    show('hostile', { ...r, bad: r.bad.slice(0, 20) }, failed);
  }
  if (campaign === 'fds' || campaign === 'all') {
    const r = await fdsCampaign({ shards: flags.shards, ulimit: flags.ulimit, maxOpenFiles: 512 });
    show('fds', { ...r, wrongReads: r.wrongReads.slice(0, 20) }, r.wrongReads.length + (r.exitCode === 0 ? 0 : 1));
  }
  if (campaign === 'disk' || campaign === 'all') {
    const r = await diskCampaign({ cycles: flags.cycles, log });
    show('disk', r, diskFailures(r));
  }
  if (campaign === 'lock' || campaign === 'all') {
    const r = await lockCampaign({ rounds: flags.rounds, log });
    show('lock', r, lockFailures(r));
  }
  process.exitCode = failures > 0 ? 1 : 0;
}

await main();

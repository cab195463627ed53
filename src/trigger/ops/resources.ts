// The SLS resources a job names (projects and logstores of the source, schedule log, process log,
// dead letter and the function's own target), created when missing: what `dev` needs on a fresh LogHub.
import type { LogClient } from '../../client/index.js';
import { hasCode } from '../../errors/index.js';
import type { JobConfig } from '../job/config.js';
import { processLogOf } from '../job/targets.js';

async function ignoring(p: Promise<unknown>, already: 'ProjectAlreadyExist' | 'LogStoreAlreadyExist'): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!hasCode(e, already)) throw e;
  }
}

/** Creates the projects and logstores a job names (source, schedule log, process log, dead letter), when missing. */
/**
 * The logstore a function writes to, when its functionParameter names one the way FC's ETL
 * templates do (`target: { projectName, logstoreName }`: ip-lookup, logstore-replication).
 */
function functionTarget(parameter: unknown): { projectName: string; logstoreName: string } | undefined {
  const t = (parameter as { target?: { projectName?: unknown; logstoreName?: unknown } } | undefined)?.target;
  return typeof t?.projectName === 'string' && typeof t.logstoreName === 'string'
    ? { projectName: t.projectName, logstoreName: t.logstoreName }
    : undefined;
}

export async function ensureJobResources(
  client: LogClient,
  config: JobConfig,
  opts: { sourceShards: number; ttlDays?: number; description?: string },
): Promise<void> {
  const stores: Array<[string, string, number]> = [
    [config.project, config.logstore, opts.sourceShards],
    [config.logConfig.project, config.logConfig.logstore, 1],
  ];
  const processLog = processLogOf(config.target);
  if (processLog) stores.push([processLog.project, processLog.logstore, 1]);
  const dl = config.deadLetter?.target;
  if (dl?.kind === 'logstore') stores.push([dl.project, dl.logstore, 1]);
  const out = functionTarget(config.functionParameter);
  if (out) stores.push([out.projectName, out.logstoreName, 1]);
  for (const [project, logstore, shardCount] of stores) {
    await ignoring(client.createProject({ project, description: opts.description ?? 'created by sls-trigger' }), 'ProjectAlreadyExist');
    await ignoring(client.createLogStore({ project, logstore, shardCount, ttl: opts.ttlDays ?? 7 }), 'LogStoreAlreadyExist');
  }
}

// A job over a running `sls-trigger serve`: its project, a one-shard source holding one log and a
// schedule-log logstore, and the job config that names them (what `run` needs and does not create).
import { LogClient } from '../../src/client/index.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';

export async function servedJob(endpoint: string, project: string, target: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const client = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY });
  try {
    await client.createProject({ project });
    await client.createLogStore({ project, logstore: 'src', shardCount: 1 });
    await client.createLogStore({ project, logstore: 'log', shardCount: 1 });
    await client.putLogs({
      project,
      logstore: 'src',
      logGroup: { logs: [{ time: 1, contents: [{ key: 'n', value: '1' }] }], logTags: [] },
    });
  } finally {
    client.close();
  }
  return {
    endpoint,
    project,
    sourceConfig: { logstore: 'src', startTime: 'begin' },
    jobConfig: { triggerInterval: 60 },
    logConfig: { project, logstore: 'log' },
    target,
    ...extra,
  };
}

// Copies the trigger's range to another logstore. Each log keeps its time (and nanoseconds), and
// each group its topic, source and tags. Consecutive groups that share topic, source and tags are
// merged into one PutLogs (up to maxBatchBytes / maxBatchLogs), so small groups cost few writes.
// With parameter.spl only what that SPL keeps is pulled, and copied.
import { createHandler, LogClient, type FastLogGroup, type Log, type LogGroup } from 'sls-trigger/runtime';
import parameterSchema from './parameter.schema.json' with { type: 'json' };

interface Parameter {
  source?: { endpoint?: string };
  target: { endpoint?: string; projectName: string; logstoreName: string };
  maxBatchBytes?: number;
  maxBatchLogs?: number;
  /** replicate only what this SPL keeps (run by SLS as the range is pulled) */
  spl?: string;
}

const metaKey = (g: FastLogGroup) => JSON.stringify([g.topic ?? null, g.source ?? null, g.logTags.map((t) => [t.key, t.value])]);

const clients = new Map<string, LogClient>();
function clientFor(endpoint: string, creds: { accessKeyId: string; accessKeySecret: string; securityToken?: string }): LogClient {
  const key = `${endpoint}\n${creds.accessKeyId}\n${creds.securityToken ?? ''}`;
  let c = clients.get(key);
  if (!c) clients.set(key, (c = new LogClient({ endpoint, credentials: creds, retry: { retries: 5 } })));
  return c;
}

export const handler = createHandler<Parameter>(
  async (batch, ctx) => {
    const p = ctx.parameter;
    const endpoint = p.target.endpoint ?? p.source?.endpoint ?? ctx.event.source.endpoint;
    const target = clientFor(endpoint, ctx.credentials);
    const maxBytes = p.maxBatchBytes ?? 1024 * 1024;
    const maxLogs = p.maxBatchLogs ?? 4096;
    let pending: { key: string; group: LogGroup; bytes: number } | undefined;
    let writes = 0;
    const flush = async () => {
      if (!pending) return;
      await target.putLogs({ project: p.target.projectName, logstore: p.target.logstoreName, logGroup: pending.group });
      writes++;
      pending = undefined;
    };
    for (const g of batch.groups) {
      const key = metaKey(g);
      if (pending && (pending.key !== key || pending.bytes + g.byteLength > maxBytes || pending.group.logs.length + g.logCount > maxLogs))
        await flush();
      if (!pending) {
        const { logs: _logs, ...meta } = g.toLogGroup();
        pending = { key, group: { ...meta, logs: [] }, bytes: 0 };
      }
      for (let i = 0; i < g.logCount; i++) pending.group.logs.push(g.log(i) as Log);
      pending.bytes += g.byteLength;
    }
    await flush();
    ctx.logger.info(`copied ${batch.logCount} logs in ${writes} writes`, { target: `${p.target.projectName}/${p.target.logstoreName}` });
    return true;
  },
  { parameterSchema, batchSize: 100, spl: (p) => p.spl },
);

// Ships each range to Splunk's HTTP Event Collector. One HEC event per log: time (with the
// nanosecond part), host (the group's source), source, sourcetype, index, and the fields plus
// __topic__ and __tag__:* as the event object. Fields named in unfoldJsonFields that hold JSON are
// sent as objects. Groups with a topic in skipTopics are not sent (a batch of only those = skipped).
import { createHandler, type FastLogGroup } from 'sls-trigger/runtime';
import { HecClient } from './hec.js';
import parameterSchema from './parameter.schema.json' with { type: 'json' };

interface Parameter {
  hec: {
    endpoint: string;
    token: string;
    index?: string;
    source?: string;
    sourcetype?: string;
    verifyTls?: boolean;
    timeoutMs?: number;
    retries?: number;
    batchSize?: number;
  };
  skipTopics?: string[];
  unfoldJsonFields?: string[];
}

const clients = new Map<string, HecClient>();

function unfold(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function toEvents(g: FastLogGroup, p: Parameter, defaultSource: string): object[] {
  const unfoldSet = new Set(p.unfoldJsonFields ?? []);
  const out: object[] = [];
  for (let i = 0; i < g.logCount; i++) {
    const fields: Record<string, unknown> = {};
    for (let j = 0, n = g.fieldCount(i); j < n; j++) {
      const k = g.key(i, j);
      const v = g.value(i, j);
      fields[k] = unfoldSet.has(k) ? unfold(v) : v;
    }
    if (g.topic) fields.__topic__ = g.topic;
    for (const t of g.logTags) fields[`__tag__:${t.key}`] = t.value;
    const ns = g.timeNs(i);
    const e: Record<string, unknown> = {
      time: ns === undefined ? g.time(i) : Number(`${g.time(i)}.${String(ns).padStart(9, '0').slice(0, 6)}`),
      host: g.source ?? '',
      source: p.hec.source ?? defaultSource,
      sourcetype: p.hec.sourcetype ?? 'sls:log',
      event: fields,
    };
    if (p.hec.index) e.index = p.hec.index;
    out.push(e);
  }
  return out;
}

export const handler = createHandler<Parameter>(
  async (batch, ctx) => {
    const p = ctx.parameter;
    const key = JSON.stringify(p.hec);
    let hec = clients.get(key);
    if (!hec)
      clients.set(
        key,
        (hec = new HecClient({
          endpoint: p.hec.endpoint,
          token: p.hec.token,
          verifyTls: p.hec.verifyTls ?? true,
          timeoutMs: p.hec.timeoutMs ?? 10_000,
          retries: p.hec.retries ?? 3,
        })),
      );
    const skip = new Set(p.skipTopics ?? []);
    const src = `sls:${ctx.event.source.projectName}/${ctx.event.source.logstoreName}`;
    const events = batch.groups.filter((g) => !skip.has(g.topic ?? '')).flatMap((g) => toEvents(g, p, src));
    if (events.length === 0) return false;
    const size = p.hec.batchSize ?? 500;
    for (let i = 0; i < events.length; i += size) await hec.send(events.slice(i, i + size));
    ctx.logger.info(`sent ${events.length} events to HEC`);
    return true;
  },
  { parameterSchema },
);

// Forwards each range as RFC 5424 syslog: one message per log, MSG = key=value pairs (fields, then
// __topic__ and __tag__:*), TIMESTAMP = the log's time, HOSTNAME = the group's source unless set.
import { createHandler } from 'sls-trigger/runtime';
import { connect, facilityCode, formatRfc5424, severityCode } from './syslog.js';
import parameterSchema from './parameter.schema.json' with { type: 'json' };

interface Parameter {
  host: string;
  port: number;
  protocol?: 'tcp' | 'tls' | 'udp';
  facility?: number | string;
  severity?: number | string;
  hostname?: string;
  tag?: string;
  separator?: string;
  verifyTls?: boolean;
  timeoutMs?: number;
}

export const handler = createHandler<Parameter>(
  async (batch, ctx) => {
    const p = ctx.parameter;
    const pri = facilityCode(p.facility) * 8 + severityCode(p.severity);
    const sep = p.separator ?? ' ';
    const messages: string[] = [];
    for (const g of batch.groups) {
      const extra = [...(g.topic ? [`__topic__=${g.topic}`] : []), ...g.logTags.map((t) => `__tag__:${t.key}=${t.value}`)];
      for (let i = 0; i < g.logCount; i++) {
        const kv: string[] = [];
        for (let j = 0, n = g.fieldCount(i); j < n; j++) kv.push(`${g.key(i, j)}=${g.value(i, j)}`);
        const ns = g.timeNs(i) ?? 0;
        messages.push(
          formatRfc5424({
            pri,
            time: g.time(i) + ns / 1e9,
            hostname: p.hostname ?? g.source,
            appName: p.tag ?? 'sls',
            msg: [...kv, ...extra].join(sep),
          }),
        );
      }
    }
    const t = await connect({
      protocol: p.protocol ?? 'tcp',
      host: p.host,
      port: p.port,
      verifyTls: p.verifyTls ?? true,
      timeoutMs: p.timeoutMs ?? 10_000,
    });
    try {
      await t.send(messages);
    } finally {
      t.close();
    }
    ctx.logger.info(`sent ${messages.length} syslog messages over ${p.protocol ?? 'tcp'}`);
    return true;
  },
  { parameterSchema },
);

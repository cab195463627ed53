// Enriches each log with geo fields for its IP field and writes the enriched groups to a target
// logstore, keeping each log's time and each group's topic, source and tags. The IP databases are
// opened in the initializer (or on first use of a path the parameter names) and kept for the
// instance. IPs that are private, malformed or not in the database get no geo fields and are
// counted in the result's `counters`; they never fail the invocation.
import { createHandler, createInitializer, LogClient, type Credentials, type Log, type LogGroup } from 'sls-trigger/runtime';
import { GeoDatabases, IpOutcome, shippedDatabase, type DatabasePaths, type GeoFields } from './geo.js';
import parameterSchema from './parameter.schema.json' with { type: 'json' };

interface Parameter {
  target: { endpoint?: string; projectName: string; logstoreName: string };
  transform?: {
    ipKeyName?: string;
    countryKeyName?: string;
    provinceKeyName?: string;
    regionKeyName?: string;
    cityKeyName?: string;
    ispKeyName?: string;
    databasePath?: string;
    ipv6DatabasePath?: string;
    ispDatabasePath?: string;
    language?: string;
  };
}

const databases = new GeoDatabases();
const clients = new Map<string, LogClient>();

/** The initializer's databases: IP_DATABASE_PATH / IPV6_DATABASE_PATH / ISP_DATABASE_PATH, else the shipped ones. */
function defaultPaths(env: NodeJS.ProcessEnv = process.env): DatabasePaths {
  if (env.IP_DATABASE_PATH) return { ipv4: env.IP_DATABASE_PATH, ipv6: env.IPV6_DATABASE_PATH, isp: env.ISP_DATABASE_PATH };
  return { ipv4: shippedDatabase(4), ipv6: shippedDatabase(6), isp: env.ISP_DATABASE_PATH };
}

function pathsOf(t: Parameter['transform'] = {}): DatabasePaths {
  if (!t.databasePath) return { ...defaultPaths(), ...(t.ispDatabasePath ? { isp: t.ispDatabasePath } : {}) };
  return { ipv4: t.databasePath, ipv6: t.ipv6DatabasePath, isp: t.ispDatabasePath };
}

export const initialize = createInitializer(async () => {
  const paths = defaultPaths();
  await databases.lookup(paths, 'en');
  console.log(`opened the IP databases ${[paths.ipv4, paths.ipv6, paths.isp].filter(Boolean).join(', ')}`);
});

function clientFor(endpoint: string, creds: Credentials): LogClient {
  const key = `${endpoint}\n${creds.accessKeyId}\n${creds.securityToken ?? ''}`;
  let c = clients.get(key);
  if (!c) clients.set(key, (c = new LogClient({ endpoint, credentials: creds, retry: { retries: 5 } })));
  return c;
}

/** Output key per geo field; "" leaves that field out (as the Java template's empty *KeyName). */
function outputKeys(t: Parameter['transform'] = {}): Array<[keyof GeoFields, string]> {
  const keys: Array<[keyof GeoFields, string]> = [
    ['country', t.countryKeyName ?? 'country'],
    ['province', t.provinceKeyName ?? 'province'],
    ['region', t.regionKeyName ?? ''],
    ['city', t.cityKeyName ?? 'city'],
    ['isp', t.ispKeyName ?? 'isp'],
  ];
  return keys.filter(([, key]) => key !== '');
}

function enrich(log: Log, fields: GeoFields, keys: Array<[keyof GeoFields, string]>): Log {
  const added = keys.flatMap(([field, key]) => (fields[field] === undefined ? [] : [{ key, value: fields[field] }]));
  const replaced = new Set(added.map((c) => c.key));
  return { ...log, contents: [...log.contents.filter((c) => !replaced.has(c.key)), ...added] };
}

export const handler = createHandler<Parameter>(
  async (batch, ctx) => {
    const { target, transform = {} } = ctx.parameter;
    const ipKey = transform.ipKeyName ?? 'ip';
    const keys = outputKeys(transform);
    const lookup = await databases.lookup(pathsOf(transform), transform.language ?? 'en');
    const out = clientFor(target.endpoint ?? ctx.event.source.endpoint, ctx.credentials);
    for (const group of batch.groups) {
      const { logs, ...meta } = group.toLogGroup();
      const enriched: LogGroup = { ...meta, logs: [] };
      for (const log of logs) {
        const ip = log.contents.find((c) => c.key === ipKey)?.value;
        if (ip === undefined) {
          ctx.count('ipMissing');
          enriched.logs.push(log);
          continue;
        }
        const { outcome, fields } = lookup(ip);
        ctx.count(outcome);
        if (outcome === IpOutcome.Invalid) ctx.logger.warn(`not an IP address in ${ipKey}: ${JSON.stringify(ip)}`);
        enriched.logs.push(fields ? enrich(log, fields, keys) : log);
      }
      if (enriched.logs.length > 0) await out.putLogs({ project: target.projectName, logstore: target.logstoreName, logGroup: enriched });
    }
    return true;
  },
  { parameterSchema, batchSize: 100 },
);

// sls-trigger replay: build real events and invoke the function locally, from live data (any SLS
// endpoint), from an event or dead-letter file, or offline from a recorded fixture.
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serveFixture } from '../loghub/index.js';
import { DEFAULT_ACCESS_KEY } from '../loghub/index.js';
import { cursorDistance, type Credentials } from '../codec/index.js';
import {
  eventForCursors,
  eventForTimes,
  LocalInvoker,
  parseTimePoint,
  readEventFile,
  recordFixture,
  splitEvent,
  type Fixture,
  type InvokeOutcome,
  type TriggerEvent,
} from '../trigger/index.js';
import { clientFor, resolveSource, sourceOptions, type SourceFlags } from './job.js';
import { intOption } from './util.js';
import { progressBar } from './print.js';
import { SlsArgumentError } from '../errors/index.js';

interface ReplayFlags extends SourceFlags {
  module?: string;
  handler?: string;
  initializer?: string;
  shard?: number;
  from: string;
  to: string;
  beginCursor?: string;
  endCursor?: string;
  event?: string;
  record?: string;
  fixture?: string;
  timeout: number;
  window: number;
  json?: boolean;
}

function target(flags: ReplayFlags, src?: ReturnType<typeof resolveSource>) {
  const t = src?.config?.target;
  const local = t?.type === 'local' ? t : undefined;
  const module = flags.module ? path.resolve(flags.module) : local?.module;
  if (!module) throw new SlsArgumentError('replay runs a local handler module: give --module (or a config whose target is local)');
  return {
    module,
    handler: flags.handler ?? local?.handler ?? 'handler',
    initializer: flags.initializer ?? local?.initializer,
    functionName: local?.functionName,
  };
}

async function liveEvents(
  flags: ReplayFlags,
  src: ReturnType<typeof resolveSource>,
  client: ReturnType<typeof clientFor>,
): Promise<TriggerEvent[]> {
  const s = { client, ...src };
  if (flags.event) {
    const e = readEventFile(flags.event);
    return [flags.endpoint ? { ...e, source: { ...e.source, endpoint: flags.endpoint } } : e];
  }
  if (flags.beginCursor || flags.endCursor) {
    if (flags.shard === undefined || !flags.beginCursor || !flags.endCursor)
      throw new SlsArgumentError('--begin-cursor and --end-cursor need each other and --shard');
    return [await eventForCursors(s, flags.shard, flags.beginCursor, flags.endCursor)];
  }
  const shards =
    flags.shard !== undefined
      ? [flags.shard]
      : (await client.listShards({ project: src.project, logstore: src.logstore })).map((x) => x.shardID);
  const from = parseTimePoint(flags.from, '--from');
  const to = parseTimePoint(flags.to, '--to');
  const whole = await Promise.all(shards.map((id) => eventForTimes(s, id, from, to)));
  // --record keeps one event (one fixture); otherwise long ranges become windows with a progress bar
  if (flags.record) return whole;
  return (await Promise.all(whole.map((e) => splitEvent(s, e, flags.window)))).flat();
}

const groupsIn = (e: TriggerEvent) => Number(cursorDistance(e.source.beginCursor, e.source.endCursor));

function report(flags: ReplayFlags, i: number, n: number, e: TriggerEvent, o: InvokeOutcome, ms: number): boolean {
  const result = o.ok ? (JSON.parse(o.body.toString() || 'null') as unknown) : undefined;
  if (flags.json) {
    process.stdout.write(
      JSON.stringify({
        event: e,
        ok: o.ok,
        result,
        error: o.ok ? undefined : o.kind === 'function' ? o.error : { errorMessage: o.error.message },
        logs: o.ok || o.kind === 'function' ? o.logs : [],
        durationMs: ms,
      }) + '\n',
    );
  } else {
    const status = o.ok ? 'ok' : `FAILED (${o.kind === 'function' ? `${o.errorType}: ${o.error.errorMessage}` : o.error.message})`;
    process.stderr.write(`[${i + 1}/${n}] shard ${e.source.shardId} ${status} in ${ms} ms\n`);
    for (const l of o.ok || o.kind === 'function' ? o.logs : []) process.stderr.write(`  | ${l}\n`);
    if (o.ok) process.stdout.write(JSON.stringify(result) + '\n');
  }
  return o.ok;
}

async function invokeAll(flags: ReplayFlags, t: ReturnType<typeof target>, events: TriggerEvent[], creds: Credentials): Promise<boolean> {
  const inv = new LocalInvoker({
    module: t.module,
    handler: t.handler,
    initializer: t.initializer,
    functionName: t.functionName,
    maxWorkers: 1,
  });
  let allOk = true;
  const total = events.reduce((n, e) => n + groupsIn(e), 0);
  let done = 0;
  try {
    for (let i = 0; i < events.length; i++) {
      const started = Date.now();
      const o = await inv.invoke({
        event: Buffer.from(JSON.stringify(events[i])),
        requestId: `replay-${events[i].taskId}`,
        timeoutMs: flags.timeout * 1000,
        credentials: creds,
      });
      allOk = report(flags, i, events.length, events[i], o, Date.now() - started) && allOk;
      done += groupsIn(events[i]);
      if (events.length > 1 && !flags.json) progressBar(done, total, `groups, event ${i + 1}/${events.length}`, i + 1 === events.length);
    }
  } finally {
    await inv.close();
  }
  return allOk;
}

export function registerReplay(command: Command): void {
  sourceOptions(command)
    .option('--module <path>', "handler module (default: the config's local target)")
    .option('--handler <name>', "exported handler (default: the config's, else handler)")
    .option('--initializer <name>', 'exported initializer')
    .option('--shard <n>', 'one shard (default: every shard)', intOption('--shard', 0, 1e9))
    .option('--from <time>', 'range begin: begin, end, unix seconds or ISO date', 'begin')
    .option('--to <time>', 'range end (exclusive): begin, end, unix seconds or ISO date', 'end')
    .option('--begin-cursor <cursor>', 'explicit begin cursor (with --end-cursor and --shard)')
    .option('--end-cursor <cursor>', 'explicit end cursor')
    .option('--event <file>', 'replay this event, or the event in a dead-letter record')
    .option('--job <name>', 'jobName in built events')
    .option('--parameter <json>', "parameter in built events (default: the config's functionParameter)")
    .option('--record <file>', "also save the range's log groups and the event as a fixture (one shard)")
    .option('--fixture <file>', 'replay a recorded fixture offline: no SLS endpoint needed')
    .option('--timeout <s>', 'invocation timeout in seconds', intOption('--timeout', 1, 86400), 600)
    .option(
      '--window <groups>',
      'split long ranges into events of at most this many log groups (0 = one event per shard)',
      intOption('--window', 0, 1e9),
      1000,
    )
    .option('--json', 'one JSON object per event on stdout: {event, ok, result, error, logs, durationMs}')
    .action(async (flags: ReplayFlags) => {
      if (flags.fixture) {
        const fixture = JSON.parse(readFileSync(flags.fixture, 'utf8')) as Fixture;
        const cfg = flags.config
          ? resolveSource({
              ...flags,
              endpoint: flags.endpoint ?? 'http://127.0.0.1:1',
              project: flags.project ?? 'x',
              logstore: flags.logstore ?? 'x',
            })
          : undefined;
        const { hub, event } = await serveFixture(fixture);
        try {
          if (!(await invokeAll(flags, target(flags, cfg), [event], DEFAULT_ACCESS_KEY))) process.exitCode = 1;
        } finally {
          await hub.close();
        }
        return;
      }
      const src = resolveSource(flags);
      const client = clientFor(src.endpoint, src.credentials);
      try {
        const t = target(flags, src);
        const events = await liveEvents(flags, src, client);
        if (flags.record) {
          if (events.length !== 1)
            throw new SlsArgumentError(`--record saves one range: give --shard (this selection has ${events.length})`);
          const fx = await recordFixture(client, events[0]);
          writeFileSync(flags.record, JSON.stringify(fx, null, 2) + '\n');
          process.stderr.write(`recorded ${fx.groups} log groups to ${flags.record}\n`);
        }
        if (!(await invokeAll(flags, t, events, src.credentials))) process.exitCode = 1;
      } finally {
        client.close();
      }
    });
}

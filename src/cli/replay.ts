// sls-trigger replay: build real events and invoke the function locally, from live data (any SLS
// endpoint), from an event or dead-letter file, or offline from a recorded fixture.
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serveFixture } from '../loghub/index.js';
import { DEFAULT_ACCESS_KEY } from '../loghub/index.js';
import type { CredentialsInput } from '../client/index.js';
import { ENV } from '../env/env.js';
import {
  parseTimePoint,
  readEventFile,
  recordFixture,
  replay,
  replayEvents,
  replayTarget,
  localInvokerFor,
  type Fixture,
  type JobConfig,
  type ReplayResult,
  type ReplaySelection,
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
  spl?: string;
}

function selectionOf(flags: ReplayFlags): ReplaySelection {
  if (flags.event) {
    const e = readEventFile(flags.event);
    return { event: flags.endpoint ? { ...e, source: { ...e.source, endpoint: flags.endpoint } } : e };
  }
  if ((flags.beginCursor || flags.endCursor) && (flags.shard === undefined || !flags.beginCursor || !flags.endCursor))
    throw new SlsArgumentError('--begin-cursor and --end-cursor need each other and --shard');
  return {
    shardId: flags.shard,
    beginCursor: flags.beginCursor,
    endCursor: flags.endCursor,
    from: parseTimePoint(flags.from, '--from'),
    to: parseTimePoint(flags.to, '--to'),
    // --record keeps one event (one fixture); otherwise long ranges become windows
    window: flags.record ? 0 : flags.window,
  };
}

/** The function's result parsed when it is JSON (a createHandler function's), else its text. */
function parsedBody(body: string | undefined): unknown {
  if (body === undefined || body === '') return null;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

function printResult(flags: ReplayFlags, r: ReplayResult, i: number, n: number): void {
  const result = r.ok ? parsedBody(r.body) : undefined;
  if (flags.json) {
    const { event, ok, error, logs, durationMs } = r;
    process.stdout.write(JSON.stringify({ event, ok, result, error, logs, durationMs }) + '\n');
    return;
  }
  const status = r.ok ? 'ok' : `FAILED (${r.error?.errorType}: ${r.error?.errorMessage})`;
  process.stderr.write(`[${i + 1}/${n}] shard ${r.event.source.shardId} ${status} in ${r.durationMs} ms\n`);
  for (const l of r.logs) process.stderr.write(`  | ${l}\n`);
  if (r.ok) process.stdout.write(JSON.stringify(result) + '\n');
}

async function invokeAll(
  flags: ReplayFlags,
  job: JobConfig | undefined,
  events: TriggerEvent[],
  credentials: CredentialsInput,
): Promise<boolean> {
  const target = replayTarget(job?.target, {
    module: flags.module ? path.resolve(flags.module) : undefined,
    handler: flags.handler,
    initializer: flags.initializer,
  });
  // the function's worker takes its environment when it starts: set before the invoker exists
  if (flags.spl !== undefined) process.env[ENV.spl] = flags.spl;
  const invoker = localInvokerFor(target, 1);
  try {
    const results = await replay(events, {
      invoker,
      credentials,
      timeoutMs: flags.timeout * 1000,
      onResult: (r, i, groups) => {
        printResult(flags, r, i, events.length);
        if (events.length > 1 && !flags.json)
          progressBar(groups.done, groups.total, `groups, event ${i + 1}/${events.length}`, i + 1 === events.length);
      },
    });
    return results.every((r) => r.ok);
  } finally {
    await invoker.close();
  }
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
    .option('--spl <statement>', 'a createHandler function pulls its range through this SPL (set as SLS_TRIGGER_SPL for it; docs/spl.md)')
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
          if (!(await invokeAll(flags, cfg?.config, [event], DEFAULT_ACCESS_KEY))) process.exitCode = 1;
        } finally {
          await hub.close();
        }
        return;
      }
      const src = resolveSource(flags);
      const client = clientFor(src.endpoint, src.credentials);
      try {
        // the target is checked before any range is read
        replayTarget(src.config?.target, { module: flags.module });
        const events = await replayEvents({ client, ...src }, selectionOf(flags));
        if (flags.record) {
          if (events.length !== 1)
            throw new SlsArgumentError(`--record saves one range: give --shard (this selection has ${events.length})`);
          const fx = await recordFixture(client, events[0]);
          writeFileSync(flags.record, JSON.stringify(fx, null, 2) + '\n');
          process.stderr.write(`recorded ${fx.groups} log groups to ${flags.record}\n`);
        }
        if (!(await invokeAll(flags, src.config, events, src.credentials))) process.exitCode = 1;
      } finally {
        client.close();
      }
    });
}

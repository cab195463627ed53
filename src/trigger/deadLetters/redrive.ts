// Redrive: re-invoke a job's target with each dead letter's original event. The function reads
// the source when the range is still there; once the TTL removed it, the letter's saved bytes are
// served under the same cursors (as `replay --fixture` does). Each success is marked, so a second
// redrive skips it unless `all`.
import { currentCredentials, type CredentialsInput, type LogClient } from '../../client/index.js';
import { compareCursors } from '../../codec/index.js';
import type { Fixture, TriggerEvent } from '../../event/index.js';
import type { DeadLetterTarget } from '../job/config.js';
import { letterFixture, type DeadLetter } from './deadLetter.js';
import { markRedriven, readDeadLetters } from './deadLetterStore.js';
import type { Invoker, InvokeOutcome } from '../invokers/types.js';

/** Serves a fixture under its own project, logstore, shard and cursors; the event it returns points at it. */
export type ServeSaved = (fixture: Fixture) => Promise<{ event: TriggerEvent; close(): Promise<void> }>;

export interface RedriveFilter {
  /** letters dead-lettered at or after this (unix seconds) */
  readonly since?: number;
  readonly shardId?: number;
  /** a task id or a dead-letter id */
  readonly task?: string;
  /** also letters already redriven */
  readonly all?: boolean;
}

export interface RedriveOptions {
  /** reads the source and the dead-letter logstore */
  readonly client: LogClient;
  readonly target: DeadLetterTarget;
  readonly invoker: Invoker;
  readonly credentials: CredentialsInput;
  readonly timeoutMs: number;
  readonly filter?: RedriveFilter;
  /** decide and report, invoke nothing, mark nothing */
  readonly dryRun?: boolean;
  readonly serveSaved: ServeSaved;
  /** false when the target cannot reach a loopback server (FC): saved bytes then cannot be served */
  readonly canServeSaved: boolean;
  readonly onItem?: (item: RedriveItem, done: number, total: number) => void;
  readonly now?: () => number;
}

export const RedriveAction = {
  Redriven: 'redriven',
  Failed: 'failed',
  /** dry run: what would be done */
  WouldRedrive: 'wouldRedrive',
} as const;
export type RedriveAction = (typeof RedriveAction)[keyof typeof RedriveAction];

export interface RedriveItem {
  readonly id: string;
  readonly taskId: string;
  readonly shardId: number;
  readonly beginCursor: string;
  readonly endCursor: string;
  readonly action: RedriveAction;
  readonly dataSource?: 'source' | 'saved';
  /** saved data cut by maxDataBytes: groups of the range past it were not delivered */
  readonly truncated?: boolean;
  readonly error?: string;
  readonly requestId?: string;
  /** the function's log lines */
  readonly logs?: readonly string[];
}

export interface RedriveReport {
  readonly items: RedriveItem[];
  /** letters left out because they were redriven before (without `all`) */
  readonly skipped: number;
  readonly redriven: number;
  readonly failed: number;
}

function matches(letter: DeadLetter, f: RedriveFilter): boolean {
  if (f.shardId !== undefined && letter.shardId !== f.shardId) return false;
  return f.task === undefined || letter.taskId === f.task || letter.id === f.task;
}

/** The first cursor each source shard still holds (undefined: logstore or shard gone), looked up once per redrive run. */
type ShardBegins = Map<string, Promise<string | undefined>>;

/** True when the source shard still holds the letter's first group. */
async function sourceReadable(client: LogClient, begins: ShardBegins, e: TriggerEvent): Promise<boolean> {
  const s = e.source;
  const key = `${s.projectName}/${s.logstoreName}/${s.shardId}`;
  let first = begins.get(key);
  if (!first) {
    // a failed lookup (the logstore or shard is gone) leaves only the saved bytes
    first = client
      .getCursor({ project: s.projectName, logstore: s.logstoreName, shardId: s.shardId, from: 'begin' })
      .catch(() => undefined);
    begins.set(key, first);
  }
  const cursor = await first;
  return cursor !== undefined && compareCursors(cursor, s.beginCursor) <= 0;
}

/** Where the data comes from, or why it cannot be had. */
async function planData(
  o: RedriveOptions,
  begins: ShardBegins,
  letter: DeadLetter,
): Promise<{ dataSource: 'source' | 'saved' } | { error: string }> {
  if (await sourceReadable(o.client, begins, letter.event)) return { dataSource: 'source' };
  if (!letter.data.included || letter.data.groups === 0)
    return {
      error: `the source range has expired and the letter holds no data (${letter.data.error ?? (letter.data.included ? 'no groups saved' : 'includeData was off')})`,
    };
  if (!o.canServeSaved) return { error: 'the source range has expired; saved bytes can be served only to a local target' };
  return { dataSource: 'saved' };
}

function outcomeOf(out: InvokeOutcome): { error?: string; logs: readonly string[] } {
  if (out.ok) return { logs: out.logs };
  if (out.kind === 'function') return { error: `${out.errorType}: ${out.error.errorMessage}`, logs: out.logs };
  return { error: out.error.message, logs: [] };
}

async function invokeLetter(
  o: RedriveOptions,
  letter: DeadLetter,
  dataSource: 'source' | 'saved',
  requestId: string,
): Promise<{ error?: string; logs: readonly string[] }> {
  // The original event, without capabilities: the handler throws on any failure, so a redrive is all or nothing.
  const { capabilities: _, ...original } = letter.event;
  let event: TriggerEvent = original;
  let served: Awaited<ReturnType<ServeSaved>> | undefined;
  if (dataSource === 'saved') {
    const fixture = letterFixture(letter, original);
    served = await o.serveSaved(fixture);
    event = served.event;
  }
  try {
    const out = await o.invoker.invoke({
      event: Buffer.from(JSON.stringify(event)),
      requestId,
      timeoutMs: o.timeoutMs,
      credentials: await currentCredentials(o.credentials),
    });
    return outcomeOf(out);
  } finally {
    await served?.close();
  }
}

async function redriveOne(o: RedriveOptions, begins: ShardBegins, letter: DeadLetter): Promise<RedriveItem> {
  const base = {
    id: letter.id,
    taskId: letter.taskId,
    shardId: letter.shardId,
    beginCursor: letter.beginCursor,
    endCursor: letter.endCursor,
  };
  const plan = await planData(o, begins, letter);
  if ('error' in plan) return { ...base, action: RedriveAction.Failed, error: plan.error };
  const truncated = plan.dataSource === 'saved' && letter.data.truncated ? true : undefined;
  if (o.dryRun) return { ...base, action: RedriveAction.WouldRedrive, dataSource: plan.dataSource, truncated };
  const requestId = `redrive-${letter.id}`;
  const { error, logs } = await invokeLetter(o, letter, plan.dataSource, requestId);
  if (error) return { ...base, action: RedriveAction.Failed, dataSource: plan.dataSource, truncated, error, requestId, logs };
  const now = o.now ?? Date.now;
  await markRedriven(o.client, o.target, { id: letter.id, time: Math.floor(now() / 1000), requestId, dataSource: plan.dataSource });
  return { ...base, action: RedriveAction.Redriven, dataSource: plan.dataSource, truncated, requestId, logs };
}

/** Redrives the selected letters one at a time, oldest first (a shard's letters stay in order). */
export async function redrive(o: RedriveOptions): Promise<RedriveReport> {
  const { letters, redriven } = await readDeadLetters(o.client, o.target, o.filter?.since);
  const f = o.filter ?? {};
  const matching = letters.filter((l) => matches(l, f));
  const chosen = matching.filter((l) => f.all === true || !redriven.has(l.id));
  const items: RedriveItem[] = [];
  const begins: ShardBegins = new Map();
  for (const letter of chosen) {
    const item = await redriveOne(o, begins, letter);
    items.push(item);
    o.onItem?.(item, items.length, chosen.length);
  }
  return {
    items,
    skipped: matching.length - chosen.length,
    redriven: items.filter((i) => i.action === RedriveAction.Redriven).length,
    failed: items.filter((i) => i.action === RedriveAction.Failed).length,
  };
}

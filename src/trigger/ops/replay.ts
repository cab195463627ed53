// Replay: run a function over chosen ranges outside the schedule. No checkpoint moves and nothing
// is written to the schedule log. `sls-trigger replay` and the console's replay both call this; the
// CLI only parses flags and prints each result.
import { randomUUID } from 'node:crypto';
import { cursorDistance } from '../../codec/index.js';
import { currentCredentials, type CredentialsInput } from '../../client/index.js';
import { eventForCursors, eventForTimes, splitEvent, type EventSource, type TimePoint, type TriggerEvent } from '../../event/index.js';
import { SlsArgumentError } from '../../errors/index.js';
import type { LocalTarget, Target } from '../job/targets.js';
import type { FunctionErrorBody, InvokeOutcome, Invoker } from '../invokers/types.js';

/** Which ranges to replay: a saved event, explicit cursors of one shard, or a time range. */
export interface ReplaySelection {
  /** a saved event (an event file or a dead letter's), replayed as it is */
  readonly event?: TriggerEvent;
  /** one shard (default: every shard); required with cursors */
  readonly shardId?: number;
  readonly beginCursor?: string;
  readonly endCursor?: string;
  /** the time range [from, to) (default: begin to end) */
  readonly from?: TimePoint;
  readonly to?: TimePoint;
  /** split long ranges into events of at most this many log groups (0 or absent: one event per shard) */
  readonly window?: number;
}

/** The events a selection names, in shard order. */
export async function replayEvents(src: EventSource, sel: ReplaySelection): Promise<TriggerEvent[]> {
  if (sel.event) return [sel.event];
  if (sel.beginCursor !== undefined || sel.endCursor !== undefined) {
    if (sel.shardId === undefined || !sel.beginCursor || !sel.endCursor)
      throw new SlsArgumentError('a cursor range needs both cursors and a shard');
    return [await eventForCursors(src, sel.shardId, sel.beginCursor, sel.endCursor)];
  }
  const shards =
    sel.shardId !== undefined
      ? [sel.shardId]
      : (await src.client.listShards({ project: src.project, logstore: src.logstore })).map((s) => s.shardID);
  const whole = await Promise.all(shards.map((id) => eventForTimes(src, id, sel.from ?? 'begin', sel.to ?? 'end')));
  if (!sel.window) return whole;
  return (await Promise.all(whole.map((e) => splitEvent(src, e, sel.window!)))).flat();
}

/**
 * The local function a replay runs: the job's local target, with any of module, handler and
 * initializer overridden. A job whose target is on FC needs a module given.
 */
export function replayTarget(
  jobTarget: Target | undefined,
  override: Partial<Pick<LocalTarget, 'module' | 'handler' | 'initializer'>>,
): LocalTarget {
  const local = jobTarget?.type === 'local' ? jobTarget : undefined;
  const module = override.module ?? local?.module;
  if (!module) throw new SlsArgumentError('replay runs a local handler module: give one (or a job whose target is local)');
  return {
    type: 'local',
    module,
    handler: override.handler ?? local?.handler ?? 'handler',
    initializer: override.initializer ?? local?.initializer,
    functionName: local?.functionName,
  };
}

/** One replayed event: what the function returned (its body as text) or how it failed, and its log lines. */
export interface ReplayResult {
  readonly event: TriggerEvent;
  readonly ok: boolean;
  readonly requestId: string;
  /** the function's result as text (JSON for a createHandler function) */
  readonly body?: string;
  /** the function's error; a call that never reached it is typed InvocationTransportError */
  readonly error?: FunctionErrorBody;
  readonly logs: readonly string[];
  readonly durationMs: number;
}

export function resultOf(event: TriggerEvent, o: InvokeOutcome, durationMs: number): ReplayResult {
  const base = { event, ok: o.ok, requestId: o.requestId, durationMs };
  if (o.ok) return { ...base, body: o.body.toString('utf8'), logs: o.logs };
  if (o.kind === 'function') return { ...base, error: { ...o.error, errorType: o.error.errorType ?? o.errorType }, logs: o.logs };
  return { ...base, error: { errorType: 'InvocationTransportError', errorMessage: o.error.message }, logs: [] };
}

export interface ReplayRun {
  readonly invoker: Invoker;
  /** the keys put in each invocation's context */
  readonly credentials: CredentialsInput;
  readonly timeoutMs: number;
  /** called after each event, with the log groups done and in all */
  readonly onResult?: (r: ReplayResult, index: number, groups: { done: number; total: number }) => void;
}

/** Invokes each event in turn (one at a time, in order) and returns each one's result. */
export async function replay(events: readonly TriggerEvent[], run: ReplayRun): Promise<ReplayResult[]> {
  const groupsIn = (e: TriggerEvent) => Number(cursorDistance(e.source.beginCursor, e.source.endCursor));
  const total = events.reduce((n, e) => n + groupsIn(e), 0);
  const results: ReplayResult[] = [];
  let done = 0;
  for (const [i, event] of events.entries()) {
    const started = Date.now();
    const outcome = await run.invoker.invoke({
      event: Buffer.from(JSON.stringify(event)),
      requestId: `replay-${randomUUID()}`,
      timeoutMs: run.timeoutMs,
      credentials: await currentCredentials(run.credentials),
    });
    const r = resultOf(event, outcome, Date.now() - started);
    results.push(r);
    done += groupsIn(event);
    run.onResult?.(r, i, { done, total });
  }
  return results;
}

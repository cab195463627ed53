// The one place events are made: the scheduler's tasks, replay, fixtures and `events generate` all
// build them here, so every event carries the same fields and a deterministic task id.
import { addToCursor, compareCursors, cursorDistance } from '../codec/index.js';
import type { LogClient } from '../client/index.js';
import { taskIdOf, validateEvent } from './event.js';
import type { LogstoreRef, TriggerEvent } from './types.js';
import { SlsArgumentError } from '../errors/index.js';

export type TimePoint = 'begin' | 'end' | number;

/** Parses --from/--to: begin, end, unix seconds, or an ISO-8601 date. */
export function parseTimePoint(v: string, flag: string): TimePoint {
  if (v === 'begin' || v === 'end') return v;
  if (/^\d+$/.test(v)) return Number(v);
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new SlsArgumentError(`${flag} ${JSON.stringify(v)} is not begin, end, unix seconds or an ISO date`);
  return Math.floor(ms / 1000);
}

/** What an event names besides its range: the source and the job. */
export interface EventSource extends LogstoreRef {
  readonly client: LogClient;
  /** the endpoint the function reads from (the event's source.endpoint) */
  readonly endpoint: string;
  readonly jobName: string;
  readonly parameter: Record<string, unknown>;
}

/** The event for [begin, end) of one shard, whose last group was received at `cursorTime`. */
export function eventOf(src: Omit<EventSource, 'client'>, shardId: number, begin: string, end: string, cursorTime: number): TriggerEvent {
  return validateEvent({
    source: { endpoint: src.endpoint, projectName: src.project, logstoreName: src.logstore, shardId, beginCursor: begin, endCursor: end },
    parameter: src.parameter,
    jobName: src.jobName,
    taskId: taskIdOf(src.jobName, shardId, begin, end),
    cursorTime,
  });
}

/** Receive time of the last group before `end` (0 for an empty range). */
export async function lastGroupTime(client: LogClient, at: LogstoreRef & { shardId: number }, begin: string, end: string): Promise<number> {
  return compareCursors(begin, end) < 0 ? client.getCursorTime({ ...at, cursor: addToCursor(end, -1) }) : 0;
}

/** An event for [begin, end) of one shard; cursorTime from the range's last group. */
export async function eventForCursors(src: EventSource, shardId: number, begin: string, end: string): Promise<TriggerEvent> {
  return eventOf(
    src,
    shardId,
    begin,
    end,
    await lastGroupTime(src.client, { project: src.project, logstore: src.logstore, shardId }, begin, end),
  );
}

/** An event for the groups received in [from, to) of one shard. */
export async function eventForTimes(src: EventSource, shardId: number, from: TimePoint, to: TimePoint): Promise<TriggerEvent> {
  const at = { project: src.project, logstore: src.logstore, shardId };
  const begin = await src.client.getCursor({ ...at, from });
  const end = await src.client.getCursor({ ...at, from: to });
  return eventForCursors(src, shardId, begin, compareCursors(end, begin) < 0 ? begin : end);
}

/** Splits an event's range into events of at most `window` log groups (cursor arithmetic: one step a group). */
export async function splitEvent(src: EventSource, e: TriggerEvent, window: number): Promise<TriggerEvent[]> {
  const total = cursorDistance(e.source.beginCursor, e.source.endCursor);
  if (window <= 0 || total <= BigInt(window)) return [e];
  const out: TriggerEvent[] = [];
  for (let begin = e.source.beginCursor; compareCursors(begin, e.source.endCursor) < 0;) {
    const step = addToCursor(begin, window);
    const end = compareCursors(step, e.source.endCursor) < 0 ? step : e.source.endCursor;
    out.push(await eventForCursors({ ...src, parameter: e.parameter, jobName: e.jobName }, e.source.shardId, begin, end));
    begin = end;
  }
  return out;
}

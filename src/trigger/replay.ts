// Building real events for local replay: by shard and time range (GetCursor by time), by explicit
// cursors, or from an event / dead-letter record; recording a range's log groups into a fixture
// (src/testing/fixture.ts serves one offline).
import { readFileSync } from 'node:fs';
import { addToCursor, compareCursors, cursorDistance, decodeCursor, encodeCursor } from '../codec/index.js';
import type { LogClient } from '../client/index.js';
import { parseEvent, taskIdOf, validateEvent, type TriggerEvent } from './event.js';

export type TimePoint = 'begin' | 'end' | number;

/** Parses --from/--to: begin, end, unix seconds, or an ISO-8601 date. */
export function parseTimePoint(v: string, flag: string): TimePoint {
  if (v === 'begin' || v === 'end') return v;
  if (/^\d+$/.test(v)) return Number(v);
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new Error(`${flag} ${JSON.stringify(v)} is not begin, end, unix seconds or an ISO date`);
  return Math.floor(ms / 1000);
}

export interface EventSource {
  readonly client: LogClient;
  readonly endpoint: string;
  readonly project: string;
  readonly logstore: string;
  readonly jobName: string;
  readonly parameter: Record<string, unknown>;
}

/** An event for [begin, end) of one shard; cursorTime from the range's last group. */
export async function eventForCursors(src: EventSource, shardId: number, begin: string, end: string): Promise<TriggerEvent> {
  const at = { project: src.project, logstore: src.logstore, shardId };
  const cursorTime = compareCursors(begin, end) < 0 ? await src.client.getCursorTime({ ...at, cursor: encodeCursor(decodeCursor(end) - 1n) }) : 0;
  return validateEvent({
    source: { endpoint: src.endpoint, projectName: src.project, logstoreName: src.logstore, shardId, beginCursor: begin, endCursor: end },
    parameter: src.parameter,
    jobName: src.jobName,
    taskId: taskIdOf(src.jobName, shardId, begin, end),
    cursorTime,
  });
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
  for (let begin = e.source.beginCursor; compareCursors(begin, e.source.endCursor) < 0; ) {
    const step = addToCursor(begin, window);
    const end = compareCursors(step, e.source.endCursor) < 0 ? step : e.source.endCursor;
    out.push(await eventForCursors({ ...src, parameter: e.parameter, jobName: e.jobName }, e.source.shardId, begin, end));
    begin = end;
  }
  return out;
}

/** Reads an event file: an event, or a dead-letter record ({event: "<json>"} or its contents list). */
export function readEventFile(file: string): TriggerEvent {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (typeof raw.event === 'string') return parseEvent(raw.event);
  if (Array.isArray(raw.contents)) {
    const e = (raw.contents as Array<{ key: string; value: string }>).find((c) => c.key === 'event');
    if (e) return parseEvent(e.value);
  }
  return parseEvent(raw);
}

export interface Fixture {
  version: 1;
  event: TriggerEvent;
  /** base64 of the uncompressed LogGroupList of [begin, end) */
  logGroupList: string;
  groups: number;
  recordedAt: string;
}

/** Reads the event's range (raw LogGroupList bytes, unchanged) into a fixture. */
export async function recordFixture(client: LogClient, event: TriggerEvent): Promise<Fixture> {
  const s = event.source;
  const parts: Buffer[] = [];
  let groups = 0;
  for (let cursor = s.beginCursor; cursor !== s.endCursor; ) {
    const r = await client.pullLogs({ project: s.projectName, logstore: s.logstoreName, shardId: s.shardId, cursor, endCursor: s.endCursor, count: 1000 });
    if (r.count === 0 || r.nextCursor === cursor) break;
    parts.push(r.rawBody);
    groups += r.count;
    cursor = r.nextCursor;
  }
  return { version: 1, event, logGroupList: Buffer.concat(parts).toString('base64'), groups, recordedAt: new Date().toISOString() };
}


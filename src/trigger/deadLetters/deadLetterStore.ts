// Reading dead letters back (for `redrive`, `status` and tests) and marking them redriven: from
// the logstore (headers, data parts and `redrive` marks, every shard) or from the directory
// (<id>.json letters, redriven/<id>.json marks).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LogClient } from '../../client/index.js';
import { parseEvent, type LogstoreRef } from '../../event/index.js';
import type { DeadLetterTarget } from '../job/config.js';
import { scanLogstore, type Fields } from '../../event/index.js';
import {
  DEAD_LETTER_DATA_TOPIC,
  DEAD_LETTER_TOPIC,
  letterFile,
  writeJsonAtomically,
  type DeadLetter,
  type DeadLetterReason,
} from './deadLetter.js';

export const REDRIVE_TOPIC = 'redrive';

/** That a letter was redriven successfully (a later redrive skips it unless told otherwise). */
export interface RedriveMark {
  readonly id: string;
  /** unix seconds */
  readonly time: number;
  readonly requestId: string;
  /** where the function read the data: the source logstore, or the letter's saved bytes */
  readonly dataSource: 'source' | 'saved';
}

export interface DeadLetterSet {
  /** oldest first */
  readonly letters: DeadLetter[];
  readonly redriven: ReadonlyMap<string, RedriveMark>;
}

function letterOf(h: Fields, parts: Map<number, string> | undefined): DeadLetter {
  const wanted = Number(h.data_parts ?? 0);
  const have = parts ? [...parts.keys()].filter((k) => k < wanted).length : 0;
  const complete = have === wanted;
  const bytes = complete ? Buffer.concat([...Array(wanted).keys()].map((k) => Buffer.from(parts!.get(k)!, 'base64'))) : Buffer.alloc(0);
  const missing = complete ? undefined : `${wanted - have} of ${wanted} data parts are missing from the dead-letter logstore`;
  return {
    id: h.dead_letter_id,
    reason: (h.reason ?? 'RetriesExhausted') as DeadLetterReason,
    jobName: h.job_name,
    taskId: h.task_id,
    shardId: Number(h.shard_id),
    beginCursor: h.begin_cursor,
    endCursor: h.end_cursor,
    attempts: Number(h.attempts),
    errorCode: h.error_code ?? '',
    errorMessage: h.error_message ?? '',
    time: Number(h.__time__ ?? 0),
    event: parseEvent(h.event),
    data: {
      included: h.data_included === 'true',
      bytes: complete ? Number(h.data_bytes ?? 0) : 0,
      groups: complete ? Number(h.data_groups ?? 0) : 0,
      truncated: h.data_truncated === 'true',
      endCursor: complete ? (h.data_end_cursor ?? h.begin_cursor) : h.begin_cursor,
      error: missing ?? h.data_error,
    },
    logGroupList: bytes.toString('base64'),
  };
}

async function readFromLogstore(client: LogClient, at: LogstoreRef, since: number | undefined): Promise<DeadLetterSet> {
  const headers: Fields[] = [];
  const parts = new Map<string, Map<number, string>>();
  const redriven = new Map<string, RedriveMark>();
  for await (const { topic, fields } of scanLogstore(client, at, { from: since ?? 'begin' })) {
    if (topic === DEAD_LETTER_TOPIC && fields.dead_letter_id) headers.push(fields);
    else if (topic === DEAD_LETTER_DATA_TOPIC) {
      const m = parts.get(fields.dead_letter_id) ?? new Map<number, string>();
      m.set(Number(fields.data_part), fields.data);
      parts.set(fields.dead_letter_id, m);
    } else if (topic === REDRIVE_TOPIC)
      redriven.set(fields.dead_letter_id, {
        id: fields.dead_letter_id,
        time: Number(fields.redriven_at),
        requestId: fields.request_id ?? '',
        dataSource: fields.data_source === 'saved' ? 'saved' : 'source',
      });
  }
  // A header rewritten by a retried write appears twice: one letter per id.
  const byId = new Map(headers.map((h) => [h.dead_letter_id, h]));
  const letters = [...byId.values()].map((h) => letterOf(h, parts.get(h.dead_letter_id)));
  return { letters: letters.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id)), redriven };
}

async function jsonFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

async function readFromDir(dir: string, since: number | undefined): Promise<DeadLetterSet> {
  const letters: DeadLetter[] = [];
  for (const f of await jsonFiles(dir)) {
    const raw = JSON.parse(await readFile(path.join(dir, f), 'utf8')) as { event: unknown; logGroupList: string; deadLetter: DeadLetter };
    const letter = { ...raw.deadLetter, event: parseEvent(raw.event), logGroupList: raw.logGroupList };
    if (since === undefined || letter.time >= since) letters.push(letter);
  }
  const redriven = new Map<string, RedriveMark>();
  for (const f of await jsonFiles(path.join(dir, 'redriven'))) {
    const mark = JSON.parse(await readFile(path.join(dir, 'redriven', f), 'utf8')) as RedriveMark;
    redriven.set(mark.id, mark);
  }
  return { letters: letters.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id)), redriven };
}

/** The dead letters of a target, received (logstore) or written (directory) at or after `since` (unix seconds). */
export function readDeadLetters(client: LogClient, target: DeadLetterTarget, since?: number): Promise<DeadLetterSet> {
  return target.kind === 'dir' ? readFromDir(target.dir, since) : readFromLogstore(client, target, since);
}

/** Records that a letter was redriven. */
export async function markRedriven(client: LogClient, target: DeadLetterTarget, mark: RedriveMark): Promise<void> {
  if (target.kind === 'dir') {
    await writeJsonAtomically(letterFile(path.join(target.dir, 'redriven'), mark.id), mark);
    return;
  }
  const contents = [
    { key: 'dead_letter_id', value: mark.id },
    { key: 'redriven_at', value: String(mark.time) },
    { key: 'request_id', value: mark.requestId },
    { key: 'data_source', value: mark.dataSource },
  ];
  await client.putLogs({ ...target, logGroup: { logs: [{ time: mark.time, contents }], topic: REDRIVE_TOPIC, logTags: [] } });
}

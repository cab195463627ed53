// Dead letters: what could not be delivered (retries exhausted, or older than maxRecordAgeSeconds),
// with the event, the error, the attempts and — unless includeData is off — the log groups' bytes
// (raw LogGroupList, as `replay --record` saves them), so a letter stays replayable after the
// source expired. In a logstore: the data as `dead_letter_data` logs of at most PART_BYTES each,
// then one `dead_letter` header log (written last: a header means its parts are all there). In a
// directory: one JSON file per letter that is also a fixture (`replay --fixture <file>` runs it).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { addToCursor, frameGroup, splitLogGroupList } from '../../codec/index.js';
import type { LogClient } from '../../client/index.js';
import { DEFAULT_PAGE_BYTES, readRange, type Fixture, type LogstoreRef, type TriggerEvent } from '../../event/index.js';
import type { DeadLetterConfig } from '../job/config.js';

export const DeadLetterReason = {
  RetriesExhausted: 'RetriesExhausted',
  RecordAgeExceeded: 'RecordAgeExceeded',
} as const;
export type DeadLetterReason = (typeof DeadLetterReason)[keyof typeof DeadLetterReason];

export const DEAD_LETTER_TOPIC = 'dead_letter';
export const DEAD_LETTER_DATA_TOPIC = 'dead_letter_data';

/** raw bytes per data log (its base64 value stays under SLS's recommended 1 MB per value) */
export const PART_BYTES = 512 * 1024;
/** data logs per PutLogs call (well under the 10 MB request limit) */
const PARTS_PER_PUT = 4;

export interface DeadLetterData {
  /** false when includeData is off */
  readonly included: boolean;
  /** framed LogGroupList bytes of [beginCursor, endCursor) saved, whole groups */
  readonly bytes: number;
  readonly groups: number;
  /** true when maxDataBytes cut the data: only [beginCursor, endCursor) of the data is saved */
  readonly truncated: boolean;
  /** the cursor after the last saved group */
  readonly endCursor: string;
  /** why the data could not be read (e.g. already expired), when it could not */
  readonly error?: string;
}

export interface DeadLetter {
  /** unique per letter: the write time and the task id */
  readonly id: string;
  readonly reason: DeadLetterReason;
  readonly jobName: string;
  readonly taskId: string;
  readonly shardId: number;
  readonly beginCursor: string;
  readonly endCursor: string;
  readonly attempts: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  /** unix seconds when it was dead-lettered */
  readonly time: number;
  readonly event: TriggerEvent;
  readonly data: DeadLetterData;
  /** base64 of the saved bytes ('' when none) */
  readonly logGroupList: string;
}

export type DeadLetterFacts = Omit<DeadLetter, 'id' | 'data' | 'logGroupList'>;

export const deadLetterId = (time: number, taskId: string): string => `${time}-${taskId}`;

/** Reads whole groups of [begin, end) up to maxBytes; a failed read is reported in `error`, not thrown (the letter is written anyway). */
export async function collectData(
  client: LogClient,
  at: LogstoreRef & { shardId: number },
  begin: string,
  end: string,
  maxBytes: number,
): Promise<{ data: DeadLetterData; bytes: Buffer }> {
  const parts: Buffer[] = [];
  let bytes = 0;
  let groups = 0;
  let truncated = false;
  let error: string | undefined;
  try {
    const pages = readRange({
      client,
      ...at,
      beginCursor: begin,
      endCursor: end,
      batchSize: 100,
      // pulls of about 2 MiB: 100 large groups would be a page of hundreds of MB in the scheduler
      pageBytes: DEFAULT_PAGE_BYTES,
      retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    });
    pages: for await (const page of pages) {
      const raw = page.result.rawBody;
      for (const slice of splitLogGroupList(raw)) {
        const framed = frameGroup(raw.subarray(slice.start, slice.end));
        if (bytes + framed.length > maxBytes) {
          truncated = true;
          break pages;
        }
        parts.push(framed);
        bytes += framed.length;
        groups++;
      }
    }
  } catch (e) {
    error = `the range could not be read: ${(e as Error).message}`;
  }
  return { data: { included: true, bytes, groups, truncated, endCursor: addToCursor(begin, groups), error }, bytes: Buffer.concat(parts) };
}

/** Builds the letter (reading its data per the config) and writes it to the configured target. */
export async function sendDeadLetter(client: LogClient, config: DeadLetterConfig, facts: DeadLetterFacts, id: string): Promise<DeadLetter> {
  const at = { project: facts.event.source.projectName, logstore: facts.event.source.logstoreName, shardId: facts.shardId };
  const { data, bytes } = config.includeData
    ? await collectData(client, at, facts.beginCursor, facts.endCursor, config.maxDataBytes)
    : { data: { included: false, bytes: 0, groups: 0, truncated: false, endCursor: facts.beginCursor }, bytes: Buffer.alloc(0) };
  const letter: DeadLetter = { ...facts, id, data, logGroupList: bytes.toString('base64') };
  if (config.target.kind === 'dir') await writeLetterFile(config.target.dir, letter);
  else await putLetter(client, config.target, letter, bytes);
  return letter;
}

/** The file name of a letter in a dead-letter directory (ids are digits, hex and dashes). */
export const letterFile = (dir: string, id: string): string => path.join(dir, `${id}.json`);

/**
 * The letter's saved data as a fixture: its event over the saved groups (a letter cut by
 * maxDataBytes covers [beginCursor, data.endCursor) only), replayable offline.
 */
export function letterFixture(letter: DeadLetter, event: TriggerEvent = letter.event): Fixture {
  const source = letter.data.truncated ? { ...event.source, endCursor: letter.data.endCursor } : event.source;
  return {
    version: 1,
    event: { ...event, source },
    logGroupList: letter.logGroupList,
    groups: letter.data.groups,
    recordedAt: new Date(letter.time * 1000).toISOString(),
  };
}

/** Writes JSON to `file` through a temporary file and a rename: a reader never sees half a file. */
export async function writeJsonAtomically(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(value, null, 2));
  await rename(tmp, file);
}

/** The directory form: the letter plus the fixture fields, so the file replays as a fixture. */
async function writeLetterFile(dir: string, letter: DeadLetter): Promise<void> {
  // The top-level event stays the whole range: it is the letter's event (deadLetterStore reads it back).
  const deadLetter = { ...letter, logGroupList: undefined, event: undefined };
  await writeJsonAtomically(letterFile(dir, letter.id), { ...letterFixture(letter), event: letter.event, deadLetter });
}

/** The header log's contents: the letter's facts, FC-style snake_case keys. */
export function headerContents(letter: DeadLetter, parts: number): Array<{ key: string; value: string }> {
  const fields: Record<string, string> = {
    dead_letter_id: letter.id,
    reason: letter.reason,
    event: JSON.stringify(letter.event),
    job_name: letter.jobName,
    task_id: letter.taskId,
    shard_id: String(letter.shardId),
    begin_cursor: letter.beginCursor,
    end_cursor: letter.endCursor,
    attempts: String(letter.attempts),
    error_code: letter.errorCode,
    error_message: letter.errorMessage,
    data_included: String(letter.data.included),
    data_bytes: String(letter.data.bytes),
    data_groups: String(letter.data.groups),
    data_truncated: String(letter.data.truncated),
    data_end_cursor: letter.data.endCursor,
    data_parts: String(parts),
  };
  if (letter.data.error) fields.data_error = letter.data.error;
  return Object.entries(fields).map(([key, value]) => ({ key, value }));
}

async function putLetter(client: LogClient, to: LogstoreRef, letter: DeadLetter, bytes: Buffer): Promise<void> {
  const parts: Buffer[] = [];
  for (let o = 0; o < bytes.length; o += PART_BYTES) parts.push(bytes.subarray(o, o + PART_BYTES));
  for (let i = 0; i < parts.length; i += PARTS_PER_PUT) {
    const logs = parts.slice(i, i + PARTS_PER_PUT).map((p, k) => ({
      time: letter.time,
      contents: [
        { key: 'dead_letter_id', value: letter.id },
        { key: 'data_part', value: String(i + k) },
        { key: 'data', value: p.toString('base64') },
      ],
    }));
    await client.putLogs({ ...to, logGroup: { logs, topic: DEAD_LETTER_DATA_TOPIC, logTags: [] } });
  }
  await client.putLogs({
    ...to,
    logGroup: { logs: [{ time: letter.time, contents: headerContents(letter, parts.length) }], topic: DEAD_LETTER_TOPIC, logTags: [] },
  });
}

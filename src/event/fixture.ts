// A fixture: a range's log groups recorded with their event, so a function test (or `replay
// --fixture`) replays real data byte for byte; loghub/fixture.ts serves one offline.
import type { LogClient } from '../client/index.js';
import { DEFAULT_PAGE_BYTES, eventRange, readRange } from './rangeReader.js';
import type { TriggerEvent } from './types.js';

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
  const parts: Buffer[] = [];
  let groups = 0;
  const pages = readRange({
    client,
    ...eventRange(event),
    batchSize: 1000,
    pageBytes: DEFAULT_PAGE_BYTES,
    retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
  });
  for await (const page of pages) {
    parts.push(page.result.rawBody);
    groups += page.result.count;
  }
  return { version: 1, event, logGroupList: Buffer.concat(parts).toString('base64'), groups, recordedAt: new Date().toISOString() };
}

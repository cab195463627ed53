// Local replay's input: an event, or a dead-letter record holding one, from a file.
import { readFileSync } from 'node:fs';
import { parseEvent, type TriggerEvent } from '../../event/index.js';

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

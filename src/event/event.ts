// The FC log-trigger event's validator (the published event.schema.json) and task ids; factory.ts makes events.
import { createHash } from 'node:crypto';
import eventSchemaJson from './event.schema.json' with { type: 'json' };
import { CodecError, decodeCursor } from '../codec/index.js';
import { compile, ValidationError } from '../validate/schema.js';
import type { TriggerEvent } from './types.js';

export type { TriggerEvent } from './types.js';

export const eventSchema: object = eventSchemaJson;

/** Validates an event (object); throws ValidationError naming the bad field. */
export const validateEvent = compile<TriggerEvent>(eventSchema, 'event');

/**
 * Parses an event as FC delivers it (Buffer), or a string, or an object, then validates it: the
 * schema, then what a schema cannot say (each cursor decodes, and begin is not after end). Any
 * fault is a ValidationError naming the field.
 */
export function parseEvent(input: unknown): TriggerEvent {
  let value = input;
  if (Buffer.isBuffer(input) || input instanceof Uint8Array) value = Buffer.from(input).toString('utf8');
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (e) {
      throw new ValidationError('event', [`(root) is not JSON: ${(e as Error).message}`], { cause: e });
    }
  }
  const event = validateEvent(value);
  const begin = cursorField(event.source.beginCursor, 'source.beginCursor');
  const end = cursorField(event.source.endCursor, 'source.endCursor');
  if (begin > end) {
    throw new ValidationError('event', [
      `source.beginCursor ${event.source.beginCursor} (${begin}) is after source.endCursor ${event.source.endCursor} (${end})`,
    ]);
  }
  return event;
}

function cursorField(cursor: string, field: string): bigint {
  try {
    return decodeCursor(cursor);
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    throw new ValidationError('event', [`${field} ${e.message}`], { cause: e });
  }
}

/** A deterministic UUID-shaped task id: the same job, shard and range always give the same id. */
export function taskIdOf(jobName: string, shardId: number, beginCursor: string, endCursor: string): string {
  const h = createHash('sha1').update(`${jobName}\n${shardId}\n${beginCursor}\n${endCursor}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

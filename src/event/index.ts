// The contract floor between the trigger and the function runtime: the event, its schema, the one
// factory, the ajv wrapper, the one reader of a cursor range and the one scan of a logstore. trigger/ and runtime/ import it;
// it imports only client/, codec/ and errors/.
export * from './types.js';
export { eventSchema, parseEvent, taskIdOf, validateEvent } from './event.js';
export * from './factory.js';
export { compile, ValidationError, type Validator } from '../validate/schema.js';
export {
  DEFAULT_PAGE_BYTES,
  eventRange,
  FIRST_PULL_GROUPS,
  readRange,
  type GroupSizeMemory,
  type Page,
  type RangeReaderOptions,
} from './rangeReader.js';
export { recordFixture, type Fixture } from './fixture.js';
export { fieldsOf, scanLogstore, type Fields, type ScanOptions, type ScanPosition, type ScannedLog } from './logScan.js';

// Helpers for testing functions: an embedded LogHub, fixtures of real shard data, events.
export { serveFixture, createLogStoreMeta } from './fixture.js';
export { startLogHub, DEFAULT_ACCESS_KEY, type LogHub } from '../loghub/index.js';
export { recordFixture, eventForCursors, eventForTimes, readEventFile, type Fixture } from '../trigger/replay.js';

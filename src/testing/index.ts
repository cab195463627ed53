// Helpers for testing functions: an embedded LogHub, fixtures of real shard data, events.
export { serveFixture, createLogStoreMeta } from '../loghub/fixture.js';
export { startLogHub, DEFAULT_ACCESS_KEY, type LogHub } from '../loghub/index.js';
export { recordFixture, eventForCursors, eventForTimes, type Fixture } from '../event/index.js';
export { readEventFile } from '../trigger/ops/eventFile.js';

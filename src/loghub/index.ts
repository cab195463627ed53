export * from './server.js';
export { Hub, DEFAULT_LIMITS, type Limits } from './hub.js';
export { expireAll } from './ttl.js';
export { FileStore, type FileStoreOptions } from './store/fileStore.js';
export { DataDirLockedError } from './store/dirLock.js';
export { MemoryStore } from './store/memoryStore.js';
export type * from './store/types.js';
export { serveFixture, createLogStoreMeta } from './fixture.js';
export { LogHubMetrics } from './metrics.js';

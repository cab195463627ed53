export { createHandler, CREATE_HANDLER_DEFAULTS, DEFAULT_PULL_RETRY } from './handler.js';
export { createInitializer } from './fcAdapter.js';
export {
  BatchOutcome,
  type ProcessData,
  type ProcessContext,
  type CreateHandlerOptions,
  type HandlerResult,
  type TaskLogger,
  type FcContextLike,
} from './types.js';
export { Batch, type LogRecord } from './batch.js';
export { readRange, parseEvent, validateEvent, type Page, type TriggerEvent, type Credentials } from '../event/index.js';
export { LogClient, type LogClientOptions } from '../client/client.js';
export type { FastLogGroup, LogGroup, Log, LogTag, LogContent } from '../codec/index.js';

export { createHandler, createInitializer, type ProcessData, type ProcessContext, type CreateHandlerOptions, type HandlerResult, type TaskLogger, type FcContextLike } from './handler.js';
export { Batch, type LogRecord } from './batch.js';
export { readRange, type Page } from './rangeReader.js';
export { parseEvent, validateEvent, type TriggerEvent } from '../trigger/event.js';
export { LogClient, type LogClientOptions } from '../client/client.js';
export type { FastLogGroup, LogGroup, Log, LogTag, LogContent } from '../codec/index.js';

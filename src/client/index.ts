export * from './client.js';
export * from './endpoint.js';
export * from './retry.js';
export * from './credentialSource.js';
export type { SlsRequest, SlsResponse } from './request.js';
export type * from './requests/types.js';
export type { PullLogsResult, PullLogsParams, SplCounts } from './requests/pullLogs.js';
export type { PutLogsParams } from './requests/putLogs.js';
export type { CursorPosition } from './requests/getCursor.js';

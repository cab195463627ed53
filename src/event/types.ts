// Types of the contract between the trigger and the function runtime.
export type { Credentials } from '../codec/index.js';

/** A logstore: where data, schedule logs, process logs and dead letters live. */
export interface LogstoreRef {
  readonly project: string;
  readonly logstore: string;
}

/** The FC log-trigger event: one shard and a half-open cursor range [beginCursor, endCursor). */
export interface TriggerEvent {
  source: {
    endpoint: string;
    projectName: string;
    logstoreName: string;
    shardId: number;
    beginCursor: string;
    endCursor: string;
  };
  parameter: Record<string, unknown>;
  jobName: string;
  taskId: string;
  cursorTime: number;
}

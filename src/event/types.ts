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
  /** sls-trigger's scheduler only (FC never sends it): what it understands in the result (EventCapability) */
  capabilities?: string[];
}

/** What a caller can advertise in `event.capabilities`. */
export const EventCapability = {
  /** a result with `partialFailure.resumeCursor` commits up to that cursor and retries the rest */
  PartialProgress: 'partialProgress',
} as const;
export type EventCapability = (typeof EventCapability)[keyof typeof EventCapability];

/** What a handler returns, with the `partialProgress` capability, when processing failed after earlier batches succeeded. */
export interface PartialFailure {
  /** the first unprocessed log group: (beginCursor, endCursor) */
  resumeCursor: string;
  errorType: string;
  errorMessage: string;
}

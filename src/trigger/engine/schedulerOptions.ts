// The Scheduler's option bag, checked at construction (additionalProperties: false), so a misspelt
// option fails at start-up naming itself instead of being ignored.
import type { CredentialsInput, LogClient } from '../../client/index.js';
import { compile } from '../../validate/schema.js';
import type { JobConfig } from '../job/config.js';
import type { Invoker } from '../invokers/types.js';
import type { Clock } from './clock.js';

export interface SchedulerOptions {
  readonly config: JobConfig;
  /** client for the source project (and the log/dead-letter logstores) */
  readonly client: LogClient;
  readonly invoker: Invoker;
  /** credentials put in the function's context (default: the config's) */
  readonly functionCredentials?: CredentialsInput;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** this instance's name in the consumer group (default host-pid-random) */
  readonly consumerName?: string;
  /** schedule-log JSON lines (default stdout; null = none) */
  readonly scheduleSink?: ((line: string) => void) | null;
  readonly catchUpThresholdSeconds?: number;
  readonly catchUpIntervalMs?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** least time from one tick of run() to the next for shards due at once (default 100 ms) */
  readonly minTickMs?: number;
  /** how long ticks reuse a ListShards answer (default 1000 ms; 0 lists at every tick) */
  readonly shardListMaxAgeMs?: number;
}

const anything = {};

/** Every timing default, beside the schema that gives its range. */
export const SCHEDULER_DEFAULTS = {
  /** a shard further behind than this is checked every catchUpIntervalMs instead of every interval */
  catchUpThresholdSeconds: 10,
  catchUpIntervalMs: 2000,
  /** first retry delay of a failed task; doubles up to retryMaxMs */
  retryBaseMs: 1000,
  retryMaxMs: 30_000,
  /** ticks come when a shard is due; shards due at once share one at least this long after the last began (100 ms, or the low-latency poll interval if shorter) */
  minTickMs: 100,
  /**
   * how long a tick may reuse the last ListShards answer (low-latency ticks come every
   * pollIntervalMs: listing each time is 20 calls a second per job against the project's quota)
   */
  shardListMaxAgeMs: 1000,
} as const;
const nonNegative = { type: 'number', minimum: 0 };

export const checkSchedulerOptions = compile<unknown>(
  {
    type: 'object',
    additionalProperties: false,
    required: ['config', 'client', 'invoker'],
    properties: {
      config: { type: 'object' },
      client: anything,
      invoker: anything,
      // static keys, or a CredentialSource (client/credentialSource.ts: an object with current())
      functionCredentials: {
        type: 'object',
        'x-message': 'must be {accessKeyId, accessKeySecret[, securityToken]} or a CredentialSource',
        oneOf: [
          {
            required: ['accessKeyId', 'accessKeySecret'],
            properties: { accessKeyId: { type: 'string' }, accessKeySecret: { type: 'string' }, securityToken: { type: 'string' } },
          },
          { required: ['current'] },
        ],
      },
      clock: anything,
      random: anything,
      consumerName: { type: 'string', minLength: 1, maxLength: 128 },
      scheduleSink: anything,
      catchUpThresholdSeconds: nonNegative,
      catchUpIntervalMs: nonNegative,
      retryBaseMs: nonNegative,
      retryMaxMs: nonNegative,
      minTickMs: nonNegative,
      shardListMaxAgeMs: nonNegative,
    },
  },
  'Scheduler options',
);

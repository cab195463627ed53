// The trigger config's JSON Schema (config.ts parses with it and checks its types against it), and
// beside it every numeric field's range and default as data (JOB_NUMBERS): the schema types a
// number (an integer or a numeric string, as Serverless Devs writes them), config.ts checks it
// against its row here, so one table says what is allowed and what is assumed.

import { logstoreRef, name } from './schemaParts.js';
import { TARGET_KINDS } from './targets.js';

/** Every numeric field: its range, and its default when it has a fixed one (the rest say what they default to). */
export const JOB_NUMBERS = {
  'jobConfig.triggerInterval': { min: 1, max: 600, default: 60 },
  'jobConfig.maxRetryTime': { min: 0, max: 100, default: 3 },
  concurrency: { min: 1, max: 256, default: 8 },
  invocationTimeoutSeconds: { min: 1, max: 86400, default: 60 },
  /** default: off */
  maxRecordAgeSeconds: { min: 1, max: 3650 * 86400 },
  /** default: a quarter of the source logstore's TTL */
  dataLossWarningSeconds: { min: 0, max: 3650 * 86400 },
  /** default: the trigger interval, at most 20 */
  heartbeatIntervalSeconds: { min: 1, max: 3600 },
  windowGraceMs: { min: 0, max: 600_000, default: 20 },
  /** default: off (interval mode); set, it turns on low-latency mode */
  pollIntervalMs: { min: 10, max: 60_000 },
  /** default: pollIntervalMs (no back-off) */
  idlePollIntervalMs: { min: 10, max: 600_000 },
  batchingWindowMs: { min: 0, max: 300_000, default: 0 },
  maxBatchGroups: { min: 1, max: 100_000, default: 1000 },
  /** requests one connection to SLS may carry at once (HTTP/1.1 pipelining of GETs); 1 = off */
  pipelining: { min: 1, max: 64, default: 1 },
  'deadLetter.maxDataBytes': { min: 0, max: 1024 * 1024 * 1024, default: 16 * 1024 * 1024 },
} as const satisfies Record<string, { min: number; max: number; default?: number }>;
export type JobNumberField = keyof typeof JOB_NUMBERS;

const numeric = { type: ['integer', 'string'], pattern: '^[0-9]+$', 'x-message': 'must be a whole number' };

export const jobConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sourceConfig', 'jobConfig', 'logConfig', 'target'],
  properties: {
    jobName: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$', 'x-message': 'must be 1 to 128 letters, digits, _ or -' },
    endpoint: { type: 'string', minLength: 1 },
    project: name,
    sourceArn: {
      type: 'string',
      pattern: '^acs:log:[^:]*:[^:]*:project/[^/]+$',
      'x-message': 'must look like acs:log:<region>:<account id>:project/<project>',
    },
    credentials: {
      type: 'object',
      additionalProperties: false,
      required: ['accessKeyId', 'accessKeySecret'],
      properties: { accessKeyId: name, accessKeySecret: { type: 'string', minLength: 1 }, securityToken: { type: 'string' } },
    },
    sourceConfig: {
      type: 'object',
      additionalProperties: false,
      required: ['logstore'],
      properties: {
        logstore: name,
        startTime: {
          anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^([0-9]+|begin|latest)$' }, { type: 'null' }],
          'x-message': 'must be "begin", "latest" or unix seconds',
        },
      },
    },
    jobConfig: {
      type: 'object',
      additionalProperties: false,
      required: ['triggerInterval'],
      properties: {
        triggerInterval: { ...numeric, 'x-message': 'must be a whole number of seconds (1..600)' },
        maxRetryTime: { ...numeric, 'x-message': 'must be a whole number of retries (0..100)' },
      },
    },
    functionParameter: { type: 'object' },
    logConfig: logstoreRef,
    enable: { type: 'boolean' },
    target: {
      type: 'object',
      required: ['type'],
      discriminator: { propertyName: 'type' },
      // one branch per kind of target, from the registry (job/targets.ts)
      oneOf: [TARGET_KINDS.local.schema, TARGET_KINDS.fc.schema, TARGET_KINDS.fc3.schema],
    },
    concurrency: { type: 'integer', 'x-message': 'must be a whole number' },
    invocationTimeoutSeconds: numeric,
    onRetriesExhausted: { enum: ['block', 'skip', 'deadLetter'] },
    onCheckpointExpired: { enum: ['skipToOldest', 'park'] },
    deadLetter: {
      type: 'object',
      additionalProperties: false,
      properties: {
        project: name,
        logstore: name,
        dir: { type: 'string', minLength: 1 },
        includeData: { type: 'boolean' },
        maxDataBytes: numeric,
      },
    },
    bisectOnError: { type: 'boolean' },
    maxRecordAgeSeconds: numeric,
    heartbeatIntervalSeconds: numeric,
    dataLossWarningSeconds: numeric,
    windowGraceMs: numeric,
    drainBacklog: { type: 'boolean' },
    pollIntervalMs: numeric,
    idlePollIntervalMs: numeric,
    batchingWindowMs: numeric,
    maxBatchGroups: numeric,
    pipelining: numeric,
  },
} as const;

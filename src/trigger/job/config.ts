// Trigger job config: FC's log-trigger fields (sourceConfig, jobConfig, functionParameter, logConfig,
// enable) plus what the runtime needs (endpoint, project or sourceArn, credentials, target,
// concurrency, timeouts, failure policy). Validated once at start with additionalProperties:false;
// errors name the field. Numbers may be numeric strings, as Serverless Devs writes them.
import { wholeNumberIn } from '../../errors/index.js';
import type { LogstoreRef } from '../../event/index.js';
import { compile, ValidationError } from '../../validate/schema.js';
import { defaultJobName, type DeadLetterTarget, type Fc3Target, type FcTarget, type LocalTarget, type Target } from './targets.js';
import { JOB_NUMBERS, jobConfigSchema, type JobNumberField } from './configSchema.js';
import type { Credentials } from '../../codec/index.js';

export type { DeadLetterTarget, Fc3Target, FcTarget, LocalTarget, Target } from './targets.js';
export { jobConfigSchema, JOB_NUMBERS, type JobNumberField } from './configSchema.js';

export type StartPosition = 'latest' | 'begin' | number;

/** The config as written (FC field names). */
export interface JobConfigInput {
  jobName?: string;
  endpoint?: string;
  project?: string;
  sourceArn?: string;
  credentials?: Credentials;
  sourceConfig: { logstore: string; startTime?: number | string | null };
  jobConfig: { triggerInterval: number | string; maxRetryTime?: number | string };
  functionParameter?: Record<string, unknown>;
  logConfig: LogstoreRef;
  enable?: boolean;
  target: Target;
  concurrency?: number;
  invocationTimeoutSeconds?: number | string;
  onRetriesExhausted?: 'block' | 'skip' | 'deadLetter';
  onCheckpointExpired?: 'skipToOldest' | 'park';
  deadLetter?: { project?: string; logstore?: string; dir?: string; includeData?: boolean; maxDataBytes?: number | string };
  bisectOnError?: boolean;
  maxRecordAgeSeconds?: number | string;
  heartbeatIntervalSeconds?: number | string;
  dataLossWarningSeconds?: number | string;
  windowGraceMs?: number | string;
  drainBacklog?: boolean;
  pollIntervalMs?: number | string;
  idlePollIntervalMs?: number | string;
  batchingWindowMs?: number | string;
  maxBatchGroups?: number | string;
  pipelining?: number | string;
}

export interface DeadLetterConfig {
  readonly target: DeadLetterTarget;
  /** keep the range's log-group bytes, so the letter stays replayable after the source expired */
  readonly includeData: boolean;
  /** at most this many bytes of data per letter; whole groups, and marked when cut */
  readonly maxDataBytes: number;
}

export const DEFAULT_DEAD_LETTER_MAX_DATA_BYTES = JOB_NUMBERS['deadLetter.maxDataBytes'].default;

// The schema and the types above cannot drift: these fail to compile when a field is in one and
// not the other (top level, every nested object, and both targets).
type SchemaKeys<S> = S extends { readonly properties: infer P } ? keyof P : never;
type SameKeys<T, S> = [keyof T] extends [SchemaKeys<S>] ? ([SchemaKeys<S>] extends [keyof T] ? true : false) : false;
type Props = (typeof jobConfigSchema)['properties'];
type Targets = Props['target']['oneOf'];
const schemaMatchesTypes: [
  SameKeys<JobConfigInput, typeof jobConfigSchema>,
  SameKeys<JobConfigInput['sourceConfig'], Props['sourceConfig']>,
  SameKeys<JobConfigInput['jobConfig'], Props['jobConfig']>,
  SameKeys<JobConfigInput['logConfig'], Props['logConfig']>,
  SameKeys<NonNullable<JobConfigInput['credentials']>, Props['credentials']>,
  SameKeys<NonNullable<JobConfigInput['deadLetter']>, Props['deadLetter']>,
  SameKeys<LocalTarget, Targets[0]>,
  SameKeys<FcTarget, Targets[1]>,
  SameKeys<Fc3Target, Targets[2]>,
] = [true, true, true, true, true, true, true, true, true];
void schemaMatchesTypes;

/** Low-latency mode (beyond FC): a range per poll that finds data, instead of a window per interval. */
export interface LowLatencyConfig {
  readonly pollIntervalMs: number;
  /** an idle shard's poll interval doubles after each empty check up to this (= pollIntervalMs: no back-off) */
  readonly idlePollIntervalMs: number;
  /** wait this long after new data is first seen, to gather more into one invocation (0 = at once) */
  readonly batchingWindowMs: number;
  /** log groups per invocation at most */
  readonly maxBatchGroups: number;
}

/** The normalised config the scheduler runs with. */
export interface JobConfig {
  jobName: string;
  endpoint: string;
  project: string;
  logstore: string;
  startPosition: StartPosition;
  triggerInterval: number;
  maxRetryTime: number;
  functionParameter: Record<string, unknown>;
  logConfig: LogstoreRef;
  enable: boolean;
  target: Target;
  concurrency: number;
  invocationTimeoutSeconds: number;
  onRetriesExhausted: 'block' | 'skip' | 'deadLetter';
  /** the data under a checkpoint expired: move to the oldest stored group (an Expired record), or park the shard */
  onCheckpointExpired: 'skipToOldest' | 'park';
  deadLetter?: DeadLetterConfig;
  /** on a function error, split a range of several log groups in halves down to the failing group */
  bisectOnError: boolean;
  /** data older than this (by receive time) when its task starts goes to the dead letter or is skipped; undefined = off */
  maxRecordAgeSeconds: number | undefined;
  /** warn when a shard's unprocessed data expires within this (default: a quarter of the logstore's TTL) */
  dataLossWarningSeconds: number | undefined;
  heartbeatIntervalSeconds: number;
  /** how long after a window closes (by receive time) it is read: the server's receive-time granularity and clock skew */
  windowGraceMs: number;
  /** a shard behind runs its next window as soon as the last is checkpointed (default: FC's catch-up cadence) */
  drainBacklog: boolean;
  /** low-latency mode: check every this often and invoke for all new data at once (windows off); undefined = interval mode */
  lowLatency?: LowLatencyConfig;
  /** GETs one connection to SLS may carry at once (HTTP/1.1 pipelining: the client's `pipelining`); 1 = off */
  pipelining: number;
  credentials?: Credentials;
  /** notes about the config that are not errors (e.g. outside FC's ranges) */
  warnings: string[];
}

const validateInput = compile<JobConfigInput>(jobConfigSchema, 'trigger config');

/** A numeric field checked against its row of JOB_NUMBERS; `fallback` when absent (default: the row's). */
function num(v: number | string | undefined, field: JobNumberField, fallback?: number): number {
  const { min, max, ...row } = JOB_NUMBERS[field];
  if (v === undefined) return fallback ?? (row as { default?: number }).default ?? min;
  const n = wholeNumberIn(v, field, min, max);
  if (typeof n !== 'number') throw new ValidationError('trigger config', [n.problem]);
  return n;
}

function startPosition(v: number | string | null | undefined): StartPosition {
  if (v === undefined || v === null || v === 'latest') return 'latest';
  if (v === 'begin') return 'begin';
  return Number(v);
}

function source(input: JobConfigInput, defaults: { endpoint?: string }): { endpoint: string; project: string } {
  const fromArn = input.sourceArn ? /project\/([^/]+)$/.exec(input.sourceArn)?.[1] : undefined;
  if (input.project && fromArn && input.project !== fromArn) {
    throw new ValidationError('trigger config', [`project ${input.project} differs from the project in sourceArn (${fromArn})`]);
  }
  const project = input.project ?? fromArn;
  if (!project)
    throw new ValidationError('trigger config', ['project (or sourceArn acs:log:<region>:<account>:project/<name>) is required']);
  const endpoint = input.endpoint ?? defaults.endpoint;
  if (!endpoint) throw new ValidationError('trigger config', ['endpoint is required']);
  return { endpoint, project };
}

function deadLetterConfig(input: NonNullable<JobConfigInput['deadLetter']>, project: string): DeadLetterConfig {
  if ((input.logstore === undefined) === (input.dir === undefined))
    throw new ValidationError('trigger config', ['deadLetter needs exactly one of logstore (with an optional project) or dir']);
  if (input.dir !== undefined && input.project !== undefined)
    throw new ValidationError('trigger config', ['deadLetter.project applies to deadLetter.logstore, not to deadLetter.dir']);
  return {
    target:
      input.dir !== undefined
        ? { kind: 'dir', dir: input.dir }
        : { kind: 'logstore', project: input.project ?? project, logstore: input.logstore! },
    includeData: input.includeData ?? true,
    maxDataBytes: num(input.maxDataBytes, 'deadLetter.maxDataBytes'),
  };
}

/** Validates and normalises a job config; throws ValidationError naming every bad field. */
export function parseJobConfig(raw: unknown, defaults: { endpoint?: string } = {}): JobConfig {
  const input = validateInput(raw);
  const { endpoint, project } = source(input, defaults);
  const warnings: string[] = [];
  const triggerInterval = num(input.jobConfig.triggerInterval, 'jobConfig.triggerInterval');
  if (triggerInterval < 3) warnings.push(`jobConfig.triggerInterval ${triggerInterval} s is below FC's minimum of 3 s (accepted locally)`);
  if (input.logConfig.logstore === input.sourceConfig.logstore && input.logConfig.project === project) {
    throw new ValidationError('trigger config', ['logConfig.logstore must differ from sourceConfig.logstore (FC enforces this)']);
  }
  if (input.maxRecordAgeSeconds !== undefined && input.pollIntervalMs === undefined && Number(input.maxRecordAgeSeconds) <= triggerInterval)
    warnings.push(
      `maxRecordAgeSeconds ${input.maxRecordAgeSeconds} is not above triggerInterval ${triggerInterval}: a window is read when it closes, so its data is already one interval old and would always be aged`,
    );
  const onRetriesExhausted = input.onRetriesExhausted ?? 'block';
  if (onRetriesExhausted === 'deadLetter' && !input.deadLetter)
    throw new ValidationError('trigger config', ['deadLetter (logstore or dir) is required when onRetriesExhausted is deadLetter']);
  return {
    jobName: input.jobName ?? defaultJobName(project, input.sourceConfig.logstore, input.target),
    endpoint,
    project,
    logstore: input.sourceConfig.logstore,
    startPosition: startPosition(input.sourceConfig.startTime),
    triggerInterval,
    maxRetryTime: num(input.jobConfig.maxRetryTime, 'jobConfig.maxRetryTime'),
    functionParameter: input.functionParameter ?? {},
    logConfig: input.logConfig,
    enable: input.enable ?? true,
    target: input.target,
    concurrency: num(input.concurrency, 'concurrency'),
    invocationTimeoutSeconds: num(input.invocationTimeoutSeconds, 'invocationTimeoutSeconds'),
    onRetriesExhausted,
    onCheckpointExpired: input.onCheckpointExpired ?? 'skipToOldest',
    deadLetter: input.deadLetter ? deadLetterConfig(input.deadLetter, project) : undefined,
    bisectOnError: input.bisectOnError ?? false,
    maxRecordAgeSeconds: input.maxRecordAgeSeconds === undefined ? undefined : num(input.maxRecordAgeSeconds, 'maxRecordAgeSeconds'),
    dataLossWarningSeconds:
      input.dataLossWarningSeconds === undefined ? undefined : num(input.dataLossWarningSeconds, 'dataLossWarningSeconds'),
    heartbeatIntervalSeconds: num(input.heartbeatIntervalSeconds, 'heartbeatIntervalSeconds', Math.max(1, Math.min(20, triggerInterval))),
    windowGraceMs: num(input.windowGraceMs, 'windowGraceMs'),
    drainBacklog: input.drainBacklog ?? false,
    lowLatency: lowLatency(input),
    pipelining: num(input.pipelining, 'pipelining'),
    credentials: input.credentials,
    warnings,
  };
}

function lowLatency(input: JobConfigInput): LowLatencyConfig | undefined {
  if (input.pollIntervalMs === undefined) {
    const stray = (['idlePollIntervalMs', 'batchingWindowMs', 'maxBatchGroups'] as const).filter((k) => input[k] !== undefined);
    if (stray.length > 0)
      throw new ValidationError('trigger config', [`${stray.join(', ')} apply only with pollIntervalMs (low-latency mode)`]);
    return undefined;
  }
  const pollIntervalMs = num(input.pollIntervalMs, 'pollIntervalMs');
  const idlePollIntervalMs = input.idlePollIntervalMs === undefined ? pollIntervalMs : num(input.idlePollIntervalMs, 'idlePollIntervalMs');
  if (idlePollIntervalMs < pollIntervalMs)
    throw new ValidationError('trigger config', [`idlePollIntervalMs ${idlePollIntervalMs} is below pollIntervalMs ${pollIntervalMs}`]);
  return {
    pollIntervalMs,
    idlePollIntervalMs,
    batchingWindowMs: num(input.batchingWindowMs, 'batchingWindowMs'),
    maxBatchGroups: num(input.maxBatchGroups, 'maxBatchGroups'),
  };
}

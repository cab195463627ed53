// What a job invokes (a local module, a function on FC 2.0 or 3.0) and where its dead letters go;
// how each is shown, and the job name derived from what identifies the trigger.
import { createHash } from 'node:crypto';
import type { LogstoreRef } from '../../event/index.js';
import { identifier, logstoreRef, name } from './schemaParts.js';

export interface LocalTarget {
  type: 'local';
  module: string;
  handler?: string;
  initializer?: string;
  functionName?: string;
  processLog?: LogstoreRef;
}

export interface FcTarget {
  type: 'fc';
  accountId: string;
  region: string;
  serviceName: string;
  functionName: string;
  qualifier?: string;
  endpoint?: string;
}

/** A function on FC 3.0 (what Serverless Devs' fc3 component deploys): functions are first-level, no service. */
export interface Fc3Target {
  type: 'fc3';
  accountId: string;
  region: string;
  functionName: string;
  qualifier?: string;
  endpoint?: string;
}

export type Target = LocalTarget | FcTarget | Fc3Target;

/** Where dead letters go: a logstore (as FC users keep them), or a local directory (development). */
export type DeadLetterTarget =
  { readonly kind: 'logstore'; readonly project: string; readonly logstore: string } | { readonly kind: 'dir'; readonly dir: string };

/**
 * What each kind of target is and can do: its config schema, how it is shown, what identifies it
 * (the default job name), and its capabilities. Code elsewhere asks this table (targetName,
 * processLogOf, runsInThisProcess) instead of testing `type`; a new kind is one entry here, its
 * invoker in invokers/index.ts (INVOKERS), and its type above.
 */
interface TargetKind<T extends Target> {
  readonly schema: object;
  describe(t: T): string;
  /** what identifies the function, for the default job name */
  identity(t: T): string;
  /** the function runs in this process's worker threads: it can reach loopback and be served saved bytes (redrive) */
  readonly runsInThisProcess: boolean;
  /** where its log lines go as SLS logs, when the target keeps them */
  processLog(t: T): LogstoreRef | undefined;
}

const qualified = (t: FcTarget | Fc3Target) => (t.qualifier ? `:${t.qualifier}` : '');

export const TARGET_KINDS = {
  local: {
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'module'],
      properties: {
        type: { const: 'local' },
        module: { type: 'string', minLength: 1 },
        handler: identifier,
        initializer: identifier,
        functionName: name,
        processLog: logstoreRef,
      },
    },
    describe: (t: LocalTarget) => t.module,
    identity: (t: LocalTarget) => `${t.module}#${t.handler ?? 'handler'}`,
    runsInThisProcess: true,
    processLog: (t: LocalTarget) => t.processLog,
  },
  fc: {
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'accountId', 'region', 'serviceName', 'functionName'],
      properties: {
        type: { const: 'fc' },
        accountId: name,
        region: name,
        serviceName: name,
        functionName: name,
        qualifier: name,
        endpoint: { type: 'string' },
      },
    },
    describe: (t: FcTarget) => `fc:${t.serviceName}/${t.functionName}${qualified(t)}`,
    identity: (t: FcTarget) => `${t.accountId}/${t.region}/${t.serviceName}/${t.functionName}/${t.qualifier ?? ''}`,
    runsInThisProcess: false,
    processLog: () => undefined,
  },
  fc3: {
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'accountId', 'region', 'functionName'],
      properties: {
        type: { const: 'fc3' },
        accountId: name,
        region: name,
        functionName: name,
        qualifier: name,
        endpoint: { type: 'string' },
      },
    },
    describe: (t: Fc3Target) => `fc3:${t.functionName}${qualified(t)} (${t.region}, account ${t.accountId})`,
    identity: (t: Fc3Target) => `fc3:${t.accountId}/${t.region}/${t.functionName}/${t.qualifier ?? ''}`,
    runsInThisProcess: false,
    processLog: () => undefined,
  },
} as const satisfies { [K in Target['type']]: TargetKind<Extract<Target, { type: K }>> };

/** The registry's entry for a target, typed for it. */
const kindOf = <T extends Target>(t: T) => TARGET_KINDS[t.type] as unknown as TargetKind<T>;

/** How a target is shown: the module, fc:<service>/<function> (FC 2.0), fc3:<function> (FC 3.0), with the qualifier. */
export const targetName = (t: Target): string => kindOf(t).describe(t);

/** Where the target's function log lines go as SLS logs (a local target's processLog), if anywhere. */
export const processLogOf = (t: Target): LogstoreRef | undefined => kindOf(t).processLog(t);

/** The function runs in this process (local worker threads): it reaches loopback and can be served saved bytes. */
export const runsInThisProcess = (t: Target): boolean => kindOf(t).runsInThisProcess;

/** How a dead-letter target is shown: its directory, or <project>/<logstore>. */
export function deadLetterWhere(t: DeadLetterTarget): string {
  return t.kind === 'dir' ? t.dir : `${t.project}/${t.logstore}`;
}

/** FC names jobs with 40 hex digits; ours is derived from what identifies the trigger, so it is stable. */
export function defaultJobName(project: string, logstore: string, target: Target): string {
  return createHash('sha1')
    .update(`${project}/${logstore}/${kindOf(target).identity(target)}`)
    .digest('hex');
}

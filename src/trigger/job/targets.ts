// What a job invokes (a local module, a function on FC 2.0 or 3.0) and where its dead letters go;
// how each is shown, and the job name derived from what identifies the trigger.
import { createHash } from 'node:crypto';
import type { LogstoreRef } from '../../event/index.js';

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

/** How a target is shown: the module, fc:<service>/<function> (FC 2.0), fc3:<function> (FC 3.0), with the qualifier. */
export function targetName(t: Target): string {
  if (t.type === 'local') return t.module;
  const q = t.qualifier ? `:${t.qualifier}` : '';
  return t.type === 'fc' ? `fc:${t.serviceName}/${t.functionName}${q}` : `fc3:${t.functionName}${q} (${t.region}, account ${t.accountId})`;
}

/** How a dead-letter target is shown: its directory, or <project>/<logstore>. */
export function deadLetterWhere(t: DeadLetterTarget): string {
  return t.kind === 'dir' ? t.dir : `${t.project}/${t.logstore}`;
}

/** FC names jobs with 40 hex digits; ours is derived from what identifies the trigger, so it is stable. */
export function defaultJobName(project: string, logstore: string, target: Target): string {
  const t =
    target.type === 'fc'
      ? `${target.accountId}/${target.region}/${target.serviceName}/${target.functionName}/${target.qualifier ?? ''}`
      : target.type === 'fc3'
        ? `fc3:${target.accountId}/${target.region}/${target.functionName}/${target.qualifier ?? ''}`
        : `${target.module}#${target.handler ?? 'handler'}`;
  return createHash('sha1').update(`${project}/${logstore}/${t}`).digest('hex');
}

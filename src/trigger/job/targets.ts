// Naming targets: how one (and a dead-letter target) is shown, and the job name derived from what identifies the trigger.
import { createHash } from 'node:crypto';
import type { DeadLetterTarget, Target } from './config.js';

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

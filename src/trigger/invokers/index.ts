import type { JobConfig, Target } from '../job/config.js';
import type { LocalTarget } from '../job/targets.js';
import { FcInvoker } from './fc2.js';
import { Fc3Invoker } from './fc3.js';
import { LocalInvoker } from './local.js';
import type { Invoker } from './types.js';
import type { CredentialsInput } from '../../client/index.js';

export * from './types.js';
export { LocalInvoker, type LocalInvokerOptions } from './local.js';
export { FcInvoker, type FcInvokerOptions } from './fc2.js';
export { Fc3Invoker, type Fc3InvokerOptions } from './fc3.js';
export { InProcessInvoker, type FcHandler, type FcContext } from './inProcess.js';

type TargetOf<K extends Target['type']> = Extract<Target, { type: K }>;

/** How each kind of target (job/targets.ts, TARGET_KINDS) is invoked. */
const INVOKERS: { [K in Target['type']]: (t: TargetOf<K>, config: JobConfig, credentials: CredentialsInput) => Invoker } = {
  local: (t, config) => localInvokerFor(t, config.concurrency),
  fc: (t, config, credentials) => new FcInvoker({ ...t, credentials, timeoutMs: fcCallTimeoutMs(config) }),
  fc3: (t, config, credentials) => new Fc3Invoker({ ...t, credentials, timeoutMs: fcCallTimeoutMs(config) }),
};

/** The invoker of a local target, with up to `maxWorkers` worker threads (one per concurrent invocation). */
export function localInvokerFor(t: LocalTarget, maxWorkers: number): LocalInvoker {
  return new LocalInvoker({ module: t.module, handler: t.handler, initializer: t.initializer, functionName: t.functionName, maxWorkers });
}

/** The call's own timeout leaves FC time to report a function timeout before we give up on it. */
const fcCallTimeoutMs = (config: JobConfig) => config.invocationTimeoutSeconds * 1000 + 5000;

/** The invoker a job config names: a local handler module, or a function on FC 2.0 or FC 3.0. */
export function createInvoker(config: JobConfig, credentials: CredentialsInput): Invoker {
  const make = INVOKERS[config.target.type] as (t: Target, config: JobConfig, credentials: CredentialsInput) => Invoker;
  return make(config.target, config, credentials);
}

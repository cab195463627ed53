import type { JobConfig } from '../config.js';
import { FcInvoker } from './fc.js';
import { LocalInvoker } from './local.js';
import type { Invoker } from './types.js';

export * from './types.js';
export { LocalInvoker, type LocalInvokerOptions } from './local.js';
export { FcInvoker, type FcInvokerOptions } from './fc.js';
export { InProcessInvoker, type FcHandler, type FcContext } from './inProcess.js';

/** The invoker a job config names: a local handler module, or a function on FC. */
export function createInvoker(
  config: JobConfig,
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string },
): Invoker {
  const t = config.target;
  if (t.type === 'local') {
    return new LocalInvoker({
      module: t.module,
      handler: t.handler,
      initializer: t.initializer,
      functionName: t.functionName,
      maxWorkers: config.concurrency,
    });
  }
  return new FcInvoker({ ...t, credentials, timeoutMs: config.invocationTimeoutSeconds * 1000 + 5000 });
}

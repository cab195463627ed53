import type { JobConfig } from '../job/config.js';
import { FcInvoker } from './fc2.js';
import { Fc3Invoker } from './fc3.js';
import { LocalInvoker } from './local.js';
import type { Invoker } from './types.js';
import type { Credentials } from '../../codec/index.js';

export * from './types.js';
export { LocalInvoker, type LocalInvokerOptions } from './local.js';
export { FcInvoker, type FcInvokerOptions } from './fc2.js';
export { Fc3Invoker, type Fc3InvokerOptions } from './fc3.js';
export { InProcessInvoker, type FcHandler, type FcContext } from './inProcess.js';

/** The invoker a job config names: a local handler module, or a function on FC 2.0 or FC 3.0. */
export function createInvoker(config: JobConfig, credentials: Credentials): Invoker {
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
  // The call's own timeout leaves FC time to report a function timeout before we give up on it.
  const timeoutMs = config.invocationTimeoutSeconds * 1000 + 5000;
  if (t.type === 'fc3') return new Fc3Invoker({ ...t, credentials, timeoutMs });
  return new FcInvoker({ ...t, credentials, timeoutMs });
}

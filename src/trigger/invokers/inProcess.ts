// In-process invoker: calls an FC-style handler function directly, under the same contract as the
// worker host (fcContract.mjs). No isolation: a handler that
// never returns is reported as timed out but keeps running; use LocalInvoker for untrusted code.
import { callStyled, failureOf, fcContext, toBytes, type FcContextObject } from './fcContract.mjs';
import type { InvokeOutcome, InvokeRequest, Invoker } from './types.js';

export type FcHandler = (event: Buffer, context: FcContext, callback?: (err: unknown, value?: unknown) => void) => unknown;

/** FC's context (fcContract.mjs) with the logger the handler writes its lines through. */
export type FcContext = FcContextObject & {
  logger: Record<'debug' | 'info' | 'warn' | 'error' | 'log', (...args: unknown[]) => void>;
};

export class InProcessInvoker implements Invoker {
  constructor(
    private readonly handler: FcHandler,
    private readonly name = 'in-process',
  ) {}

  async invoke(req: InvokeRequest): Promise<InvokeOutcome> {
    const logs: string[] = [];
    const log =
      (level: string) =>
      (...args: unknown[]) =>
        logs.push(`${new Date().toISOString()} ${req.requestId} [${level}] ${args.map(String).join(' ')}`);
    const context: FcContext = {
      ...fcContext({ ...req, functionName: this.name, handler: 'index.handler' }),
      logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), log: log('info') },
    };
    const run = callStyled(this.handler, [req.event, context]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Task timed out after ${(req.timeoutMs / 1000).toFixed(2)} seconds`)), req.timeoutMs);
      // a pending timeout alone must not keep the process alive
      timer.unref();
    });
    try {
      const v = await Promise.race([run, timeout]);
      return { ok: true, body: toBytes(v), logs, requestId: req.requestId };
    } catch (e) {
      return { ok: false, kind: 'function', ...failureOf(e), logs, requestId: req.requestId };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {}
}

// In-process invoker: calls an FC-style handler function directly (same event Buffer, context,
// callback/async styles and result conversion as the worker host). No isolation: a handler that
// never returns is reported as timed out but keeps running; use LocalInvoker for untrusted code.
import type { FunctionErrorBody, InvokeOutcome, InvokeRequest, Invoker } from './types.js';

export type FcHandler = (event: Buffer, context: FcContext, callback?: (err: unknown, value?: unknown) => void) => unknown;

export interface FcContext {
  requestId: string;
  credentials: InvokeRequest['credentials'];
  function: { name: string; handler: string; memory: number; timeout: number };
  service: { name: string; logProject: string; logStore: string; qualifier: string; versionId: string };
  region: string;
  accountId: string;
  logger: Record<'debug' | 'info' | 'warn' | 'error' | 'log', (...args: unknown[]) => void>;
}

function toBytes(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v === undefined || v === null) return Buffer.alloc(0);
  return Buffer.from(typeof v === 'object' ? JSON.stringify(v) : String(v));
}

function body(e: unknown): FunctionErrorBody {
  if (typeof e === 'string') return { errorMessage: e };
  const err = e instanceof Error ? e : new Error(String(e));
  return { errorMessage: err.message, errorType: err.name, stackTrace: String(err.stack ?? '').split('\n') };
}

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
      requestId: req.requestId,
      credentials: req.credentials,
      function: { name: this.name, handler: 'index.handler', memory: 512, timeout: Math.ceil(req.timeoutMs / 1000) },
      service: { name: 'local', logProject: '', logStore: '', qualifier: 'LATEST', versionId: '' },
      region: 'local',
      accountId: 'local',
      logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), log: log('info') },
    };
    let handled = false;
    const run =
      this.handler.length >= 3
        ? new Promise<unknown>((resolve, reject) =>
            this.handler(req.event, context, (err, v) => (err ? ((handled = true), reject(err)) : resolve(v))),
          )
        : Promise.resolve().then(() => this.handler(req.event, context));
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
      return {
        ok: false,
        kind: 'function',
        errorType: handled ? 'HandledInvocationError' : 'UnhandledInvocationError',
        error: body(e),
        logs,
        requestId: req.requestId,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {}
}

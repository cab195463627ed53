// Local invoker: runs an FC-style handler module in worker threads, one invocation per worker at a
// time (FC's default instance concurrency), up to `maxWorkers` at once. A worker that crashes,
// exits or overruns its timeout is terminated and replaced, so the scheduler never goes down with it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SlsArgumentError } from '../../errors/index.js';
import { fcContext } from './fcContract.mjs';
import type { FunctionErrorBody, FunctionErrorType, InvokeOutcome, InvokeRequest, Invoker } from './types.js';

export interface LocalInvokerOptions {
  /** path of the handler module (.js/.mjs/.cjs/.ts) */
  readonly module: string;
  readonly handler?: string;
  readonly initializer?: string;
  readonly functionName?: string;
  readonly maxWorkers?: number;
  /** extra context fields (service, region, accountId), as FC fills them */
  readonly region?: string;
  readonly accountId?: string;
  readonly serviceName?: string;
  readonly memoryMB?: number;
}

interface Slot {
  worker: Worker;
  ready: Promise<FunctionErrorBody | undefined>;
  busy: boolean;
}

const hostPath = fileURLToPath(new URL('./localWorker.mjs', import.meta.url));
const TS_MODULE = /\.[cm]?ts$/;

/** The file URL of `pkg`'s ESM entry for `subpath`, resolved from `from` as Node would (its exports map). */
function resolveEsmExport(pkg: string, subpath: string, from: string): string {
  const manifestPath = createRequire(from).resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports?: Record<string, { import?: string | { default?: string } }>;
  };
  const entry = manifest.exports?.[subpath]?.import;
  const file = typeof entry === 'string' ? entry : entry?.default;
  if (!file) throw new Error(`${pkg} has no ESM export ${subpath}`);
  return pathToFileURL(path.join(path.dirname(manifestPath), file)).href;
}

/**
 * How a TypeScript function module gets loaded: tsx's register API from the function's own project
 * (the templates have tsx as a devDependency), else from this package's (a checkout), else Node's
 * own type stripping; with none of them, a clear error at start. A .js/.mjs function needs nothing.
 */
export function typeScriptLoader(modulePath: string): string | undefined {
  if (!TS_MODULE.test(modulePath)) return undefined;
  for (const from of [modulePath, fileURLToPath(import.meta.url)]) {
    try {
      return resolveEsmExport('tsx', './esm/api', from);
    } catch {
      // not installed there: try the next place
    }
  }
  if ((process.features as { typescript?: string | false }).typescript) return undefined;
  throw new SlsArgumentError(
    `${modulePath} is TypeScript and no TypeScript loader was found: install one in the function's project (npm install --save-dev tsx), run on Node >= 22.18 (it strips types itself), or compile the function to JavaScript`,
  );
}
/** this package's package.json, from which 'sls-trigger' resolves to itself */
const packageRoot = new URL('../../../package.json', import.meta.url).href;

export class LocalInvoker implements Invoker {
  private readonly slots: Slot[] = [];
  private readonly waiting: Array<() => void> = [];
  private readonly opts: LocalInvokerOptions;
  private readonly modulePath: string;
  /** tsx's register API for a TypeScript module (typeScriptLoader), or undefined */
  private readonly tsxApi: string | undefined;

  constructor(opts: LocalInvokerOptions) {
    this.opts = opts;
    this.modulePath = path.resolve(opts.module);
    this.tsxApi = typeScriptLoader(this.modulePath);
  }

  private spawn(): Slot {
    const worker = new Worker(hostPath, {
      workerData: {
        modulePath: this.modulePath,
        handlerName: this.opts.handler ?? 'handler',
        initializerName: this.opts.initializer,
        tsxApi: this.tsxApi,
        packageRoot,
      },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    const ready = new Promise<FunctionErrorBody | undefined>((resolve) => {
      const onMsg = (m: { type: string; error?: FunctionErrorBody }) => {
        if (m.type === 'ready') resolve(undefined);
        else if (m.type === 'initError') resolve(m.error);
        else return;
        worker.off('message', onMsg);
      };
      worker.on('message', onMsg);
      worker.once('error', (e: Error) =>
        resolve({ errorMessage: e.message, errorType: e.name, stackTrace: String(e.stack ?? '').split('\n') }),
      );
    });
    const slot: Slot = { worker, ready, busy: false };
    this.slots.push(slot);
    return slot;
  }

  private async acquire(): Promise<Slot> {
    for (;;) {
      const idle = this.slots.find((s) => !s.busy);
      if (idle) return idle;
      if (this.slots.length < (this.opts.maxWorkers ?? 8)) return this.spawn();
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  private release(slot: Slot, discard: boolean): void {
    slot.busy = false;
    if (discard) {
      this.slots.splice(this.slots.indexOf(slot), 1);
      void slot.worker.terminate();
    }
    this.waiting.shift()?.();
  }

  async invoke(req: InvokeRequest): Promise<InvokeOutcome> {
    const slot = await this.acquire();
    slot.busy = true;
    const loadError = await slot.ready;
    if (loadError) {
      this.release(slot, true);
      return { ok: false, kind: 'function', errorType: 'UnhandledInvocationError', error: loadError, logs: [], requestId: req.requestId };
    }
    const { outcome, discard } = await this.run(slot, req);
    this.release(slot, discard);
    return outcome;
  }

  private context(req: InvokeRequest) {
    const o = this.opts;
    const stem = path.basename(this.modulePath).replace(/\.[^.]+$/, '');
    return fcContext({ ...o, ...req, functionName: o.functionName ?? stem, handler: `${stem}.${o.handler ?? 'handler'}` });
  }

  private run(slot: Slot, req: InvokeRequest): Promise<{ outcome: InvokeOutcome; discard: boolean }> {
    return new Promise((resolve) => {
      const logs: string[] = [];
      const w = slot.worker;
      const fail = (errorType: FunctionErrorType, error: FunctionErrorBody, discard: boolean) =>
        finish({ ok: false, kind: 'function', errorType, error, logs, requestId: req.requestId }, discard);
      const onMessage = (m: {
        type: string;
        id?: string;
        line?: string;
        ok?: boolean;
        body?: Uint8Array;
        errorType?: FunctionErrorType;
        error?: FunctionErrorBody;
      }) => {
        if (m.id !== req.requestId) return;
        if (m.type === 'log') logs.push(m.line ?? '');
        else if (m.type === 'result' && m.ok) finish({ ok: true, body: Buffer.from(m.body ?? []), logs, requestId: req.requestId }, false);
        else if (m.type === 'result')
          fail(
            m.errorType ?? 'UnhandledInvocationError',
            m.error ?? { errorMessage: 'unknown error' },
            m.errorType === 'InitializationError',
          );
      };
      const onError = (e: Error) =>
        fail(
          'UnhandledInvocationError',
          { errorMessage: e.message, errorType: e.name, stackTrace: String(e.stack ?? '').split('\n') },
          true,
        );
      const onExit = () =>
        fail('UnhandledInvocationError', { errorMessage: 'Process exited unexpectedly before completing request' }, true);
      const timer = setTimeout(
        () => fail('UnhandledInvocationError', { errorMessage: `Task timed out after ${(req.timeoutMs / 1000).toFixed(2)} seconds` }, true),
        req.timeoutMs,
      );
      let done = false;
      function finish(outcome: InvokeOutcome, discard: boolean) {
        if (done) return;
        done = true;
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        resolve({ outcome, discard });
      }
      w.on('message', onMessage);
      w.once('error', onError);
      w.once('exit', onExit);
      w.postMessage({ type: 'invoke', id: req.requestId, event: req.event, context: this.context(req) });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}

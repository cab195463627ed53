// createHandler(processData): an FC-compatible Node.js handler for the SLS log trigger. A thin
// entry (as Powertools' processPartialResponse is): check the options once, then per invocation
// resolve it (invocation.ts), process its range (processor.ts), and answer in FC's style
// (fcAdapter.ts).
import type { LogClient, RetryOptions } from '../client/index.js';
import { compile } from '../validate/schema.js';
import { DEFAULT_PAGE_BYTES } from '../event/index.js';
import { SlsArgumentError } from '../errors/index.js';
import { ENV, envString } from '../env/env.js';
import { fcHandler } from './fcAdapter.js';
import { resolveInvocation } from './invocation.js';
import { processRange } from './processor.js';
import type { CreateHandlerOptions, FcHandler, ProcessData } from './types.js';

export const DEFAULT_PULL_RETRY: RetryOptions = { retries: 20, baseDelayMs: 100, maxDelayMs: 3200 };

/** Every default, beside the schema that gives each option's range. */
export const CREATE_HANDLER_DEFAULTS = {
  batchSize: 100,
  pageBytes: DEFAULT_PAGE_BYTES,
  /** how long reading a range may take without a function timeout in the context (local runs) */
  readBudgetMs: 60_000,
  retry: DEFAULT_PULL_RETRY,
} as const;

const checkOptions = compile<CreateHandlerOptions>(
  {
    type: 'object',
    additionalProperties: false,
    properties: {
      parameterSchema: { type: 'object' },
      batchSize: { type: 'integer', minimum: 1, maximum: 1000 },
      pageBytes: { type: 'integer', minimum: 1024 },
      endpoint: { type: 'string', minLength: 1 },
      credentials: {
        type: 'object',
        required: ['accessKeyId', 'accessKeySecret'],
        properties: { accessKeyId: { type: 'string' }, accessKeySecret: { type: 'string' }, securityToken: { type: 'string' } },
      },
      retry: {
        type: 'object',
        additionalProperties: false,
        properties: {
          retries: { type: 'integer', minimum: 0 },
          baseDelayMs: { type: 'number', minimum: 0 },
          maxDelayMs: { type: 'number', minimum: 0 },
        },
      },
      finish: {},
      partialProgress: { type: 'boolean' },
      // a statement, or a function of the parameter giving one (checked below: JSON Schema has no functions)
      spl: {},
      readBudgetMs: { type: 'integer', minimum: 1 },
      now: {},
    },
  },
  'createHandler options',
);

export function createHandler<P = Record<string, unknown>>(processData: ProcessData<P>, opts: CreateHandlerOptions<P> = {}): FcHandler {
  checkOptions(opts);
  if (opts.spl !== undefined && !(typeof opts.spl === 'function' || (typeof opts.spl === 'string' && opts.spl.trim() !== '')))
    throw new SlsArgumentError('createHandler options: spl must be an SPL statement or a function of the parameter returning one');
  const now = opts.now ?? Date.now;
  const setup = {
    validateParameter: opts.parameterSchema ? compile<P>(opts.parameterSchema, 'parameter') : undefined,
    credentials: opts.credentials,
    endpoint: opts.endpoint,
    now,
    readBudgetMs: opts.readBudgetMs ?? CREATE_HANDLER_DEFAULTS.readBudgetMs,
    clients: new Map<string, LogClient>(),
  };
  const settings = {
    batchSize: opts.batchSize ?? CREATE_HANDLER_DEFAULTS.batchSize,
    pageBytes: opts.pageBytes ?? CREATE_HANDLER_DEFAULTS.pageBytes,
    // one per handler: a warm FC instance's next invocation sizes its first pull from the last page
    groupSize: {},
    retry: { ...CREATE_HANDLER_DEFAULTS.retry, ...opts.retry },
    finish: opts.finish,
    // a collecting sink writes in finish, so by default its failed range is retried whole
    partialProgress: opts.partialProgress ?? opts.finish === undefined,
    now,
  };
  return fcHandler((event, context) => {
    const inv = resolveInvocation(event, context, setup);
    // SLS_TRIGGER_SPL (an FC environment variable, or replay --spl) over the option, read per invocation
    const spl = envString(ENV.spl) ?? (typeof opts.spl === 'function' ? opts.spl(inv.ctx.parameter) : opts.spl);
    return processRange(inv, processData, { ...settings, spl });
  });
}

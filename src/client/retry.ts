// One retry module for the whole package: exponential backoff with full jitter and a cap; only
// errors the predicate calls retriable are retried, never programmer errors.
import { DeadlineError, isRetriable } from '../errors/index.js';

export interface RetryOptions {
  /** attempts after the first one */
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly isRetriable?: (e: unknown) => boolean;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly onRetry?: (e: unknown, attempt: number, delayMs: number) => void;
  /**
   * epoch ms by which the caller must have an answer (an invocation's deadline): no retry is
   * started whose backoff would end past it; the last error is then surfaced as DeadlineError
   */
  readonly deadline?: number;
  /** clock for the deadline (tests) */
  readonly now?: () => number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 3, baseDelayMs: 200, maxDelayMs: 5000 };

export const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The exponential step before retry number `attempt` (1-based): min(max, base * 2^(attempt-1)), no jitter. */
export function backoffCeiling(attempt: number, opts: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>): number {
  return Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

/** Delay before retry number `attempt` (1-based): random in [0, backoffCeiling] (full jitter). */
export function backoffDelay(attempt: number, opts: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  return Math.round(backoffCeiling(attempt, opts) * (opts.random ?? Math.random)());
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const retriable = opts.isRetriable ?? isRetriable;
  const sleep = opts.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt >= opts.retries || !retriable(e)) throw e;
      const delay = backoffDelay(attempt + 1, opts);
      if (opts.deadline !== undefined && (opts.now ?? Date.now)() + delay >= opts.deadline) throw DeadlineError.after(e, attempt + 1);
      opts.onRetry?.(e, attempt + 1, delay);
      await sleep(delay);
    }
  }
}

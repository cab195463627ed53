import { codeInfo, ErrorCodes, type ErrorCode } from './codes.js';

export interface SlsErrorOptions {
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly retriable?: boolean;
  readonly cause?: unknown;
}

/** Base of every error this package throws. */
export class SlsTriggerError extends Error {
  override readonly name: string = 'SlsTriggerError';
  readonly code: string;
  readonly httpStatus: number;
  readonly requestId: string | undefined;
  readonly retriable: boolean;

  constructor(code: string, message: string, opts: SlsErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    const info = codeInfo(code);
    this.code = code;
    this.httpStatus = opts.httpStatus ?? info?.httpStatus ?? 500;
    this.requestId = opts.requestId;
    this.retriable = opts.retriable ?? info?.retriable ?? false;
  }
}

/** An error the SLS service (or the embedded LogHub) answered with, or one it will answer with. */
export class SlsServiceError extends SlsTriggerError {
  override readonly name: string = 'SlsServiceError';

  /** Builds an error from the shared table, with the table's status and retriability. */
  static of(code: ErrorCode, message?: string, opts: SlsErrorOptions = {}): SlsServiceError {
    return new SlsServiceError(code, message ?? ErrorCodes[code].message, opts);
  }
}

/** The request never got a well-formed answer: connection refused/reset, timeout, bad body. */
export class SlsTransportError extends SlsTriggerError {
  override readonly name: string = 'SlsTransportError';

  constructor(code: 'ConnectionError' | 'Timeout' | 'BadResponse', message: string, opts: SlsErrorOptions = {}) {
    super(code, message, { retriable: code !== 'BadResponse', httpStatus: opts.httpStatus ?? 0, ...opts });
  }
}

/** A caller's deadline (an invocation's timeout) left no time for another attempt; `cause` is the last failure. */
export class DeadlineError extends SlsTriggerError {
  override readonly name: string = 'DeadlineError';

  constructor(message: string, opts: SlsErrorOptions = {}) {
    super('DeadlineExceeded', message, { ...opts, retriable: false, httpStatus: 0 });
  }

  static after(last: unknown, attempts: number): DeadlineError {
    const why = last instanceof Error ? last.message : String(last);
    return new DeadlineError(`gave up after ${attempts} attempt(s): no time left before the deadline; last error: ${why}`, { cause: last });
  }
}

/** Wrong use of the library by the caller (bad argument); never retried. */
export class SlsArgumentError extends SlsTriggerError {
  override readonly name: string = 'SlsArgumentError';

  constructor(message: string, opts: SlsErrorOptions = {}) {
    super('InvalidArgument', message, { ...opts, retriable: false, httpStatus: 0 });
  }
}

/** No credentials could be had from the configured source (a credentials URI down, an STS call refused). */
export class CredentialsError extends SlsTriggerError {
  override readonly name: string = 'CredentialsError';

  constructor(message: string, opts: SlsErrorOptions = {}) {
    super('CredentialsUnavailable', message, { retriable: true, httpStatus: 0, ...opts });
  }
}

export function isSlsError(e: unknown): e is SlsTriggerError {
  return e instanceof SlsTriggerError;
}

export function isRetriable(e: unknown): boolean {
  return e instanceof SlsTriggerError && e.retriable;
}

export function hasCode(e: unknown, code: ErrorCode): boolean {
  return e instanceof SlsTriggerError && e.code === code;
}

export const isInvalidCursor = (e: unknown): boolean => hasCode(e, 'InvalidCursor');
export const isShardNotExist = (e: unknown): boolean => hasCode(e, 'ShardNotExist');
export const isNotFound = (e: unknown): boolean =>
  e instanceof SlsTriggerError && ['ProjectNotExist', 'LogStoreNotExist', 'ShardNotExist', 'ConsumerGroupNotExist'].includes(e.code);
export const isReadThrottled = (e: unknown): boolean =>
  e instanceof SlsTriggerError && (e.code === 'ReadQuotaExceed' || e.code === 'ShardReadQuotaExceed');

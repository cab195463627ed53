// What the FC 2.0 and FC 3.0 invokers share: reading FC's answer (function errors are HTTP 200
// with X-Fc-Error-Type and an {errorMessage, errorType, stackTrace} body; the log tail is base64 in
// X-Fc-Log-Result) and classifying a failed call (429, 5xx and no answer are transport errors,
// retried without counting; other 4xx count against the function, so the trigger's policy applies).
import type { Credentials } from '../../codec/index.js';
import { sameKeys } from '../../client/index.js';
import type { FunctionErrorBody, FunctionErrorType, InvokeOutcome } from './types.js';

export const SYNC_WITH_TAIL = { 'x-fc-log-type': 'Tail', 'x-fc-invocation-type': 'Sync' } as const;

export function errorBody(data: unknown): FunctionErrorBody {
  let v = data;
  if (Buffer.isBuffer(v)) v = v.toString('utf8');
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return { errorMessage: v as string };
    }
  }
  const o = (v ?? {}) as Partial<FunctionErrorBody>;
  return { errorMessage: String(o.errorMessage ?? JSON.stringify(v)), errorType: o.errorType, stackTrace: o.stackTrace };
}

export function tailLogs(headers: Record<string, string | undefined>): string[] {
  const b64 = headers['x-fc-log-result'];
  return b64
    ? Buffer.from(b64, 'base64')
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];
}

/** FC's answer to a call that reached the function: a result, or a function error. */
export function answerOf(headers: Record<string, string | undefined>, body: Buffer, fallbackRequestId: string): InvokeOutcome {
  const logs = tailLogs(headers);
  const requestId = headers['x-fc-request-id'] ?? fallbackRequestId;
  const errorType = headers['x-fc-error-type'];
  if (errorType) return { ok: false, kind: 'function', errorType: errorType as FunctionErrorType, error: errorBody(body), logs, requestId };
  return { ok: true, body, logs, requestId };
}

/** A call FC refused or never answered; `status` 0 = no HTTP answer. */
export function failureOf(err: Error, status: number, requestId: string): InvokeOutcome {
  if (status === 0 || status === 429 || status >= 500) return { ok: false, kind: 'transport', error: err, requestId };
  return {
    ok: false,
    kind: 'function',
    errorType: 'UnhandledInvocationError',
    error: { errorMessage: err.message, errorType: err.name },
    logs: [],
    requestId,
  };
}

/**
 * The SDK client for the keys in hand: made again only when the keys rotate (the FC SDKs take
 * their keys at construction), so a call never signs with keys older than the source's.
 */
export function clientPerKeys<C>(make: (keys: Credentials) => C): (keys: Credentials) => C {
  let last: { keys: Credentials; client: C } | undefined;
  return (keys) => {
    if (!last || !sameKeys(last.keys, keys)) last = { keys, client: make(keys) };
    return last.client;
  };
}

// What every invoker (local worker, FC) returns. A function failure (FC: HTTP 200 with
// X-Fc-Error-Type) is told apart from a transport/throttling failure, which is retried without
// counting against the function.
import type { Credentials } from '../../codec/index.js';

export interface FunctionErrorBody {
  errorMessage: string;
  errorType?: string;
  stackTrace?: string[];
}

export type FunctionErrorType = 'HandledInvocationError' | 'UnhandledInvocationError' | 'InitializationError';

export type InvokeOutcome =
  | { readonly ok: true; readonly body: Buffer; readonly logs: readonly string[]; readonly requestId: string }
  | {
      readonly ok: false;
      readonly kind: 'function';
      readonly errorType: FunctionErrorType;
      readonly error: FunctionErrorBody;
      readonly logs: readonly string[];
      readonly requestId: string;
    }
  | { readonly ok: false; readonly kind: 'transport'; readonly error: Error; readonly requestId: string };

export interface InvokeRequest {
  readonly event: Buffer;
  readonly requestId: string;
  readonly timeoutMs: number;
  readonly credentials: Credentials;
}

export interface Invoker {
  invoke(req: InvokeRequest): Promise<InvokeOutcome>;
  close(): Promise<void>;
}

// Types of fcContract.mjs (plain JS so the worker host needs no loader).
import type { FunctionErrorBody, FunctionErrorType } from './types.js';

export interface FcContextInput {
  requestId: string;
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  functionName: string;
  handler: string;
  memoryMB?: number;
  timeoutMs: number;
  serviceName?: string;
  region?: string;
  accountId?: string;
}
export interface FcContextObject {
  requestId: string;
  credentials: FcContextInput['credentials'];
  function: { name: string; handler: string; memory: number; timeout: number };
  service: { name: string; logProject: string; logStore: string; qualifier: string; versionId: string };
  region: string;
  accountId: string;
}
export function fcContext(o: FcContextInput): FcContextObject;
export function errorBody(e: unknown, unhandledInCallbackStyle?: boolean): FunctionErrorBody;
export function toBytes(result: unknown): Buffer;
export function callStyled(fn: (...args: never[]) => unknown, args: unknown[]): Promise<unknown>;
export function failureOf(rejection: unknown): { errorType: Exclude<FunctionErrorType, 'InitializationError'>; error: FunctionErrorBody };

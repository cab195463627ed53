// What every action receives (plain data, no HTTP objects) and returns, plus parameter helpers.
import { SlsServiceError, wholeNumberIn } from '../../errors/index.js';
import type { Hub } from '../hub.js';
import type { LogStoreMeta, ShardLog, ShardMeta } from '../store/types.js';

export interface ActionRequest {
  /** project from the Host header's first label, if any */
  readonly project: string | undefined;
  readonly logstore?: string;
  readonly shardId?: number;
  readonly group?: string;
  readonly query: ReadonlyMap<string, string | undefined>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export type ActionResult =
  | { readonly kind: 'empty' }
  | { readonly kind: 'json'; readonly value: unknown }
  /** a LogGroupList (made on demand); the reply stage compresses it as the client accepts, or sends the store's lz4 block */
  | {
      readonly kind: 'logs';
      readonly rawLength: number;
      readonly body: () => Buffer;
      readonly lz4?: () => Buffer | undefined;
      readonly headers: Readonly<Record<string, string>>;
    };

export type Action = (hub: Hub, req: ActionRequest) => Promise<ActionResult>;

export const EMPTY: ActionResult = { kind: 'empty' };
export const json = (value: unknown): ActionResult => ({ kind: 'json', value });

export function jsonBody<T = Record<string, unknown>>(req: ActionRequest, shape: 'object' | 'array' = 'object'): T {
  let v: unknown;
  try {
    v = JSON.parse(req.body.toString('utf8') || (shape === 'array' ? '[]' : '{}'));
  } catch {
    throw SlsServiceError.of('PostBodyInvalid');
  }
  const ok = shape === 'array' ? Array.isArray(v) : typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!ok) throw SlsServiceError.of('PostBodyInvalid', `The request body must be a JSON ${shape}.`);
  return v as T;
}

export function intField(value: unknown, name: string, min: number, max: number, fallback?: number): number {
  if (value === undefined || value === null || value === '') {
    if (fallback !== undefined) return fallback;
    throw SlsServiceError.of('ParameterInvalid', `${name} is required`);
  }
  const n = wholeNumberIn(value, name, min, max);
  if (typeof n !== 'number') throw SlsServiceError.of('ParameterInvalid', n.problem);
  return n;
}

export function boolField(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  const s = String(value).toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw SlsServiceError.of('ParameterInvalid', `${name} must be true or false, got ${JSON.stringify(value)}`);
}

export function required<T>(v: T | undefined, name: string): T {
  if (v === undefined) throw SlsServiceError.of('ParameterInvalid', `${name} is required`);
  return v;
}

/** The project, logstore, shard and shard log a shard-level action works on (errors as SLS names them). */
export async function shardTarget(
  hub: Hub,
  req: ActionRequest,
): Promise<{ project: string; ls: LogStoreMeta; shard: ShardMeta; log: ShardLog }> {
  const project = hub.project(req.project).projectName;
  const ls = hub.logstore(project, required(req.logstore, 'logstore'));
  const shard = hub.shard(ls, required(req.shardId, 'shard'));
  return { project, ls, shard, log: await hub.shardLog(project, ls, shard) };
}

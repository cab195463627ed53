// PutLogs: POST /logstores/{ls}[/shards/lb | /shards/route?key=<hash>], body = (compressed) LogGroup.
// Limits (data, as kinesalite keeps them next to the action): compressed body <= limits.maxBodyBytes
// (checked while reading), raw <= limits.maxRawBytes, logs <= limits.maxLogsPerPut.
import {
  CodecError,
  CompressType,
  decompress,
  validateLogGroup,
  normalizeHashKey,
  parseCompressType,
  rangeContains,
} from '../../codec/index.js';
import { SlsServiceError } from '../../errors/index.js';
import type { Hub } from '../hub.js';
import type { LogStoreMeta, ShardMeta } from '../store/types.js';
import { EMPTY, required, type Action, type ActionRequest } from './common.js';

/** The LogGroup bytes of a PutLogs body, and the compression it came in. */
function rawBody(hub: Hub, req: ActionRequest, alloc: (n: number) => Buffer): { raw: Buffer; type: CompressType } {
  let type: CompressType;
  try {
    type = parseCompressType(req.headers['x-log-compresstype']);
  } catch {
    throw SlsServiceError.of('InvalidCompressType', `x-log-compresstype ${req.headers['x-log-compresstype']} is unsupported`);
  }
  if (type === CompressType.None) {
    if (req.body.length > hub.limits.maxRawBytes)
      throw SlsServiceError.of('PostBodyTooLarge', `body size ${req.body.length} must be at most ${hub.limits.maxRawBytes}`);
    return { raw: req.body, type };
  }
  const declared = req.headers['x-log-bodyrawsize'];
  if (declared === undefined) throw SlsServiceError.of('MissingBodyRawSize');
  const raw = Number(declared);
  if (!/^\d+$/.test(declared) || !Number.isSafeInteger(raw))
    throw SlsServiceError.of('InvalidBodyRawSize', `x-log-bodyrawsize ${declared} is invalid`);
  if (raw > hub.limits.maxRawBytes)
    throw SlsServiceError.of('PostBodyTooLarge', `raw size ${raw} must be at most ${hub.limits.maxRawBytes}`);
  try {
    return { raw: decompress(req.body, type, raw, hub.limits.maxRawBytes, alloc), type };
  } catch (e) {
    if (e instanceof CodecError && e.kind === 'TooLarge') throw SlsServiceError.of('PostBodyTooLarge', e.message);
    throw SlsServiceError.of('PostBodyUncompressError', `cannot decompress the ${type} body: ${(e as Error).message}`);
  }
}

function pickShard(hub: Hub, ls: LogStoreMeta, project: string, req: ActionRequest): ShardMeta {
  const writable = ls.shards.filter((s) => s.status === 'readwrite');
  const key = req.query.get('key') ?? req.headers['x-log-hashkey'];
  if (key !== undefined && key !== '') {
    let k: string;
    try {
      k = normalizeHashKey(key);
    } catch {
      throw SlsServiceError.of('ParameterInvalid', `hash key ${key} is not 32 hex digits`);
    }
    const s = writable.find((x) => rangeContains(x, k));
    if (!s) throw SlsServiceError.of('ShardNotExist', `no writable shard holds hash key ${k}`);
    return s;
  }
  return writable[hub.roundRobin(`${project}/${ls.logstoreName}`, writable.length)];
}

export const putLogs: Action = async (hub, req) => {
  const project = hub.project(req.project).projectName;
  const ls = hub.logstore(project, required(req.logstore, 'logstore'));
  const ct = (req.headers['content-type'] ?? '').split(';')[0].trim();
  if (ct !== 'application/x-protobuf')
    throw SlsServiceError.of(
      'InvalidContentType',
      `Content-Type ${ct || '(none)'} is not supported for PutLogs; use application/x-protobuf`,
    );
  // The decompressed group is a pooled buffer: stores copy or write what append gets, never keep it.
  let pooled: Buffer | undefined;
  try {
    const { raw, type } = rawBody(hub, req, (n) => (pooled = hub.buffers.acquire(n)));
    // An lz4 body is kept as the client sent it (it was just checked to decompress to `raw`),
    // unless it did not compress: then the raw frame is smaller.
    const asSent = type === CompressType.Lz4 && req.body.length < raw.length ? req.body : undefined;
    await validateAndAppend(hub, req, project, ls, raw, asSent);
  } finally {
    if (pooled) hub.buffers.release(pooled);
  }
  return EMPTY;
};

async function validateAndAppend(
  hub: Hub,
  req: ActionRequest,
  project: string,
  ls: LogStoreMeta,
  raw: Buffer,
  asSent: Buffer | undefined,
): Promise<void> {
  let logCount: number;
  try {
    logCount = validateLogGroup(raw).logCount;
  } catch (e) {
    throw SlsServiceError.of('PostBodyInvalid', `the body is not a valid LogGroup: ${(e as Error).message}`);
  }
  if (logCount > hub.limits.maxLogsPerPut)
    throw SlsServiceError.of('InvalidLogSize', `${logCount} logs exceed the limit of ${hub.limits.maxLogsPerPut} per request`);
  const shard = pickShard(hub, ls, project, req);
  const log = await hub.shardLog(project, ls, shard);
  await log.append([raw], hub.nowSeconds(), [asSent]);
}

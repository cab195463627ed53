import { compress, CompressType, encodeLogGroup, md5Hex, normalizeHashKey, type LogGroup } from '../../codec/index.js';
import { noContent, seg, type SlsRequest } from '../request.js';

export interface PutLogsParams {
  project: string;
  logstore: string;
  /** a LogGroup, or its protobuf bytes already encoded */
  logGroup: LogGroup | Uint8Array;
  /** route by hash key (32 hex digits) instead of load balancing */
  hashKey?: string;
  /** body compression; default lz4 as the Python/Go/Java SDKs send */
  compressType?: CompressType;
}

/** POST /logstores/{ls}/shards/lb (any shard) or /shards/route?key=<hash> (the shard owning the key). */
export function putLogs(p: PutLogsParams): SlsRequest<void> {
  const raw = p.logGroup instanceof Uint8Array ? p.logGroup : encodeLogGroup(p.logGroup);
  const type = p.compressType ?? CompressType.Lz4;
  const body = compress(raw, type);
  const headers: Record<string, string> = {
    'content-type': 'application/x-protobuf',
    'x-log-bodyrawsize': String(raw.byteLength),
    'content-md5': md5Hex(body),
  };
  if (type !== CompressType.None) headers['x-log-compresstype'] = type;
  const route = p.hashKey !== undefined;
  return {
    action: 'PutLogs',
    method: 'POST',
    project: p.project,
    path: `/logstores/${seg(p.logstore)}/shards/${route ? 'route' : 'lb'}`,
    query: route ? [['key', normalizeHashKey(p.hashKey!)]] : undefined,
    headers,
    body,
    decode: noContent,
  };
}

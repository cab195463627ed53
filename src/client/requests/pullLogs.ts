import { CompressType, decodeLogGroupListFast, decompress, parseCompressType, CodecError, type FastLogGroup } from '../../codec/index.js';
import { SlsArgumentError, SlsTransportError } from '../../errors/index.js';
import { header, seg, type SlsRequest, type SlsResponse } from '../request.js';

export interface PullLogsParams {
  project: string;
  logstore: string;
  shardId: number;
  cursor: string;
  /** log groups, 1..1000 */
  count?: number;
  /** exclusive end cursor */
  endCursor?: string;
  /** what to accept: lz4 (default) | deflate | none */
  acceptEncoding?: CompressType;
  /** cap on the declared raw size of the answer */
  maxRawSize?: number;
  /**
   * SPL run on the server over the pulled range (docs/spl.md): only the rows and fields it keeps
   * come back; sent as query=<SPL>&pullMode=scan_on_stream, as the official SDKs send it
   */
  query?: string;
  /** a stored consume processor's name instead of `query` (real SLS only) */
  processor?: string;
}

/** What the server counted before and after the SPL (headers SLS sends with a query). */
export interface SplCounts {
  /** log groups scanned (x-log-rawdatacount) */
  rawGroups: number;
  /** their uncompressed size (x-log-rawdatasize) */
  rawBytes: number;
  /** logs scanned (x-log-rawdatalines) */
  rawLines: number;
  /** logs the SPL kept (x-log-resultlines) */
  resultLines: number;
  /** logs the SPL could not compute (x-log-failedlines), dropped */
  failedLines: number;
}

export interface PullLogsResult {
  /** lazy views over the decoded groups (see codec/fastLogGroup.ts) */
  groups: FastLogGroup[];
  nextCursor: string;
  count: number;
  /** uncompressed LogGroupList size */
  rawSize: number;
  /** the uncompressed LogGroupList body */
  rawBody: Buffer;
  /** x-log-read-last-cursor (decimal), when sent (not with a query) */
  readLastCursor: string | undefined;
  /** with a query or processor: the counts before and after it */
  spl?: SplCounts;
}

function splCounts(res: SlsResponse): SplCounts | undefined {
  const n = (name: string) => Number(header(res, name) ?? -1);
  if (header(res, 'x-log-rawdatacount') === undefined) return undefined;
  return {
    rawGroups: n('x-log-rawdatacount'),
    rawBytes: n('x-log-rawdatasize'),
    rawLines: n('x-log-rawdatalines'),
    resultLines: n('x-log-resultlines'),
    failedLines: n('x-log-failedlines'),
  };
}

function decodePull(res: SlsResponse, maxRawSize: number | undefined): PullLogsResult {
  const nextCursor = header(res, 'x-log-cursor');
  const count = Number(header(res, 'x-log-count'));
  const rawSize = Number(header(res, 'x-log-bodyrawsize') ?? res.body.length);
  if (nextCursor === undefined || !Number.isInteger(count)) {
    throw new SlsTransportError('BadResponse', 'PullLogs answer without x-log-cursor/x-log-count', {
      requestId: res.requestId,
      httpStatus: res.status,
    });
  }
  try {
    const type = parseCompressType(header(res, 'x-log-compresstype'));
    const rawBody =
      rawSize === 0 && res.body.length === 0
        ? Buffer.alloc(0)
        : decompress(res.body, type, type === CompressType.None ? undefined : rawSize, maxRawSize);
    const groups = decodeLogGroupListFast(rawBody);
    if (groups.length !== count) throw new CodecError('Malformed', `x-log-count says ${count}, body holds ${groups.length} groups`);
    const spl = splCounts(res);
    return {
      groups,
      nextCursor,
      count,
      rawSize: rawBody.length,
      rawBody,
      readLastCursor: header(res, 'x-log-read-last-cursor'),
      ...(spl ? { spl } : {}),
    };
  } catch (e) {
    throw new SlsTransportError('BadResponse', `PullLogs body: ${(e as Error).message}`, {
      requestId: res.requestId,
      httpStatus: res.status,
      cause: e,
    });
  }
}

/** GET /logstores/{ls}/shards/{id}?type=log&cursor=..&count=..[&end_cursor=..][&query=<SPL>&pullMode=scan_on_stream] */
export function pullLogs(p: PullLogsParams): SlsRequest<PullLogsResult> {
  const count = p.count ?? 1000;
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new SlsArgumentError(`count must be 1..1000, got ${count}`);
  const query: [string, string][] = [
    ['type', 'log'],
    ['cursor', p.cursor],
    ['count', String(count)],
  ];
  if (p.endCursor !== undefined) query.push(['end_cursor', p.endCursor]);
  if (p.query !== undefined && p.query.trim() !== '') query.push(['query', p.query], ['pullMode', 'scan_on_stream']);
  if (p.processor !== undefined && p.processor !== '') query.push(['processor', p.processor]);
  const enc = p.acceptEncoding ?? CompressType.Lz4;
  return {
    action: 'PullLogs',
    method: 'GET',
    project: p.project,
    path: `/logstores/${seg(p.logstore)}/shards/${seg(p.shardId)}`,
    query,
    headers: { accept: 'application/x-protobuf', 'accept-encoding': enc === CompressType.None ? '' : enc },
    decode: (res) => decodePull(res, p.maxRawSize),
  };
}

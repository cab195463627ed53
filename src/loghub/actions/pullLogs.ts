// PullLogs: GET /logstores/{ls}/shards/{id}?type=log|logs&cursor=<c>&count=1..1000[&end_cursor=<e>]
// [&query=<SPL>&pullMode=scan_on_stream] (docs/spl.md).
// Answer: LogGroupList (compressed by the reply stage as the client accepts) with x-log-cursor (next),
// x-log-count, x-log-read-last-cursor (decimal), x-log-end-of-cursor, x-log-cursor-time.
import { decodeLogGroupListFast } from '../../codec/index.js';
import { SlsServiceError } from '../../errors/index.js';
import { runSpl, SplError, type CompiledSpl } from '../../spl/index.js';
import type { Hub } from '../hub.js';
import type { ReadResult } from '../store/types.js';
import { type Action, type ActionResult, intField, shardTarget } from './common.js';

/**
 * A consume processor (processor=<name>) is a stored SPL the embedded LogHub has no API for:
 * refused, naming it, rather than answering every row unfiltered.
 */
function refuseProcessor(query: ReadonlyMap<string, string | undefined>): void {
  const v = query.get('processor');
  if (v !== undefined && v !== '')
    throw SlsServiceError.of(
      'ParameterInvalid',
      `processor (a stored consume processor) is not supported by the embedded LogHub: pass its SPL as query=<SPL>&pullMode=scan_on_stream`,
    );
}

/** The SPL of a pull: query=<SPL> (pullMode=scan_on_stream, as the SDKs send it, is implied). */
function splOf(hub: Hub, query: ReadonlyMap<string, string | undefined>): CompiledSpl | undefined {
  const spl = query.get('query');
  if (spl === undefined || spl.trim() === '') return undefined;
  const mode = query.get('pullMode');
  if (mode !== undefined && mode !== 'scan_on_stream')
    throw SlsServiceError.of('ParameterInvalid', `pullMode ${JSON.stringify(mode)} is not supported (scan_on_stream)`);
  try {
    return hub.spl(spl);
  } catch (e) {
    if (e instanceof SplError) throw SlsServiceError.of('ParameterInvalid', e.message);
    throw e;
  }
}

export const pullLogs: Action = async (hub, req) => {
  refuseProcessor(req.query);
  const spl = splOf(hub, req.query);
  const { shard, log } = await shardTarget(hub, req);
  const from = hub.seqOf(shard, log, req.query.get('cursor'));
  const count = intField(req.query.get('count'), 'count', 1, 1000, 1000);
  const endParam = req.query.get('end_cursor');
  const stop = endParam === undefined || endParam === '' ? log.end() : hub.seqOf(shard, log, endParam, 'end_cursor');
  const r = await log.read(from, count, stop);
  const next = from + r.count;
  const base = BigInt(shard.cursorBase);
  const position = {
    'x-log-cursor': hub.cursorOf(shard, next),
    'x-log-end-of-cursor': next >= log.end() ? '1' : '0',
    'x-log-cursor-time': String(r.lastTime ?? 0),
  };
  if (spl) return splAnswer(spl, r, position);
  return {
    kind: 'logs',
    rawLength: r.rawLength,
    body: r.body,
    lz4: r.lz4,
    headers: {
      ...position,
      'x-log-count': String(r.count),
      'x-log-read-last-cursor': (base + BigInt(next) - 1n).toString(),
    },
  };
};

/**
 * The page through SPL: only the rows (and fields) it keeps, re-encoded per group; the cursor moves
 * past every group scanned, so a page may hold no rows. The before/after counts go in the headers
 * SLS sends with a query; per-group cursors (x-log-read-last-cursor) are not sent, as SLS does not
 * with a query.
 */
function splAnswer(spl: CompiledSpl, r: ReadResult, position: Record<string, string>): ActionResult {
  const raw = r.body();
  const result = runSpl(spl, decodeLogGroupListFast(raw));
  return {
    kind: 'logs',
    rawLength: result.body.length,
    body: () => result.body,
    headers: {
      ...position,
      'x-log-count': String(result.groups.length),
      'x-log-rawdatasize': String(raw.length),
      'x-log-rawdatacount': String(r.count),
      'x-log-rawdatalines': String(result.rawLines),
      'x-log-resultlines': String(result.resultLines),
      'x-log-failedlines': String(result.failedLines),
    },
  };
}

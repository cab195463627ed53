// PullLogs: GET /logstores/{ls}/shards/{id}?type=log|logs&cursor=<c>&count=1..1000[&end_cursor=<e>].
// Answer: LogGroupList (compressed by the reply stage as the client accepts) with x-log-cursor (next),
// x-log-count, x-log-read-last-cursor (decimal), x-log-end-of-cursor, x-log-cursor-time.
import { SlsServiceError } from '../../errors/index.js';
import { type Action, intField, shardTarget } from './common.js';

/**
 * SPL consumption (query=<SPL>&pullMode=scan_on_stream, or processor=<name>) is not implemented
 * here: answering such a pull with every row would be a wrong answer a user cannot see, so it is
 * refused, naming the parameter.
 */
function refuseSpl(query: ReadonlyMap<string, string | undefined>): void {
  for (const name of ['query', 'processor']) {
    const v = query.get(name);
    if (v !== undefined && v !== '')
      throw SlsServiceError.of(
        'ParameterInvalid',
        `${name} (SPL consumption) is not supported by the embedded LogHub yet: it would return every row unfiltered; pull without it, or use real SLS`,
      );
  }
}

export const pullLogs: Action = async (hub, req) => {
  refuseSpl(req.query);
  const { shard, log } = await shardTarget(hub, req);
  const from = hub.seqOf(shard, log, req.query.get('cursor'));
  const count = intField(req.query.get('count'), 'count', 1, 1000, 1000);
  const endParam = req.query.get('end_cursor');
  const stop = endParam === undefined || endParam === '' ? log.end() : hub.seqOf(shard, log, endParam, 'end_cursor');
  const r = await log.read(from, count, stop);
  const next = from + r.count;
  const base = BigInt(shard.cursorBase);
  return {
    kind: 'logs',
    rawLength: r.rawLength,
    body: r.body,
    lz4: r.lz4,
    headers: {
      'x-log-cursor': hub.cursorOf(shard, next),
      'x-log-count': String(r.count),
      'x-log-read-last-cursor': (base + BigInt(next) - 1n).toString(),
      'x-log-end-of-cursor': next >= log.end() ? '1' : '0',
      'x-log-cursor-time': String(r.lastTime ?? 0),
    },
  };
};

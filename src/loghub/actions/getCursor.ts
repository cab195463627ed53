// GetCursor: ?type=cursor&from=begin|end|<unix seconds> -> {"cursor"}. A time gives the first group
// received at or after it; before the oldest retained data -> begin; after the newest -> end.
import { SlsServiceError } from '../../errors/index.js';
import { type Action, json, shardTarget } from './common.js';

export const getCursor: Action = async (hub, req) => {
  const { shard, log } = await shardTarget(hub, req);
  const from = req.query.get('from') ?? '';
  let seq: number;
  if (from === 'begin') seq = log.begin();
  else if (from === 'end') seq = log.end();
  else if (/^\d{1,12}$/.test(from)) seq = log.seqAtTime(Number(from));
  else throw SlsServiceError.of('ParameterInvalid', `from must be begin, end or unix seconds, got ${JSON.stringify(from)}`);
  return json({ cursor: hub.cursorOf(shard, seq) });
};

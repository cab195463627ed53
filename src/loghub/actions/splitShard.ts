// SplitShard: POST /logstores/{ls}/shards/{id}?action=split&key=<hash> (or &shardCount=n).
// The parent becomes readonly (readable to its final cursor); new readwrite children take new ids.
import { bigIntToHashKey, hashKeyToBigInt, HASH_KEY_MAX, isInteriorKey, normalizeHashKey, type KeyRange } from '../../codec/index.js';
import { SlsServiceError } from '../../errors/index.js';
import type { ShardMeta } from '../store/types.js';
import { intField, json, required, type Action } from './common.js';
import { newShard } from './createLogStore.js';
import { shardView } from './shardView.js';

function splitPoints(parent: ShardMeta, key: string | undefined, count: number): string[] {
  if (key !== undefined && key !== '') {
    let k: string;
    try {
      k = normalizeHashKey(key);
    } catch {
      throw SlsServiceError.of('ParameterInvalid', `split key ${key} is not 32 hex digits`);
    }
    if (!isInteriorKey(parent, k))
      throw SlsServiceError.of('ParameterInvalid', `split key ${k} is not inside shard ${parent.shardID}'s range`);
    return [k];
  }
  const b = hashKeyToBigInt(parent.inclusiveBeginKey);
  const e = parent.exclusiveEndKey === HASH_KEY_MAX ? 1n << 128n : hashKeyToBigInt(parent.exclusiveEndKey);
  const pts: string[] = [];
  for (let i = 1; i < count; i++) pts.push(bigIntToHashKey(b + ((e - b) * BigInt(i)) / BigInt(count)));
  if (new Set([parent.inclusiveBeginKey, ...pts]).size !== count)
    throw SlsServiceError.of('ParameterInvalid', `shard ${parent.shardID} is too narrow to split ${count} ways`);
  return pts;
}

export const splitShard: Action = async (hub, req) => {
  const ls = hub.logstore(req.project, required(req.logstore, 'logstore'));
  const parent = hub.shard(ls, required(req.shardId, 'shard'));
  if (parent.status !== 'readwrite') throw SlsServiceError.of('ShardReadOnly', `shard ${parent.shardID} is readonly and cannot be split`);
  const count = intField(req.query.get('shardCount'), 'shardCount', 2, 64, 2);
  const points = splitPoints(parent, req.query.get('key'), count);
  // maxSplitShard bounds *automatic* splits only; a SplitShard call is bounded by the shard quota.
  const writable = ls.shards.filter((s) => s.status === 'readwrite').length;
  if (writable + points.length > hub.limits.maxShards)
    throw SlsServiceError.of('ParameterInvalid', `splitting would exceed the limit of ${hub.limits.maxShards} readwrite shards`);
  const bounds = [parent.inclusiveBeginKey, ...points, parent.exclusiveEndKey];
  const children: ShardMeta[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const range: KeyRange = { inclusiveBeginKey: bounds[i], exclusiveEndKey: bounds[i + 1] };
    children.push(newShard(hub, ls.nextShardId++, range, [parent.shardID]));
  }
  parent.status = 'readonly';
  ls.shards.push(...children);
  await hub.persistNewShards(children);
  return json([parent, ...children].map(shardView));
};

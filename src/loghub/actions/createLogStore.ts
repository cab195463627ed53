import { randomBytes } from 'node:crypto';
import { evenRanges } from '../../codec/index.js';
import { SlsServiceError } from '../../errors/index.js';
import { checkLogStoreName, type Hub } from '../hub.js';
import type { ShardMeta } from '../store/types.js';
import { EMPTY, intField, jsonBody, type Action } from './common.js';
import { logstoreSettings } from './logstoreSettings.js';

/** A new shard; its cursor numbers start at (creation ms + id) * 10^6 so cursors differ across shards. */
export function newShard(
  hub: Hub,
  shardId: number,
  range: { inclusiveBeginKey: string; exclusiveEndKey: string },
  parents: number[],
): ShardMeta {
  const ms = hub.now();
  return {
    shardID: shardId,
    status: 'readwrite',
    inclusiveBeginKey: range.inclusiveBeginKey,
    exclusiveEndKey: range.exclusiveEndKey,
    createTime: Math.floor(ms / 1000),
    cursorBase: ((BigInt(ms) + BigInt(shardId)) * 1_000_000n).toString(),
    parents,
  };
}

export const createLogStore: Action = async (hub, req) => {
  const project = hub.project(req.project);
  const body = jsonBody(req);
  const name = checkLogStoreName(body.logstoreName);
  if (project.logstores[name]) throw SlsServiceError.of('LogStoreAlreadyExist', `logstore ${name} already exists`);
  const settings = logstoreSettings(body);
  const shardCount = intField(body.shardCount, 'shardCount', 1, hub.limits.maxShards, 2);
  const now = hub.nowSeconds();
  const shards = evenRanges(shardCount).map((r, i) => newShard(hub, i, r, []));
  project.logstores[name] = {
    logstoreName: name,
    ...settings,
    shardCount,
    createTime: now,
    lastModifyTime: now,
    nextShardId: shardCount,
    dataId: randomBytes(6).toString('hex'),
    shards,
    consumerGroups: {},
  };
  await hub.persistNewShards(shards);
  return EMPTY;
};

// ConsumerGroupUpdateCheckPoint: POST ...?type=checkpoint&consumer=<c>&forceSuccess=true|false|True,
// body {"shard", "checkpoint"}. Only the shard's owner may commit unless forceSuccess.
import { SlsServiceError } from '../../errors/index.js';
import { boolField, EMPTY, intField, jsonBody, type Action } from './common.js';
import { findGroup } from './groupCommon.js';

export const updateCheckpoint: Action = async (hub, req) => {
  const t = findGroup(hub, req);
  const body = jsonBody(req);
  const shard = hub.shard(t.ls, intField(body.shard, 'shard', 0, 2 ** 31));
  const checkpoint = typeof body.checkpoint === 'string' ? body.checkpoint : '';
  const log = await hub.shardLog(t.project, t.ls, shard);
  hub.seqOf(shard, log, checkpoint, 'checkpoint');
  const consumer = req.query.get('consumer') ?? '';
  const force = boolField(req.query.get('forceSuccess'), 'forceSuccess', false);
  if (!force) {
    const a = hub.assigner(t.project, t.ls.logstoreName, t.group.name);
    if (!a.isLive(consumer)) throw SlsServiceError.of('ConsumerNotExist', `consumer ${consumer} does not exist in group ${t.group.name}`);
    if (a.ownerOf(shard.shardID) !== consumer)
      throw SlsServiceError.of('ConsumerNotMatch', `consumer ${consumer} does not hold shard ${shard.shardID}`);
  }
  const cp = { checkpoint, updateTime: hub.now() * 1000, consumer };
  t.group.checkpoints[String(shard.shardID)] = cp;
  // one journal append, not a rewrite of the whole metadata (store/checkpointJournal.ts)
  await hub.persistCheckpoint({
    project: t.project,
    logstore: t.ls.logstoreName,
    group: t.group.name,
    shard: String(shard.shardID),
    checkpoint: cp,
  });
  return EMPTY;
};

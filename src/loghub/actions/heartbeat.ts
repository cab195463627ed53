// ConsumerGroupHeartBeat: POST .../consumergroups/{cg}?type=heartbeat&consumer=<name>, body = JSON
// array of the shards the consumer holds; answer = JSON array of the shards it should hold.
import { SlsServiceError } from '../../errors/index.js';
import { json, jsonBody, type Action } from './common.js';
import { assignableShards, findGroup } from './groupCommon.js';

export const heartbeat: Action = async (hub, req) => {
  const t = findGroup(hub, req);
  const consumer = req.query.get('consumer');
  if (!consumer) throw SlsServiceError.of('ParameterInvalid', 'consumer is required');
  const held = jsonBody<unknown[]>(req, 'array');
  if (!held.every((x) => Number.isInteger(x)))
    throw SlsServiceError.of('PostBodyInvalid', 'heartbeat body must be a JSON array of shard ids');
  const assignable = await assignableShards(hub, t);
  const answer = hub
    .assigner(t.project, t.ls.logstoreName, t.group.name)
    .heartbeat(consumer, held as number[], assignable, hub.now(), t.group.timeout * 1000);
  return json(answer);
};

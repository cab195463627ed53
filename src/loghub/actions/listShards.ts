import { json, required, type Action } from './common.js';
import { shardView } from './shardView.js';

export const listShards: Action = async (hub, req) =>
  json(hub.logstore(req.project, required(req.logstore, 'logstore')).shards.map(shardView));

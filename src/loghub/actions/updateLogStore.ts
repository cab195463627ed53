import { SlsServiceError } from '../../errors/index.js';
import { boolField, EMPTY, intField, jsonBody, required, type Action } from './common.js';

export const updateLogStore: Action = async (hub, req) => {
  const ls = hub.logstore(req.project, required(req.logstore, 'logstore'));
  const body = jsonBody(req);
  // The SDKs send the logstore's own name; another one (or a non-string) is a caller's mistake.
  if (body.logstoreName !== undefined && body.logstoreName !== ls.logstoreName) {
    throw SlsServiceError.of('ParameterInvalid', `logstoreName ${JSON.stringify(body.logstoreName)} does not match the logstore ${ls.logstoreName} in the path`);
  }
  ls.ttl = intField(body.ttl, 'ttl', 1, 3650, ls.ttl);
  ls.autoSplit = boolField(body.autoSplit, 'autoSplit', ls.autoSplit);
  ls.maxSplitShard = intField(body.maxSplitShard, 'maxSplitShard', 1, 256, ls.maxSplitShard);
  ls.appendMeta = boolField(body.appendMeta, 'appendMeta', ls.appendMeta);
  ls.enableTracking = boolField(body.enable_tracking, 'enable_tracking', ls.enableTracking);
  ls.lastModifyTime = hub.nowSeconds();
  await hub.persist();
  return EMPTY;
};

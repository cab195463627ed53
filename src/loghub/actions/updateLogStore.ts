import { SlsServiceError } from '../../errors/index.js';
import { EMPTY, jsonBody, required, type Action } from './common.js';
import { logstoreSettings, settingsOf } from './logstoreSettings.js';

export const updateLogStore: Action = async (hub, req) => {
  const ls = hub.logstore(req.project, required(req.logstore, 'logstore'));
  const body = jsonBody(req);
  // The SDKs send the logstore's own name; another one (or a non-string) is a caller's mistake.
  if (body.logstoreName !== undefined && body.logstoreName !== ls.logstoreName) {
    throw SlsServiceError.of(
      'ParameterInvalid',
      `logstoreName ${JSON.stringify(body.logstoreName)} does not match the logstore ${ls.logstoreName} in the path`,
    );
  }
  // shardCount in the body is ignored: shards change only by SplitShard/MergeShards, as on SLS.
  Object.assign(ls, logstoreSettings(body, settingsOf(ls)));
  ls.lastModifyTime = hub.nowSeconds();
  await hub.persist();
  return EMPTY;
};

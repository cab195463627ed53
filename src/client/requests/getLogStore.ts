import { parseJson, seg, type SlsRequest } from '../request.js';
import type { LogStoreInfo } from './types.js';

export function getLogStore(p: { project: string; logstore: string }): SlsRequest<LogStoreInfo> {
  return {
    action: 'GetLogStore',
    method: 'GET',
    project: p.project,
    path: `/logstores/${seg(p.logstore)}`,
    decode: parseJson<LogStoreInfo>,
  };
}

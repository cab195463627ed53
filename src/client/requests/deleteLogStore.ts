import { noContent, seg, type SlsRequest } from '../request.js';

export function deleteLogStore(p: { project: string; logstore: string }): SlsRequest<void> {
  return { action: 'DeleteLogStore', method: 'DELETE', project: p.project, path: `/logstores/${seg(p.logstore)}`, decode: noContent };
}

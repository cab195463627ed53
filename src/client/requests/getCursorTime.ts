import { parseJson, seg, type SlsRequest } from '../request.js';

/** Server receive time (unix seconds) of the group at `cursor`. */
export function getCursorTime(p: { project: string; logstore: string; shardId: number; cursor: string }): SlsRequest<number> {
  return {
    action: 'GetCursorTime',
    method: 'GET',
    project: p.project,
    path: `/logstores/${seg(p.logstore)}/shards/${seg(p.shardId)}`,
    query: [
      ['type', 'cursor_time'],
      ['cursor', p.cursor],
    ],
    decode: (res) => Number(parseJson<{ cursor_time: number | string }>(res).cursor_time),
  };
}

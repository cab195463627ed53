import { SlsArgumentError } from '../../errors/index.js';
import { parseJson, seg, type SlsRequest } from '../request.js';

/** 'begin' | 'end' | unix seconds (the first group received at or after that second). */
export type CursorPosition = 'begin' | 'end' | number;

export function getCursor(p: { project: string; logstore: string; shardId: number; from: CursorPosition }): SlsRequest<string> {
  const from = p.from;
  if (from !== 'begin' && from !== 'end' && !(Number.isInteger(from) && from >= 0)) {
    throw new SlsArgumentError(`from must be 'begin', 'end' or unix seconds, got ${JSON.stringify(from)}`);
  }
  return {
    action: 'GetCursor',
    method: 'GET',
    project: p.project,
    path: `/logstores/${seg(p.logstore)}/shards/${seg(p.shardId)}`,
    query: [
      ['type', 'cursor'],
      ['from', String(from)],
    ],
    decode: (res) => parseJson<{ cursor: string }>(res).cursor,
  };
}

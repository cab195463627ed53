// Maps (method, path, query) to an action, exactly as the SDKs address them (docs/protocol-notes.md).
import { SlsServiceError } from '../../errors/index.js';
import type { Action } from '../actions/common.js';
import { createProject } from '../actions/createProject.js';
import { getProject } from '../actions/getProject.js';
import { deleteProject } from '../actions/deleteProject.js';
import { listProject } from '../actions/listProject.js';
import { createLogStore } from '../actions/createLogStore.js';
import { getLogStore } from '../actions/getLogStore.js';
import { updateLogStore } from '../actions/updateLogStore.js';
import { deleteLogStore } from '../actions/deleteLogStore.js';
import { listLogStores } from '../actions/listLogStores.js';
import { putLogs } from '../actions/putLogs.js';
import { listShards } from '../actions/listShards.js';
import { splitShard } from '../actions/splitShard.js';
import { mergeShards } from '../actions/mergeShards.js';
import { getCursor } from '../actions/getCursor.js';
import { getCursorTime } from '../actions/getCursorTime.js';
import { pullLogs } from '../actions/pullLogs.js';
import { createConsumerGroup } from '../actions/createConsumerGroup.js';
import { listConsumerGroup } from '../actions/listConsumerGroup.js';
import { updateConsumerGroup } from '../actions/updateConsumerGroup.js';
import { deleteConsumerGroup } from '../actions/deleteConsumerGroup.js';
import { heartbeat } from '../actions/heartbeat.js';
import { updateCheckpoint } from '../actions/updateCheckpoint.js';
import { getCheckpoint } from '../actions/getCheckpoint.js';

/** Every action's name, as real SLS names it in its logs (metrics start each at 0). */
export const ACTION_NAMES = [
  'ConsumerGroupHeartBeat',
  'ConsumerGroupUpdateCheckPoint',
  'CreateConsumerGroup',
  'CreateLogStore',
  'CreateProject',
  'DeleteConsumerGroup',
  'DeleteLogStore',
  'DeleteProject',
  'GetCheckPoint',
  'GetCursor',
  'GetCursorTime',
  'GetLogStore',
  'GetProject',
  'ListConsumerGroup',
  'ListLogStores',
  'ListProject',
  'ListShards',
  'MergeShards',
  'PullLogs',
  'PutLogs',
  'SplitShard',
  'UpdateConsumerGroup',
  'UpdateLogStore',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

export interface Route {
  readonly name: ActionName;
  readonly action: Action;
  readonly logstore?: string;
  readonly shardId?: number;
  readonly group?: string;
  /** reached without a project in the Host */
  readonly projectless?: boolean;
}

type Query = ReadonlyMap<string, string | undefined>;

function unsupported(method: string, path: string): never {
  throw SlsServiceError.of('RequestNotSupported', `${method} ${path} is not supported by the embedded LogHub`);
}

function shardRoute(method: string, path: string, logstore: string, id: string, q: Query): Route {
  const shardId = Number(id);
  if (!/^\d{1,9}$/.test(id)) throw SlsServiceError.of('ShardNotExist', `shard ${id} does not exist`);
  if (method === 'GET') {
    const type = q.get('type');
    if (type === 'log' || type === 'logs') return { name: 'PullLogs', action: pullLogs, logstore, shardId };
    if (type === 'cursor') return { name: 'GetCursor', action: getCursor, logstore, shardId };
    if (type === 'cursor_time') return { name: 'GetCursorTime', action: getCursorTime, logstore, shardId };
  }
  if (method === 'POST') {
    const a = q.get('action');
    if (a === 'split') return { name: 'SplitShard', action: splitShard, logstore, shardId };
    if (a === 'merge') return { name: 'MergeShards', action: mergeShards, logstore, shardId };
  }
  return unsupported(method, path);
}

function groupRoute(method: string, path: string, logstore: string, group: string | undefined, q: Query): Route {
  if (group === undefined) {
    if (method === 'POST') return { name: 'CreateConsumerGroup', action: createConsumerGroup, logstore };
    if (method === 'GET') return { name: 'ListConsumerGroup', action: listConsumerGroup, logstore };
    return unsupported(method, path);
  }
  if (method === 'POST' && q.get('type') === 'heartbeat') return { name: 'ConsumerGroupHeartBeat', action: heartbeat, logstore, group };
  if (method === 'POST' && q.get('type') === 'checkpoint')
    return { name: 'ConsumerGroupUpdateCheckPoint', action: updateCheckpoint, logstore, group };
  if (method === 'GET') return { name: 'GetCheckPoint', action: getCheckpoint, logstore, group };
  if (method === 'PUT') return { name: 'UpdateConsumerGroup', action: updateConsumerGroup, logstore, group };
  if (method === 'DELETE') return { name: 'DeleteConsumerGroup', action: deleteConsumerGroup, logstore, group };
  return unsupported(method, path);
}

export function route(method: string, path: string, q: Query, hasProject: boolean): Route {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 0) {
    if (method === 'POST') return { name: 'CreateProject', action: createProject, projectless: true };
    if (method === 'GET')
      return hasProject ? { name: 'GetProject', action: getProject } : { name: 'ListProject', action: listProject, projectless: true };
    if (method === 'DELETE') return { name: 'DeleteProject', action: deleteProject };
    return unsupported(method, path);
  }
  if (parts[0] !== 'logstores') return unsupported(method, path);
  const [, ls, sub, id, extra] = parts;
  if (ls === undefined) {
    if (method === 'POST') return { name: 'CreateLogStore', action: createLogStore };
    if (method === 'GET') return { name: 'ListLogStores', action: listLogStores };
    return unsupported(method, path);
  }
  if (sub === undefined) {
    if (method === 'GET' && q.get('type') === undefined) return { name: 'GetLogStore', action: getLogStore, logstore: ls };
    if (method === 'PUT') return { name: 'UpdateLogStore', action: updateLogStore, logstore: ls };
    if (method === 'DELETE') return { name: 'DeleteLogStore', action: deleteLogStore, logstore: ls };
    if (method === 'POST') return { name: 'PutLogs', action: putLogs, logstore: ls };
    return unsupported(method, path);
  }
  if (sub === 'shards' && extra === undefined) {
    if (id === undefined && method === 'GET') return { name: 'ListShards', action: listShards, logstore: ls };
    if ((id === 'lb' || id === 'route') && method === 'POST') return { name: 'PutLogs', action: putLogs, logstore: ls };
    if (id !== undefined) return shardRoute(method, path, ls, id, q);
  }
  if (sub === 'consumergroups' && extra === undefined) return groupRoute(method, path, ls, id, q);
  return unsupported(method, path);
}

/** Project = first DNS label of Host, unless the Host is an IP literal, localhost, or a configured bare host. */
export function projectFromHost(host: string | undefined, bareHosts: ReadonlySet<string>): string | undefined {
  if (!host) return undefined;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  if (name.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name === 'localhost' || bareHosts.has(name)) return undefined;
  const dot = name.indexOf('.');
  return dot <= 0 ? undefined : name.slice(0, dot);
}

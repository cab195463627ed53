export interface ProjectInfo {
  projectName: string;
  description: string;
  status: string;
  region: string;
  owner: string;
  createTime: string;
  lastModifyTime: string;
}
export interface LogStoreInfo {
  logstoreName: string;
  ttl: number;
  shardCount: number;
  enable_tracking: boolean;
  autoSplit: boolean;
  maxSplitShard: number;
  appendMeta: boolean;
  mode: string;
  telemetryType: string;
  /** days of hot storage, when set */
  hot_ttl?: number;
  createTime: number;
  lastModifyTime: number;
}
export interface ShardInfo {
  shardID: number;
  status: 'readwrite' | 'readonly';
  inclusiveBeginKey: string;
  exclusiveEndKey: string;
  createTime: number;
}
export interface ConsumerGroupInfo {
  name: string;
  timeout: number;
  order: boolean;
}
export interface CheckpointInfo {
  shard: number;
  checkpoint: string;
  /** microseconds */
  updateTime: number;
  consumer: string;
}

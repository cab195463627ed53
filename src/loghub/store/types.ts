// The Store interface: durable metadata (projects, logstores, shards, consumer groups, checkpoints)
// and one append-only log per shard. File backend (default) and memory backend implement it; the
// same action tests run against both.

export interface ShardMeta {
  shardID: number;
  status: 'readwrite' | 'readonly';
  inclusiveBeginKey: string;
  exclusiveEndKey: string;
  /** unix seconds */
  createTime: number;
  /** base of this shard's cursor numbers: cursor = base + sequence number */
  cursorBase: string;
  /** shards this one was split or merged from (parent-first ordering) */
  parents: number[];
}

export interface CheckpointMeta {
  checkpoint: string;
  /** microseconds */
  updateTime: number;
  consumer: string;
}

/** One checkpoint commit, as the store persists it (Store.saveCheckpoint). */
export interface CheckpointEntry {
  readonly project: string;
  readonly logstore: string;
  readonly group: string;
  readonly shard: string;
  readonly checkpoint: CheckpointMeta;
}

export interface ConsumerGroupMeta {
  name: string;
  timeout: number;
  order: boolean;
  checkpoints: Record<string, CheckpointMeta>;
}

export interface LogStoreMeta {
  logstoreName: string;
  ttl: number;
  shardCount: number;
  autoSplit: boolean;
  maxSplitShard: number;
  appendMeta: boolean;
  enableTracking: boolean;
  /** 'standard' | 'query' | 'lite' (fixed at creation); absent in older meta.json: standard */
  mode?: string;
  /** '' (logs) or 'Metrics'; absent in older meta.json: '' */
  telemetryType?: string;
  /** days of hot storage; -1 = all of ttl */
  hotTtl?: number;
  createTime: number;
  lastModifyTime: number;
  nextShardId: number;
  /**
   * this logstore's data incarnation (12 hex digits, new at each create): its shard directories
   * carry it, so a logstore deleted and created again under the same name never sees old data.
   * Absent in directories written before it existed (their data keeps the bare name).
   */
  dataId?: string;
  shards: ShardMeta[];
  consumerGroups: Record<string, ConsumerGroupMeta>;
}

export interface ProjectMeta {
  projectName: string;
  description: string;
  createTime: number;
  lastModifyTime: number;
  logstores: Record<string, LogStoreMeta>;
}

/**
 * meta.json format: 2 since shard data files may hold lz4 records (records.ts); 1 before, and
 * still readable.
 */
export const META_VERSION = 2;

export interface HubMeta {
  version: typeof META_VERSION;
  projects: Record<string, ProjectMeta>;
  /** the last checkpoint-journal line this snapshot holds (checkpointJournal.ts); absent: none */
  journalSeq?: number;
}

export interface ReadResult {
  readonly count: number;
  /** receive time (unix seconds) of the last group read; undefined when count is 0 */
  readonly lastTime: number | undefined;
  /** size of the LogGroupList `body()` gives */
  readonly rawLength: number;
  /** the groups as a LogGroupList (each group framed as field 1); made on demand */
  body(): Buffer;
  /** the same LogGroupList as one lz4 block, when the store can make it without compressing */
  readonly lz4?: () => Buffer | undefined;
}

/** One shard's log. Sequence numbers start at 0 and never repeat; `begin` moves up as TTL expires data. */
export interface ShardLog {
  /** first retained sequence number */
  begin(): number;
  /** next sequence number to be written */
  end(): number;
  /**
   * Appends LogGroups (raw protobuf) received at `time` (unix seconds); resolves once durable with the
   * first new sequence number. The store copies or writes `groups` and keeps no reference to them once
   * the promise settles (the LogHub reuses those buffers). `lz4[i]`, when given, is group i as the
   * lz4 block the client sent (decompresses to exactly groups[i]): a store may keep that instead.
   */
  append(groups: readonly Buffer[], time: number, lz4?: readonly (Buffer | undefined)[]): Promise<number>;
  /** Reads up to `max` groups from `from` (begin <= from <= end), stopping before `stop`. */
  read(from: number, max: number, stop: number): Promise<ReadResult>;
  /** first sequence number received at or after `time`, or end() when none */
  seqAtTime(time: number): number;
  /** receive time of sequence `seq` (begin <= seq < end) */
  timeOf(seq: number): number;
  /** Drops whole segments whose newest group is older than `time`; returns the new begin. */
  expireBefore(time: number): Promise<number>;
}

/** Where a logstore's data lives: its names and data incarnation. */
export interface DataRef {
  readonly project: string;
  readonly logstore: string;
  readonly dataId?: string;
}

export const dataRefOf = (project: string, ls: LogStoreMeta): DataRef => ({ project, logstore: ls.logstoreName, dataId: ls.dataId });

export interface Store {
  readonly kind: 'file' | 'memory';
  /** Loads metadata; a file store also removes shard data the metadata does not name (leftovers of a crash). */
  loadMeta(): Promise<HubMeta>;
  /** Persists metadata durably before resolving. */
  saveMeta(meta: HubMeta): Promise<void>;
  /**
   * Persists one checkpoint commit already applied to the metadata given to loadMeta/saveMeta,
   * durably before resolving, at a cost independent of the metadata's size (a journal append).
   */
  saveCheckpoint(entry: CheckpointEntry): Promise<void>;
  shard(ref: DataRef, shardId: number): Promise<ShardLog>;
  /** Deletes the data of these logstores (all shards). */
  drop(refs: readonly DataRef[]): Promise<void>;
  close(): Promise<void>;
}

export function emptyMeta(): HubMeta {
  return { version: META_VERSION, projects: {} };
}

// Framing lives in the codec (the trigger's dead letters frame groups too).
export { taggedLength, framePrefix, frameGroup } from '../../codec/index.js';

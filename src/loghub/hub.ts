// The LogHub's state: metadata (durable through the Store), the clock, limits, and the lookups every
// action needs. Actions never see HTTP; they get a Hub and validated parameters.
import { CodecError, decodeCursor, encodeCursor } from '../codec/index.js';
import { SlsServiceError } from '../errors/index.js';
import { BufferPool } from './bufferPool.js';
import { splCache } from '../spl/index.js';
import { ConsumerAssigner } from './consumerAssigner.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import type { CheckpointEntry } from './store/types.js';
import { dataRefOf, type HubMeta, type LogStoreMeta, type ProjectMeta, type ShardLog, type ShardMeta, type Store } from './store/types.js';

// SLS naming rules: projects 3-63 of [a-z0-9-], logstores 3-63 of [a-z0-9_-], both starting and
// ending with a letter or digit. Nothing else can reach a data path.
const PROJECT_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const LOGSTORE_NAME = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;
const GROUP_NAME = /^[A-Za-z0-9_-]{1,128}$/;

export function checkProjectName(name: unknown): string {
  if (typeof name !== 'string' || !PROJECT_NAME.test(name)) {
    throw SlsServiceError.of(
      'ProjectInfoInvalid',
      `project name ${JSON.stringify(name)} is invalid: 3-63 of a-z, 0-9, '-', starting and ending with a letter or digit`,
    );
  }
  return name;
}

export function checkLogStoreName(name: unknown): string {
  if (typeof name !== 'string' || !LOGSTORE_NAME.test(name)) {
    throw SlsServiceError.of('LogStoreInfoInvalid', `logstore name ${JSON.stringify(name)} is invalid`);
  }
  return name;
}

export function checkGroupName(name: unknown): string {
  if (typeof name !== 'string' || !GROUP_NAME.test(name))
    throw SlsServiceError.of('ParameterInvalid', `consumer group name ${JSON.stringify(name)} is invalid`);
  return name;
}

export interface HubOptions {
  readonly store: Store;
  /** milliseconds since the epoch */
  readonly now?: () => number;
  readonly limits?: Partial<Limits>;
}

export class Hub {
  readonly store: Store;
  readonly now: () => number;
  readonly limits: Limits;
  /** request bodies and decompressed PutLogs groups (see bufferPool.ts for the contract) */
  readonly buffers = new BufferPool();
  /** SPL statements compiled once per text (PullLogs with query) */
  readonly spl = splCache();
  meta: HubMeta;
  private readonly assigners = new Map<string, ConsumerAssigner>();
  private readonly rr = new Map<string, number>();
  /** shards whose creating metadata write is in flight, with that write */
  private readonly creating = new WeakMap<ShardMeta, Promise<void>>();
  /** a metadata save failed and none has succeeded since */
  private unsaved = false;

  private constructor(opts: HubOptions, meta: HubMeta) {
    this.store = opts.store;
    this.now = opts.now ?? Date.now;
    this.limits = { ...DEFAULT_LIMITS, ...(opts.limits ?? {}) };
    this.meta = meta;
  }

  static async open(opts: HubOptions): Promise<Hub> {
    return new Hub(opts, await opts.store.loadMeta());
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /**
   * Saves the metadata. When a save fails (disk full) the change stays in memory unacknowledged;
   * `ensureSaved` then saves it before the next request is answered, so no answer (a retried
   * CreateLogStore's LogStoreAlreadyExist, a GetCheckpoint, a PutLogs into a new logstore) ever
   * rests on metadata that a restart would forget.
   */
  persist(): Promise<void> {
    return this.store.saveMeta(this.meta).then(
      () => {
        this.unsaved = false;
      },
      (e: unknown) => {
        this.unsaved = true;
        throw e;
      },
    );
  }

  /**
   * Persists one checkpoint commit (already applied to the metadata) as the store's journal append:
   * the cost does not grow with the hub. A failure leaves the metadata unsaved, as persist does.
   */
  persistCheckpoint(entry: CheckpointEntry): Promise<void> {
    return this.store.saveCheckpoint(entry).catch((e: unknown) => {
      this.unsaved = true;
      throw e;
    });
  }

  /** Saves metadata a failed save left unsaved (see persist); nothing when all is saved. */
  async ensureSaved(): Promise<void> {
    if (this.unsaved) await this.persist();
  }

  project(name: string | undefined): ProjectMeta {
    const p = name === undefined ? undefined : this.meta.projects[name];
    if (!p) throw SlsServiceError.of('ProjectNotExist', `The Project does not exist : ${name ?? ''}`);
    return p;
  }

  logstore(project: string | undefined, logstore: string): LogStoreMeta {
    const ls = this.project(project).logstores[logstore];
    if (!ls) throw SlsServiceError.of('LogStoreNotExist', `logstore ${logstore} does not exist`);
    return ls;
  }

  shard(ls: LogStoreMeta, shardId: number): ShardMeta {
    const s = ls.shards.find((x) => x.shardID === shardId);
    if (!s) throw SlsServiceError.of('ShardNotExist', `shard ${shardId} does not exist`);
    return s;
  }

  /**
   * The log of a shard, once the metadata that created it is durable: a write to a child of a
   * SplitShard/MergeShards (or to a new logstore) is never acknowledged while a crash could still
   * forget the shard itself.
   */
  async shardLog(project: string, ls: LogStoreMeta, shard: ShardMeta): Promise<ShardLog> {
    const created = this.creating.get(shard);
    if (created) await created;
    return this.store.shard(dataRefOf(project, ls), shard.shardID);
  }

  /** Persists metadata that creates `shards`; until it is durable their logs wait (shardLog). */
  persistNewShards(shards: readonly ShardMeta[]): Promise<void> {
    const saved = this.persist();
    for (const s of shards) this.creating.set(s, saved);
    const settle = () => shards.forEach((s) => this.creating.delete(s));
    saved.then(settle, settle);
    return saved;
  }

  cursorOf(shard: ShardMeta, seq: number): string {
    return encodeCursor(BigInt(shard.cursorBase) + BigInt(seq));
  }

  /** Maps a cursor to a sequence number in [begin, end] of the shard's log. */
  seqOf(shard: ShardMeta, log: ShardLog, cursor: string | undefined, param = 'cursor'): number {
    if (cursor === undefined || cursor === '') throw SlsServiceError.of('ParameterInvalid', `${param} is required`);
    let value: bigint;
    try {
      value = decodeCursor(cursor);
    } catch (e) {
      throw SlsServiceError.of('ParameterInvalid', `${param} ${cursor} is invalid: ${(e as CodecError).message}`);
    }
    const seq = value - BigInt(shard.cursorBase);
    if (seq < BigInt(log.begin()) || seq > BigInt(log.end())) {
      throw SlsServiceError.of('InvalidCursor', `${param} ${cursor} is out of range for shard ${shard.shardID} (expired or never valid)`);
    }
    return Number(seq);
  }

  /** Next index in [0, n) for load-balanced writes to `key`. */
  roundRobin(key: string, n: number): number {
    const i = (this.rr.get(key) ?? 0) % Math.max(1, n);
    this.rr.set(key, i + 1);
    return i;
  }

  assigner(project: string, logstore: string, group: string): ConsumerAssigner {
    const key = `${project}/${logstore}/${group}`;
    let a = this.assigners.get(key);
    if (!a) {
      a = new ConsumerAssigner();
      this.assigners.set(key, a);
    }
    return a;
  }

  dropAssigners(prefix: string): void {
    for (const k of [...this.assigners.keys()]) if (k.startsWith(prefix)) this.assigners.delete(k);
  }
}

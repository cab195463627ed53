// File backend: <dataDir>/meta.json (written atomically: tmp file, fsync, rename) and
// <dataDir>/shards/<project>/<logstore>.<dataId>/<shardId>/ segment files (fileShardLog.ts; a
// logstore from before data ids keeps <logstore>/). Project and logstore names are validated by the
// actions before they ever reach a path here. Opening sweeps away shard data meta.json does not name:
// what a crash left between a metadata change and the file work that follows it. The directory is
// locked for the store's life (dirLock.ts); a failed write is answered, never acknowledged
// (storageHealth.ts), and every file operation goes through one seam (storeIo.ts).
import { CheckpointJournal } from './checkpointJournal.js';
import path from 'node:path';
import { lockDataDir, type DirLock } from './dirLock.js';
import { FileHandles } from './fileHandles.js';
import { FileShardLog, type FileShardLogOptions } from './fileShardLog.js';
import { StorageHealth, type StorageErrorCode } from './storageHealth.js';
import { nodeIo, writeFully, type StoreIo } from './storeIo.js';
import { emptyMeta, META_VERSION, type CheckpointEntry, type DataRef, type HubMeta, type ShardLog, type Store } from './types.js';

export interface FileStoreOptions {
  readonly dataDir: string;
  /** roll a shard's segment after this many data bytes (default 64 MiB) */
  readonly segmentBytes?: number;
  /** fsync before acknowledging writes (default true) */
  readonly fsync?: boolean;
  /** open files kept at most, across all shards (default 512) */
  readonly maxOpenFiles?: number;
  readonly onWarning?: (msg: string) => void;
  /** seconds each acknowledged write's fsync took (metrics) */
  readonly onFsync?: (seconds: number) => void;
  /** one call per failed file write, by errno (metrics) */
  readonly onStorageError?: (code: StorageErrorCode) => void;
  /** every file operation (default: node's fs; tests inject faults here) */
  readonly io?: StoreIo;
  /** take the directory's lock at loadMeta (default true) */
  readonly lock?: boolean;
  /** compact the checkpoint journal into meta.json past this many bytes (default 4 MiB) */
  readonly journalCompactBytes?: number;
}

const SAFE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const DATA_ID = /^[0-9a-f]{12}$/;

export class FileStore implements Store {
  readonly kind = 'file' as const;
  private readonly shards = new Map<string, Promise<FileShardLog>>();
  /** metadata saves: requests made while a write is in flight share the next write (group commit) */
  private latest: HubMeta | undefined;
  private waiting: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private writing: Promise<void> | undefined;
  private readonly shardOpts: FileShardLogOptions;
  private readonly handles: FileHandles;
  private readonly io: StoreIo;
  private readonly health: StorageHealth;
  private lock: DirLock | undefined;
  private readonly journal: CheckpointJournal;

  constructor(private readonly opts: FileStoreOptions) {
    this.io = opts.io ?? nodeIo;
    this.handles = new FileHandles(opts.maxOpenFiles ?? 512, this.io);
    this.health = new StorageHealth({ dataDir: opts.dataDir, onWarning: opts.onWarning, onStorageError: opts.onStorageError });
    this.journal = new CheckpointJournal({
      path: path.join(opts.dataDir, 'checkpoints.journal'),
      io: this.io,
      fsync: opts.fsync ?? true,
      health: this.health,
      compactBytes: opts.journalCompactBytes,
      saveSnapshot: () => this.saveMeta(this.latest!),
    });
    this.shardOpts = {
      segmentBytes: opts.segmentBytes ?? 64 * 1024 * 1024,
      fsync: opts.fsync ?? true,
      handles: this.handles,
      io: this.io,
      health: this.health,
      onWarning: opts.onWarning,
      onFsync: opts.onFsync,
    };
  }

  private get metaPath(): string {
    return path.join(this.opts.dataDir, 'meta.json');
  }

  async loadMeta(): Promise<HubMeta> {
    if (this.opts.lock !== false) this.lock ??= lockDataDir(this.opts.dataDir);
    else await this.io.mkdir(this.opts.dataDir);
    try {
      return await this.readMeta();
    } catch (e) {
      this.lock?.release();
      this.lock = undefined;
      throw e;
    }
  }

  private async readMeta(): Promise<HubMeta> {
    let meta: { version: unknown };
    try {
      meta = JSON.parse((await this.io.readFile(this.metaPath)).toString('utf8')) as { version: unknown };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return (this.latest = emptyMeta());
      throw new Error(`${this.metaPath}: ${(e as Error).message}`, { cause: e });
    }
    if (meta.version !== 1 && meta.version !== META_VERSION)
      throw new Error(
        `${this.metaPath}: unsupported meta.json version ${String(meta.version)} (this sls-trigger reads 1 and ${META_VERSION})`,
      );
    const current = { ...meta, version: META_VERSION } as HubMeta;
    this.latest = current;
    // Version 1 directories hold raw frames only, which version 2 reads as they are. Marking the
    // directory 2 before anything new is written makes older sls-trigger versions refuse it
    // instead of serving lz4 records as LogGroupList bytes.
    if (meta.version === 1) await this.saveMeta(current);
    // Checkpoints committed since meta.json was written; folded into it at once (a torn tail goes too).
    if (await this.journal.load(current)) await this.journal.compact();
    await this.sweep(current);
    return current;
  }

  /** Removes project, logstore and shard directories that `meta` does not name. */
  private async sweep(meta: HubMeta): Promise<void> {
    const root = path.join(this.opts.dataDir, 'shards');
    const live = new Map<string, Map<string, Set<string>>>();
    for (const p of Object.values(meta.projects)) {
      const stores = new Map<string, Set<string>>();
      for (const ls of Object.values(p.logstores)) {
        stores.set(
          path.basename(this.logstoreDir({ project: p.projectName, logstore: ls.logstoreName, dataId: ls.dataId })),
          new Set(ls.shards.map((s) => String(s.shardID))),
        );
      }
      live.set(p.projectName, stores);
    }
    for (const project of await this.io.readdir(root)) {
      const stores = live.get(project);
      for (const store of stores ? await this.io.readdir(path.join(root, project)) : []) {
        const shards = stores!.get(store);
        for (const shard of shards ? await this.io.readdir(path.join(root, project, store)) : []) {
          if (!shards!.has(shard)) await this.remove(path.join(root, project, store, shard));
        }
        if (!shards) await this.remove(path.join(root, project, store));
      }
      if (!stores) await this.remove(path.join(root, project));
    }
  }

  private async remove(dir: string): Promise<void> {
    this.opts.onWarning?.(`${dir}: not in meta.json (left by an interrupted delete or shard change); removed`);
    await this.io.rm(dir);
  }

  saveCheckpoint(entry: CheckpointEntry): Promise<void> {
    return this.journal.append(entry);
  }

  saveMeta(meta: HubMeta): Promise<void> {
    this.latest = meta;
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.kick();
    });
  }

  /**
   * Writes the latest metadata for everyone waiting. The snapshot is taken when the write starts,
   * so it holds every change made before any waiter asked; later asks wait for the next write.
   */
  private kick(): void {
    if (this.writing || this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    // the journal's sequence as of this snapshot: the lines up to it are in it (checkpointJournal.ts)
    const text = JSON.stringify({ ...this.latest, journalSeq: this.journal.seq });
    this.writing = this.writeAtomically(text).then(
      () => {
        this.health.succeeded();
        batch.forEach((w) => w.resolve());
      },
      (e: unknown) => {
        const answer = this.health.failed(e, `writing ${this.metaPath}`);
        batch.forEach((w) => w.reject(answer));
      },
    );
    void this.writing.finally(() => {
      this.writing = undefined;
      this.kick();
    });
  }

  /**
   * tmp file, fsync, rename, fsync of the directory: meta.json is always a whole old or a whole new
   * version. A failure before the rename leaves the old one; a failed directory sync after it is
   * answered as a failure too (the rename may not survive a power cut), and the next save rewrites it.
   */
  private async writeAtomically(text: string): Promise<void> {
    const tmp = `${this.metaPath}.tmp`;
    const fh = await this.io.open(tmp, 'w');
    try {
      await writeFully(fh, [Buffer.from(text)], 0);
      if (this.shardOpts.fsync) await fh.sync();
    } finally {
      await fh.close();
    }
    await this.io.rename(tmp, this.metaPath);
    if (this.shardOpts.fsync) await this.io.syncDir(this.opts.dataDir);
  }

  private logstoreDir(ref: DataRef): string {
    for (const n of [ref.project, ref.logstore]) {
      if (!SAFE.test(n)) throw new Error(`unsafe name ${JSON.stringify(n)} refused for a data path`);
    }
    if (ref.dataId !== undefined && !DATA_ID.test(ref.dataId))
      throw new Error(`unsafe data id ${JSON.stringify(ref.dataId)} refused for a data path`);
    const name = ref.dataId === undefined ? ref.logstore : `${ref.logstore}.${ref.dataId}`;
    return path.join(this.opts.dataDir, 'shards', ref.project, name);
  }

  shard(ref: DataRef, shardId: number): Promise<ShardLog> {
    const dir = path.join(this.logstoreDir(ref), String(Math.trunc(shardId)));
    let s = this.shards.get(dir);
    if (!s) {
      s = FileShardLog.open(dir, this.shardOpts).catch((e: unknown) => Promise.reject(this.health.failed(e, `opening ${dir}`)));
      this.shards.set(dir, s);
      // A failed open (EMFILE, EIO) is not remembered: the next request tries again.
      s.catch(() => this.shards.get(dir) === s && this.shards.delete(dir));
    }
    return s;
  }

  async drop(refs: readonly DataRef[]): Promise<void> {
    for (const ref of refs) {
      const dir = this.logstoreDir(ref);
      for (const [k, s] of [...this.shards]) {
        if (k.startsWith(dir + path.sep)) {
          this.shards.delete(k);
          await s.then(
            (log) => log.close(),
            () => undefined,
          );
        }
      }
      await this.io.rm(dir);
    }
  }

  async close(): Promise<void> {
    while (this.writing || this.waiting.length > 0) await (this.writing ?? new Promise((r) => setImmediate(r)));
    for (const s of this.shards.values())
      await s.then(
        (log) => log.close(),
        () => undefined,
      );
    this.shards.clear();
    this.lock?.release();
    this.lock = undefined;
  }
}

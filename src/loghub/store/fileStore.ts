// File backend: <dataDir>/meta.json (written atomically: tmp file, fsync, rename) and
// <dataDir>/shards/<project>/<logstore>/<shardId>/ segment files (fileShardLog.ts). Project and
// logstore names are validated by the actions before they ever reach a path here.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { FileShardLog, type FileShardLogOptions } from './fileShardLog.js';
import { emptyMeta, META_VERSION, type HubMeta, type ShardLog, type Store } from './types.js';

export interface FileStoreOptions {
  readonly dataDir: string;
  /** roll a shard's segment after this many data bytes (default 64 MiB) */
  readonly segmentBytes?: number;
  /** fsync before acknowledging writes (default true) */
  readonly fsync?: boolean;
  readonly onWarning?: (msg: string) => void;
}

const SAFE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export class FileStore implements Store {
  readonly kind = 'file' as const;
  private readonly shards = new Map<string, Promise<FileShardLog>>();
  /** metadata saves: requests made while a write is in flight share the next write (group commit) */
  private latest: HubMeta | undefined;
  private waiting: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private writing: Promise<void> | undefined;
  private readonly shardOpts: FileShardLogOptions;

  constructor(private readonly opts: FileStoreOptions) {
    this.shardOpts = { segmentBytes: opts.segmentBytes ?? 64 * 1024 * 1024, fsync: opts.fsync ?? true, onWarning: opts.onWarning };
  }

  private get metaPath(): string {
    return path.join(this.opts.dataDir, 'meta.json');
  }

  async loadMeta(): Promise<HubMeta> {
    await fsp.mkdir(this.opts.dataDir, { recursive: true });
    let meta: { version: unknown };
    try {
      meta = JSON.parse(await fsp.readFile(this.metaPath, 'utf8')) as { version: unknown };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyMeta();
      throw new Error(`${this.metaPath}: ${(e as Error).message}`, { cause: e });
    }
    if (meta.version !== 1 && meta.version !== META_VERSION) throw new Error(`${this.metaPath}: unsupported meta.json version ${String(meta.version)} (this sls-trigger reads 1 and ${META_VERSION})`);
    const current = { ...meta, version: META_VERSION } as HubMeta;
    // Version 1 directories hold raw frames only, which version 2 reads as they are. Marking the
    // directory 2 before anything new is written makes older sls-trigger versions refuse it
    // instead of serving lz4 records as LogGroupList bytes.
    if (meta.version === 1) await this.saveMeta(current);
    return current;
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
    const text = JSON.stringify(this.latest);
    this.writing = this.writeAtomically(text).then(
      () => batch.forEach((w) => w.resolve()),
      (e: unknown) => batch.forEach((w) => w.reject(e)),
    );
    void this.writing.finally(() => {
      this.writing = undefined;
      this.kick();
    });
  }

  private async writeAtomically(text: string): Promise<void> {
    const tmp = `${this.metaPath}.tmp`;
    const fh = await fsp.open(tmp, 'w');
    try {
      await fh.writeFile(text);
      if (this.shardOpts.fsync) await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, this.metaPath);
  }

  private shardDir(project: string, logstore?: string, shardId?: number): string {
    for (const n of [project, logstore]) {
      if (n !== undefined && !SAFE.test(n)) throw new Error(`unsafe name ${JSON.stringify(n)} refused for a data path`);
    }
    const parts = [this.opts.dataDir, 'shards', project];
    if (logstore !== undefined) parts.push(logstore);
    if (shardId !== undefined) parts.push(String(Math.trunc(shardId)));
    return path.join(...parts);
  }

  shard(project: string, logstore: string, shardId: number): Promise<ShardLog> {
    const dir = this.shardDir(project, logstore, shardId);
    let s = this.shards.get(dir);
    if (!s) {
      s = FileShardLog.open(dir, this.shardOpts);
      this.shards.set(dir, s);
    }
    return s;
  }

  async drop(project: string, logstore?: string): Promise<void> {
    const dir = this.shardDir(project, logstore);
    for (const [k, s] of [...this.shards]) {
      if (k.startsWith(dir + path.sep)) {
        this.shards.delete(k);
        await (await s).close();
      }
    }
    await fsp.rm(dir, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    while (this.writing || this.waiting.length > 0) await (this.writing ?? new Promise((r) => setImmediate(r)));
    for (const s of this.shards.values()) await (await s).close();
    this.shards.clear();
  }
}

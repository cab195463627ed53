// Checkpoint commits as an append-only journal (<dataDir>/checkpoints.journal), so a commit costs
// one small append and fsync whatever the size of the hub — not a rewrite of the whole meta.json
// (as Kafka keeps offsets in a log). Each line carries a sequence number; meta.json records the
// last one its snapshot holds (journalSeq), and loading replays the lines after it. When the journal
// grows past compactBytes, or after a failed append (which may have left a torn line), the next
// append first compacts: meta.json is saved (holding every checkpoint so far) and the journal
// emptied. Appends made meanwhile wait and are written after, so none is lost.
import path from 'node:path';
import type { CheckpointEntry, HubMeta } from './types.js';
import type { StorageHealth } from './storageHealth.js';
import { writeFully, type StoreIo } from './storeIo.js';

interface Line {
  s: number;
  p: string;
  l: string;
  g: string;
  k: string;
  c: string;
  t: number;
  u: string;
}

export interface CheckpointJournalOptions {
  readonly path: string;
  readonly io: StoreIo;
  readonly fsync: boolean;
  readonly health: StorageHealth;
  /** compact when the journal holds this many bytes (default 4 MiB) */
  readonly compactBytes?: number;
  /** saves meta.json with journalSeq = the sequence at the moment it is taken */
  readonly saveSnapshot: () => Promise<void>;
}

interface Waiting {
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/** Applies one line to the metadata; a checkpoint of a group or logstore deleted since is dropped. */
function apply(meta: HubMeta, l: Line): void {
  const group = meta.projects[l.p]?.logstores[l.l]?.consumerGroups[l.g];
  if (group) group.checkpoints[l.k] = { checkpoint: l.c, updateTime: l.t, consumer: l.u };
}

export class CheckpointJournal {
  /** the last sequence number given out */
  seq = 0;
  private size = 0;
  /** the file exists (with its directory entry made durable) */
  private exists = false;
  private broken = false;
  private waiting: Waiting[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly o: CheckpointJournalOptions) {}

  /**
   * Replays the lines after meta.journalSeq onto `meta`; a torn last line (a crash mid-append, never
   * acknowledged) ends the replay. Returns whether the journal held anything, so the caller compacts.
   */
  async load(meta: HubMeta): Promise<boolean> {
    const base = meta.journalSeq ?? 0;
    this.seq = base;
    let text: string;
    try {
      text = (await this.o.io.readFile(this.o.path)).toString('utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
    this.exists = true;
    for (const raw of text.split('\n').slice(0, -1)) {
      let l: Line;
      try {
        l = JSON.parse(raw) as Line;
      } catch {
        break;
      }
      if (typeof l.s !== 'number') break;
      if (l.s > base) apply(meta, l);
      this.seq = Math.max(this.seq, l.s);
    }
    this.size = text.length;
    return text.length > 0;
  }

  /** Appends the commit; resolves once it is durable (commits arriving meanwhile share one write). */
  append(e: CheckpointEntry): Promise<void> {
    const line: Line = {
      s: ++this.seq,
      p: e.project,
      l: e.logstore,
      g: e.group,
      k: e.shard,
      c: e.checkpoint.checkpoint,
      t: e.checkpoint.updateTime,
      u: e.checkpoint.consumer,
    };
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ line: JSON.stringify(line) + '\n', resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.running || this.waiting.length === 0) return;
    this.running = this.flush().finally(() => {
      this.running = undefined;
      this.kick();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      if (this.broken || this.size >= (this.o.compactBytes ?? 4 * 1024 * 1024)) await this.compact();
      const buf = Buffer.from(batch.map((w) => w.line).join(''));
      const created = !this.exists;
      const fh = await this.o.io.open(this.o.path, created ? 'w' : 'r+');
      try {
        await writeFully(fh, [buf], this.size);
        if (this.o.fsync) await fh.datasync();
      } finally {
        await fh.close();
      }
      if (created && this.o.fsync) await this.o.io.syncDir(path.dirname(this.o.path));
      this.exists = true;
      this.size += buf.length;
      this.o.health.succeeded();
      batch.forEach((w) => w.resolve());
    } catch (e) {
      // the bytes written may end in a torn line: nothing is appended after them before a compaction
      this.broken = true;
      const answer = this.o.health.failed(e, `writing ${this.o.path}`);
      batch.forEach((w) => w.reject(answer));
    }
  }

  /** meta.json with every checkpoint so far, then an empty journal. */
  async compact(): Promise<void> {
    await this.o.saveSnapshot();
    const fh = await this.o.io.open(this.o.path, 'w');
    try {
      if (this.o.fsync) await fh.sync();
    } finally {
      await fh.close();
    }
    if (this.o.fsync) await this.o.io.syncDir(path.dirname(this.o.path));
    this.exists = true;
    this.size = 0;
    this.broken = false;
  }
}

// A bounded cache of open files shared by every shard of a file store. Shards open their segment
// files through it, so open descriptors stay under `max` however many shards exist (10,000 shards
// under `ulimit -n 1024`); the least recently used idle file is closed first, a file in use is never
// closed, and a failed open is not remembered (the next use tries again).
import { nodeIo, type StoreFile, type StoreIo } from './storeIo.js';

interface Entry {
  readonly handle: Promise<StoreFile>;
  users: number;
}

export class FileHandles {
  /** insertion order is recency: a used entry is moved to the end */
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly max: number,
    private readonly io: StoreIo = nodeIo,
  ) {
    if (!Number.isInteger(max) || max < 2) throw new RangeError(`maxOpenFiles must be an integer >= 2, got ${max}`);
  }

  /** Runs `fn` with the file at `filePath` open with `flags` ('r' or 'r+'). */
  async use<T>(filePath: string, flags: 'r' | 'r+', fn: (fh: StoreFile) => Promise<T>): Promise<T> {
    const key = `${flags}\u0000${filePath}`;
    let entry = this.entries.get(key);
    if (entry) this.entries.delete(key);
    else {
      entry = { handle: this.io.open(filePath, flags), users: 0 };
      entry.handle.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    }
    this.entries.set(key, entry);
    entry.users++;
    try {
      return await fn(await entry.handle);
    } finally {
      entry.users--;
      this.evict();
    }
  }

  /** Closes every file whose path starts with `prefix` (a shard or logstore directory), waiting for its users. */
  async closeUnder(prefix: string): Promise<void> {
    const doomed = [...this.entries].filter(([key]) => key.slice(key.indexOf('\u0000') + 1).startsWith(prefix));
    for (const [key, entry] of doomed) {
      while (entry.users > 0) await new Promise((r) => setImmediate(r));
      if (this.entries.get(key) === entry) this.entries.delete(key);
      await closeQuietly(entry);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    if (this.entries.size <= this.max) return;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.max) break;
      if (entry.users > 0) continue;
      this.entries.delete(key);
      void closeQuietly(entry);
    }
  }
}

async function closeQuietly(entry: Entry): Promise<void> {
  try {
    await (await entry.handle).close();
  } catch {
    // a failed open has nothing to close; a failed close has nothing left to keep
  }
}

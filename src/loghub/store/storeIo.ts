// The one seam every file operation of the file store goes through. The real one is Node's
// fs/promises; tests pass one that fails the Nth write, writev, fsync, rename or truncate
// (test/loghub/storageFaults.test.ts) to prove that no such failure loses an acknowledged write.
import { promises as fsp } from 'node:fs';

/** The part of an open file the store uses (Node's FileHandle has exactly these). */
export interface StoreFile {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  writev(buffers: readonly Buffer[], position: number): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/** 'r' reads, 'r+' reads and writes an existing file, 'w' creates or empties one. */
export type OpenFlags = 'r' | 'r+' | 'w';

export interface StoreIo {
  open(filePath: string, flags: OpenFlags): Promise<StoreFile>;
  readFile(filePath: string): Promise<Buffer>;
  /** names in a directory; [] when it does not exist */
  readdir(dir: string): Promise<string[]>;
  /** size in bytes; 0 when the file does not exist */
  size(filePath: string): Promise<number>;
  mkdir(dir: string): Promise<void>;
  /** removes a file or a directory tree; nothing when it does not exist */
  rm(target: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** makes a directory's entries (files created, renamed or removed in it) durable */
  syncDir(dir: string): Promise<void>;
}

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

export const nodeIo: StoreIo = {
  open: (filePath, flags) => fsp.open(filePath, flags) as Promise<StoreFile>,
  readFile: (filePath) => fsp.readFile(filePath),
  readdir: (dir) => fsp.readdir(dir).catch((e: unknown) => (isMissing(e) ? [] : Promise.reject(e))),
  size: (filePath) =>
    fsp.stat(filePath).then(
      (st) => st.size,
      (e: unknown) => (isMissing(e) ? 0 : Promise.reject(e)),
    ),
  mkdir: async (dir) => {
    await fsp.mkdir(dir, { recursive: true });
  },
  rm: (target) => fsp.rm(target, { recursive: true, force: true }),
  rename: (from, to) => fsp.rename(from, to),
  syncDir: async (dir) => {
    const fh = await fsp.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
};

/**
 * Writes all of `buffers` at `position`. A write may take fewer bytes than asked without an error
 * (a disk filling up does that before it answers ENOSPC); the rest is written until done or failed.
 */
export async function writeFully(file: StoreFile, buffers: readonly Buffer[], position: number): Promise<void> {
  let rest = buffers.filter((b) => b.length > 0);
  let at = position;
  while (rest.length > 0) {
    const { bytesWritten } = rest.length === 1 ? await file.write(rest[0], 0, rest[0].length, at) : await file.writev(rest, at);
    // write(2) answers an error, never 0 bytes, when nothing fits; 0 would loop forever.
    if (bytesWritten <= 0) throw Object.assign(new Error(`wrote 0 of ${rest.reduce((n, b) => n + b.length, 0)} bytes`), { code: 'EIO' });
    at += bytesWritten;
    rest = dropBytes(rest, bytesWritten);
  }
}

function dropBytes(buffers: readonly Buffer[], n: number): Buffer[] {
  const out: Buffer[] = [];
  let skip = n;
  for (const b of buffers) {
    if (skip >= b.length) skip -= b.length;
    else {
      out.push(skip > 0 ? b.subarray(skip) : b);
      skip = 0;
    }
  }
  return out;
}

// A StoreIo (src/loghub/store/storeIo.ts) that fails chosen operations the way a failing disk does:
// a write or writev that fails first puts part of its bytes on disk (what ENOSPC halfway through a
// write leaves), an fsync, rename, truncate or file creation fails without effect. Operations are
// numbered from 1 in the order they start; `failFrom` and `failCount` choose which fail.
import { nodeIo, type OpenFlags, type StoreFile, type StoreIo } from '../../src/loghub/store/storeIo.js';

export const FAULT_OPS = ['write', 'writev', 'fsync', 'rename', 'truncate', 'create'] as const;
export type FaultOp = (typeof FAULT_OPS)[number];

export class FaultyIo implements StoreIo {
  /** operations started so far */
  count = 0;
  /** first operation number that fails (0: none) */
  failFrom = 0;
  /** how many operations fail from failFrom on (a disk that stays full for a while) */
  failCount = 1;
  errno: 'ENOSPC' | 'EIO' = 'ENOSPC';
  /** what failed, in order */
  readonly failures: { n: number; op: FaultOp; path: string }[] = [];
  readonly opsSeen = new Map<FaultOp, number>();

  /** Numbers one operation; returns the error it must fail with, if any. */
  private next(op: FaultOp, filePath: string): NodeJS.ErrnoException | undefined {
    const n = ++this.count;
    this.opsSeen.set(op, (this.opsSeen.get(op) ?? 0) + 1);
    if (this.failFrom === 0 || n < this.failFrom || n >= this.failFrom + this.failCount) return undefined;
    this.failures.push({ n, op, path: filePath });
    return Object.assign(new Error(`${this.errno}: injected fault, ${op} '${filePath}'`), { code: this.errno, syscall: op });
  }

  async open(filePath: string, flags: OpenFlags): Promise<StoreFile> {
    if (flags === 'w') {
      const fault = this.next('create', filePath);
      if (fault) throw fault;
    }
    return this.wrap(await nodeIo.open(filePath, flags), filePath);
  }

  private wrap(file: StoreFile, filePath: string): StoreFile {
    return {
      read: (b, o, l, p) => file.read(b, o, l, p),
      write: async (b, o, l, p) => {
        const fault = this.next('write', filePath);
        if (!fault) return file.write(b, o, l, p);
        await file.write(b, o, Math.floor(l / 2), p); // torn: half of it reached the disk
        throw fault;
      },
      writev: async (bufs, p) => {
        const fault = this.next('writev', filePath);
        if (!fault) return file.writev(bufs, p);
        const all = Buffer.concat(bufs);
        await file.write(all, 0, Math.floor(all.length / 2), p);
        throw fault;
      },
      datasync: () => this.sync(filePath, () => file.datasync()),
      sync: () => this.sync(filePath, () => file.sync()),
      truncate: async (len) => {
        const fault = this.next('truncate', filePath);
        if (fault) throw fault;
        return file.truncate(len);
      },
      close: () => file.close(),
    };
  }

  private async sync(filePath: string, real: () => Promise<void>): Promise<void> {
    const fault = this.next('fsync', filePath);
    if (fault) throw fault;
    return real();
  }

  readFile = (filePath: string) => nodeIo.readFile(filePath);
  readdir = (dir: string) => nodeIo.readdir(dir);
  size = (filePath: string) => nodeIo.size(filePath);
  mkdir = (dir: string) => nodeIo.mkdir(dir);
  rm = (target: string) => nodeIo.rm(target);

  async rename(from: string, to: string): Promise<void> {
    const fault = this.next('rename', to);
    if (fault) throw fault;
    return nodeIo.rename(from, to);
  }

  syncDir(dir: string): Promise<void> {
    return this.sync(dir, () => nodeIo.syncDir(dir));
  }
}

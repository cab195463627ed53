// The data directory belongs to one process. Two LogHubs on one directory both acknowledge writes,
// and the second's meta.json then sweeps the first's logstores away at the next start. The lock is
// an OS file lock on <dataDir>/LOCK (an open-file-description lock on Linux, flock elsewhere): the
// kernel drops it when the holder's file is closed or the process dies, so a kill -9 never leaves a
// stale lock behind. The file holds the holder's pid, only to name it in the refusal.
import fs from 'node:fs';
import path from 'node:path';
import { tryLock } from 'fs-native-extensions';

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly holderPid: number | undefined,
  ) {
    super(
      `data directory ${dataDir} is in use by another sls-trigger process` +
        (holderPid ? ` (pid ${holderPid})` : '') +
        `: stop it, or give this one another directory (--data-dir, or --memory)`,
    );
  }
}

export interface DirLock {
  release(): void;
}

/** Takes the lock of `dataDir` (created if missing) or throws DataDirLockedError. */
export function lockDataDir(dataDir: string): DirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'LOCK');
  const fd = fs.openSync(lockPath, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
  let locked: boolean;
  try {
    locked = tryLock(fd);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  if (!locked) {
    const holder = holderPid(lockPath);
    fs.closeSync(fd);
    throw new DataDirLockedError(dataDir, holder);
  }
  fs.ftruncateSync(fd, 0);
  fs.writeSync(fd, `${process.pid}\n`, 0);
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      // Closing the only descriptor drops the lock; the file stays (removing it would race a new holder).
      fs.closeSync(fd);
    },
  };
}

/**
 * The pid in a held lock file. A holder that has just taken the lock may not have written it yet
 * (two servers started at once), and until it does the file may still name a holder killed before:
 * wait briefly for a pid that is alive rather than name nobody, or the dead.
 */
function holderPid(lockPath: string, waitMs = 500): number | undefined {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; ; waited += 10) {
    const pid = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
    if (Number.isSafeInteger(pid) && pid > 0 && isAlive(pid)) return pid;
    if (waited >= waitMs) return undefined;
    Atomics.wait(pause, 0, 0, 10);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

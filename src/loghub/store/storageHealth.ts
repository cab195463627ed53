// What a failed file operation becomes. A full disk is an answer, not an internal error: the client
// gets ServerBusy (retriable, as it is: writes succeed again once space is freed), other I/O errors
// InternalServerError (retriable too: nothing was written). The operator gets one line when an
// episode starts and one when writes succeed again, never a stack trace per request, and a count
// per errno for /metrics.
import { SlsServiceError } from '../../errors/index.js';

/** errno codes counted on their own in /metrics; anything else is counted as 'other' */
export const STORAGE_ERROR_CODES = ['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EMFILE', 'other'] as const;
export type StorageErrorCode = (typeof STORAGE_ERROR_CODES)[number];

const OUT_OF_SPACE = new Set(['ENOSPC', 'EDQUOT']);

export function storageErrorCode(e: unknown): StorageErrorCode {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return (STORAGE_ERROR_CODES as readonly string[]).includes(code ?? '') ? (code as StorageErrorCode) : 'other';
}

export interface StorageHealthOptions {
  readonly dataDir: string;
  readonly onWarning?: (msg: string) => void;
  /** one call per failed operation (metrics) */
  readonly onStorageError?: (code: StorageErrorCode) => void;
}

export class StorageHealth {
  private episode: { readonly code: string; refused: number } | undefined;

  constructor(private readonly opts: StorageHealthOptions) {}

  /** True between a failure and the next successful write. */
  get failing(): boolean {
    return this.episode !== undefined;
  }

  /** Records a failed `what` (e.g. "writing <file>") and returns the error to answer with. */
  failed(e: unknown, what: string): SlsServiceError {
    if (e instanceof SlsServiceError) return e;
    const errno = (e as NodeJS.ErrnoException).code ?? 'EIO';
    const code = storageErrorCode(e);
    this.opts.onStorageError?.(code);
    const full = OUT_OF_SPACE.has(errno);
    if (!this.episode || this.episode.code !== errno) {
      this.opts.onWarning?.(
        full
          ? `storage: ${this.opts.dataDir} is out of disk space (${errno} ${what}); writes are refused with ServerBusy until space is freed, nothing acknowledged is lost`
          : `storage: ${errno} ${what} (${(e as Error).message}); writes are refused until the disk answers again, nothing acknowledged is lost`,
      );
      this.episode = { code: errno, refused: 0 };
    }
    this.episode.refused++;
    const message = full
      ? `the LogHub is out of disk space (${errno} ${what}); nothing was written: retry once space is freed`
      : `storage error ${errno} ${what}; nothing was written: retry later`;
    return SlsServiceError.of(full ? 'ServerBusy' : 'InternalServerError', message, { cause: e });
  }

  /** A write succeeded: ends an episode, saying so once. */
  succeeded(): void {
    if (!this.episode) return;
    this.opts.onWarning?.(
      `storage: writes succeed again in ${this.opts.dataDir} (${this.episode.refused} refused during the ${this.episode.code} episode)`,
    );
    this.episode = undefined;
  }
}

// The part of fs-native-extensions the data-directory lock uses (store/dirLock.ts).
declare module 'fs-native-extensions' {
  /** An exclusive lock on the whole file without waiting (Linux: an open-file-description lock); false when another holds it. */
  export function tryLock(fd: number): boolean;
  export function unlock(fd: number): void;
}

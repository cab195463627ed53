// One page of a range as processData sees it: the decoded log groups (lazy views, the fast path)
// and an easy iteration over flat records (__time__, __topic__, __source__, __tag__:<k>, fields).
import type { FastLogGroup } from '../codec/index.js';

export type LogRecord = Record<string, string>;

export class Batch {
  readonly groups: readonly FastLogGroup[];
  readonly logCount: number;
  /** uncompressed LogGroup bytes in this page (what ingestBytes counts) */
  readonly byteLength: number;
  /** cursor of this page's first group, and of the group after its last */
  readonly cursor: string;
  readonly nextCursor: string;

  constructor(groups: readonly FastLogGroup[], cursor: string, nextCursor: string) {
    this.groups = groups;
    this.cursor = cursor;
    this.nextCursor = nextCursor;
    let logs = 0;
    let bytes = 0;
    for (const g of groups) {
      logs += g.logCount;
      bytes += g.byteLength;
    }
    this.logCount = logs;
    this.byteLength = bytes;
  }

  /** Every log as a flat record; tags as `__tag__:<key>` (SLS's own naming in queries and exports). */
  *records(): IterableIterator<LogRecord> {
    for (const g of this.groups) {
      const base: LogRecord = {};
      if (g.topic !== undefined) base.__topic__ = g.topic;
      if (g.source !== undefined) base.__source__ = g.source;
      for (const t of g.logTags) base[`__tag__:${t.key}`] = t.value;
      for (let i = 0; i < g.logCount; i++) {
        const r: LogRecord = { __time__: String(g.time(i)), ...base };
        for (let j = 0, n = g.fieldCount(i); j < n; j++) r[g.key(i, j)] = g.value(i, j);
        yield r;
      }
    }
  }
}

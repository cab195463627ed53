// The CSV side of the shipper, no I/O: rows from records in the configured column order (SLS's
// __time__, __topic__, __source__, __tag__:<key> and fields), written with csv-stringify; the
// whole-object compression; and the object name, which carries the shard and both cursors so a
// retried range overwrites its object instead of adding a second one.
import { gzipSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import { format } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import SnappyJS from 'snappyjs';
import type { LogRecord } from 'sls-trigger/runtime';

export const CompressType = { None: 'none', Gzip: 'gzip', Snappy: 'snappy' } as const;
export type CompressType = (typeof CompressType)[keyof typeof CompressType];

export interface CsvOptions {
  readonly columnNames: readonly string[];
  readonly delimiterChar: string;
  readonly quoteChar: string;
  readonly escapeChar: string;
  readonly nullColumnValue: string;
}

/** One CSV text for the records (and the header line first when asked). */
export function csvText(records: Iterable<LogRecord>, o: CsvOptions, header: boolean): string {
  const rows: string[][] = header ? [[...o.columnNames]] : [];
  for (const r of records) rows.push(o.columnNames.map((name) => r[name] ?? o.nullColumnValue));
  if (rows.length === 0) return '';
  return stringify(rows, { delimiter: o.delimiterChar, quote: o.quoteChar, escape: o.escapeChar, record_delimiter: 'unix' });
}

/** The object body: the CSV as UTF-8, gzip (a .gz member) or raw Snappy (the Java template's Snappy.compress). */
export function compress(text: string, type: CompressType): Buffer {
  const raw = Buffer.from(text, 'utf8');
  if (type === CompressType.Gzip) return gzipSync(raw);
  if (type === CompressType.Snappy) return Buffer.from(SnappyJS.compress(raw));
  return raw;
}

export interface ObjectNameParts {
  readonly prefix: string;
  readonly dateFormat: string;
  readonly timeZone: string;
  readonly postfix: string;
  readonly cursorTime: number;
  readonly shardId: number;
  readonly beginCursor: string;
  readonly endCursor: string;
}

/** `<prefix><cursorTime formatted>/<shardId>_<beginCursor>_<endCursor><postfix>`, as the Java template names it. */
export function objectName(p: ObjectNameParts): string {
  const date = formatDate(p.cursorTime, p.dateFormat, p.timeZone);
  return `${p.prefix}${date}/${p.shardId}_${p.beginCursor}_${p.endCursor}${p.postfix}`;
}

/**
 * cursorTime (unix seconds) in a SimpleDateFormat-style pattern (yyyy, MM, dd, HH, mm, ss; quoted
 * literals in '…'), through date-fns, in the given IANA zone.
 */
export function formatDate(unixSeconds: number, pattern: string, timeZone: string): string {
  try {
    return format(new TZDate(unixSeconds * 1000, timeZone), pattern);
  } catch (e) {
    throw new Error(
      `target.ossDateFormat ${JSON.stringify(pattern)} (time zone ${timeZone}) is not a valid date pattern: ${(e as Error).message}`,
    );
  }
}

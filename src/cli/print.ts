// Human-readable lines for the terminal (stderr; stdout carries JSON lines).
import { decodeCursor } from '../codec/index.js';

/** A cursor shown by its last digits: enough to follow a shard's progress by eye. */
function short(c: string): string {
  try {
    return `…${decodeCursor(c).toString().slice(-6)}`;
  } catch {
    return c;
  }
}

export function printTask(t: Record<string, unknown>): void {
  const status = String(t.task_status);
  const err = t.error_message ? `  ${String(t.error_code)}: ${String(t.error_message)}` : '';
  process.stderr.write(
    `task shard=${String(t.shard_id)} [${short(String(t.begin_cursor))}, ${short(String(t.end_cursor))}) lines=${String(t.ingest_lines)} bytes=${String(t.ingest_bytes)} ${String(t.duration_ms)}ms attempt=${String(t.attempt)} ${status}${err}\n`,
  );
  for (const line of (t.logs as string[] | undefined) ?? []) process.stderr.write(`  | ${line}\n`);
}

export function table(rows: Array<Record<string, string | number>>): string {
  if (rows.length === 0) return '(none)\n';
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(width[i])).join('  ').trimEnd() + '\n';
  return line(cols) + rows.map((r) => line(cols.map((c) => String(r[c])))).join('');
}

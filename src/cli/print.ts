// Human-readable lines for the terminal (stderr; stdout carries JSON lines).
import { decodeCursor } from '../codec/index.js';
import type { RetryEvent, Scheduler, TaskEvent, WaitingEvent } from '../trigger/index.js';
import { createTerminal, type Terminal } from './terminal.js';

/** A cursor shown by its last digits: enough to follow a shard's progress by eye. */
function short(c: string): string {
  try {
    return `…${decodeCursor(c).toString().slice(-6)}`;
  } catch {
    return c;
  }
}

export function printTask(t: TaskEvent, term: Terminal = createTerminal('text')): void {
  const err = t.error_message ? `  ${t.error_code ?? ''}: ${t.error_message}` : '';
  const text = `task shard=${t.shard_id} [${short(t.begin_cursor)}, ${short(t.end_cursor)}) lines=${t.ingest_lines} bytes=${t.ingest_bytes} ${t.duration_ms}ms attempt=${t.attempt} ${t.task_status}${err}`;
  if (term.format === 'text') {
    term.line('info', [text, ...t.logs.map((l) => `  | ${l}`)].join('\n'));
    return;
  }
  const failed = t.task_status !== 'Success' && t.task_status !== 'Skipped';
  term.line(failed ? 'warn' : 'info', text, {
    shard: t.shard_id,
    taskId: t.task_id,
    requestId: t.request_id,
    status: t.task_status,
    beginCursor: t.begin_cursor,
    endCursor: t.end_cursor,
    ingestLines: t.ingest_lines,
    durationMs: t.duration_ms,
    attempt: t.attempt,
    errorCode: t.error_code,
    errorMessage: t.error_message,
    logs: t.logs,
  });
}

/** One line per retry: what is retried (the function's range, or only a write owed for it), when, and why. */
export function printRetry(r: RetryEvent, term: Terminal = createTerminal('text')): void {
  const what = r.write
    ? `${r.write} write`
    : r.counted
      ? `range (attempt ${r.attempt}${r.exhausted ? ', retries exhausted: blocking' : ''})`
      : 'SLS request';
  term.line('warn', `retry shard=${r.shardId} ${what} in ${(r.delayMs / 1000).toFixed(1)}s: ${r.reason}`, {
    shard: r.shardId,
    delayMs: r.delayMs,
  });
}

/** Shards another consumer holds: which, by whom, and how soon they come back if it is gone. */
export function waitingLine(w: WaitingEvent): string {
  const by = Object.entries(w.holders).map(([consumer, ids]) => `${ids.join(', ')} by ${consumer}`);
  const held = by.length > 0 ? `held (last checkpoint: shard ${by.join('; shard ')})` : 'not handed out yet';
  return `waiting for shard${w.shardIds.length === 1 ? '' : 's'} ${w.shardIds.join(', ')}: ${held}; a holder that stopped hands them over within ${w.handoverSeconds} s of its last heartbeat\n`;
}

/** What run and dev print for a scheduler; task lines unless `tasks` is false (--json). */
export function printSchedulerEvents(scheduler: Scheduler, opts: { tasks: boolean; term?: Terminal }): void {
  const term = opts.term ?? createTerminal('text');
  if (opts.tasks) scheduler.on('task', (t) => printTask(t, term));
  scheduler.on('retry', (r) => !r.counted && printRetry(r, term)); // a counted retry already has its Failed task line
  scheduler.on('shardError', (e) =>
    term.line(
      'error',
      // an Expired park's message already says how to move it: a restart would park it again
      `error shard=${e.shardId} parked (${e.code}): ${e.message}${e.code === 'Expired' ? '' : '\n  fix the cause and restart; the shard resumes from its checkpoint'}`,
      { shard: e.shardId, code: e.code },
    ),
  );
  scheduler.on('warning', (w) => term.line('warn', `warning: ${w.message}`));
  scheduler.on('waiting', (w) => term.line('info', waitingLine(w), { shards: w.shardIds, holders: w.holders }));
  scheduler.on('shardFinished', (e) => term.line('info', `shard ${e.shardId}: readonly and drained`, { shard: e.shardId }));
  scheduler.on('bisect', (b) =>
    term.line(
      'warn',
      `bisect shard=${b.shardId} [${short(b.beginCursor)}, ${short(b.endCursor)}) failed: [${short(b.beginCursor)}, ${short(b.splitCursor)}) next, then [${short(b.splitCursor)}, ${short(b.endCursor)})`,
      { shard: b.shardId, beginCursor: b.beginCursor, splitCursor: b.splitCursor, endCursor: b.endCursor },
    ),
  );
  scheduler.on('deadLetter', (d) =>
    term.line(
      'error',
      `dead letter shard=${d.shardId} [${short(d.beginCursor)}, ${short(d.endCursor)}) ${d.reason}: ${d.groups} groups, ${d.bytes} bytes saved${d.truncated ? ' (cut by maxDataBytes)' : ''}  id ${d.id}`,
      { shard: d.shardId, reason: d.reason, deadLetterId: d.id, groups: d.groups, bytes: d.bytes },
    ),
  );
}

/** Counts what a run does; the returned function says it in one line (run --once printed nothing on a quiet run). */
export function runSummary(scheduler: Scheduler): () => string {
  const checked = new Set<number>();
  const statuses = new Map<string, number>();
  let lines = 0;
  scheduler.on('check', (c) => checked.add(c.shardId));
  scheduler.on('task', (t) => {
    statuses.set(t.task_status, (statuses.get(t.task_status) ?? 0) + 1);
    if (t.request_id) lines += t.ingest_lines;
  });
  return () => {
    const shards = `checked ${checked.size} shard${checked.size === 1 ? '' : 's'}`;
    if (checked.size === 0) return `${shards}: this consumer holds none (see the waiting line)\n`;
    if (statuses.size === 0) return `${shards}: nothing new\n`;
    const n = [...statuses.values()].reduce((a, b) => a + b, 0);
    const by = [...statuses].map(([s, k]) => `${k} ${s}`).join(', ');
    return `${shards}: ${n} record${n === 1 ? '' : 's'} (${by}), ${lines} log lines read by the function\n`;
  };
}

export function table(rows: Array<Record<string, string | number>>): string {
  if (rows.length === 0) return '(none)\n';
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(width[i]))
      .join('  ')
      .trimEnd() + '\n';
  return line(cols) + rows.map((r) => line(cols.map((c) => String(r[c])))).join('');
}

/** `[#####.....] 50% 500/1000 <unit>` on stderr — redrawn in place on a terminal, a line per call otherwise. */
export function progressBar(done: number, total: number, unit: string, last: boolean): void {
  const width = 24;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% ${done}/${total} ${unit}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}${last ? '\n' : ''}`);
  else process.stderr.write(`${line}\n`);
}

// Coverage of one shard from its schedule-log records, pure: which cursor intervals ended in a
// final outcome (delivered, partly delivered, dead-lettered, skipped, expired), and where
// [from, to) has a gap (no outcome recorded) or an overlap (two outcomes: a range delivered again).
// Failed, Bisected, Isolated and Parked are not outcomes: the range (or its halves) goes on and
// ends in a record of its own. audit.ts reads the records and the checkpoints.
import { TaskStatus } from '../records/scheduleLog.js';

export const OUTCOMES = ['delivered', 'partial', 'deadLettered', 'skipped', 'expired'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The fields of a schedule-log record that coverage reads (as stored: every value a string). */
export type RecordFields = Record<string, string | undefined>;

export interface Covered {
  readonly begin: bigint;
  readonly end: bigint;
  readonly outcome: Outcome;
  readonly taskId: string;
  /** end of the attempt, unix s */
  readonly time: number;
  /** skipped / dead-lettered: why (the record's error code) */
  readonly reason?: string;
}

export interface TaskRef {
  readonly taskId: string;
  readonly outcome: Outcome;
  readonly time: number;
}

export interface Gap {
  readonly begin: bigint;
  readonly end: bigint;
  /** the outcome that ends where the gap begins, and the one that begins where it ends */
  readonly after?: TaskRef;
  readonly before?: TaskRef;
}

export interface Overlap {
  readonly begin: bigint;
  readonly end: bigint;
  readonly tasks: readonly TaskRef[];
}

export interface ShardCoverage {
  readonly from: bigint;
  readonly to: bigint;
  /** log groups in [from, to) per outcome (an overlap counts once per outcome covering it) */
  readonly groups: Record<Outcome, bigint>;
  /** skipped and dead-lettered groups by reason */
  readonly reasons: Record<string, bigint>;
  readonly gaps: readonly Gap[];
  readonly overlaps: readonly Overlap[];
}

const FINAL: Partial<Record<string, (r: RecordFields) => Outcome>> = {
  [TaskStatus.Success]: () => 'delivered',
  [TaskStatus.PartialFailure]: () => 'partial',
  [TaskStatus.DeadLettered]: () => 'deadLettered',
  [TaskStatus.Skipped]: () => 'skipped',
  [TaskStatus.RecordAgeExceeded]: (r) => (r.dead_letter_id ? 'deadLettered' : 'skipped'),
  [TaskStatus.Expired]: () => 'expired',
};

/** The interval a record vouches for, or undefined (not a final outcome, or cursors missing). */
export function outcomeOf(r: RecordFields, decode: (cursor: string) => bigint): Covered | undefined {
  const outcome = r.task_status === undefined ? undefined : FINAL[r.task_status]?.(r);
  if (!outcome || !r.begin_cursor || !r.end_cursor) return undefined;
  // a partial failure vouches for what the function processed: [begin, resume)
  const end = outcome === 'partial' ? r.resume_cursor : r.end_cursor;
  if (!end) return undefined;
  const reason = outcome === 'skipped' || outcome === 'deadLettered' ? (r.error_code ?? r.task_status) : undefined;
  return {
    begin: decode(r.begin_cursor),
    end: decode(end),
    outcome,
    taskId: r.task_id ?? '',
    time: Number(r.end_time ?? 0),
    ...(reason ? { reason } : {}),
  };
}

const ref = (c: Covered): TaskRef => ({ taskId: c.taskId, outcome: c.outcome, time: c.time });

/** One copy of each record: a schedule record sent again after a failed write is the same record. */
function distinct(covered: readonly Covered[]): Covered[] {
  const seen = new Map<string, Covered>();
  for (const c of covered) seen.set(`${c.taskId}|${c.outcome}|${c.begin}|${c.end}`, c);
  return [...seen.values()];
}

/** Sweeps the outcomes (clipped to [from, to)) in cursor order: what is covered, missing, covered twice. */
export function coverShard(all: readonly Covered[], from: bigint, to: bigint): ShardCoverage {
  const groups = Object.fromEntries(OUTCOMES.map((o) => [o, 0n])) as Record<Outcome, bigint>;
  const reasons: Record<string, bigint> = {};
  const gaps: Gap[] = [];
  const overlaps: Overlap[] = [];
  const clipped = distinct(all)
    .map((c) => ({ ...c, begin: c.begin < from ? from : c.begin, end: c.end > to ? to : c.end }))
    .filter((c) => c.begin < c.end)
    .sort((a, b) => (a.begin === b.begin ? Number(a.end - b.end) : a.begin < b.begin ? -1 : 1));
  let at = from;
  let last: Covered | undefined;
  for (const c of clipped) {
    groups[c.outcome] += c.end - c.begin;
    if (c.reason) reasons[c.reason] = (reasons[c.reason] ?? 0n) + (c.end - c.begin);
    if (c.begin > at) gaps.push({ begin: at, end: c.begin, ...(last ? { after: ref(last) } : {}), before: ref(c) });
    else if (c.begin < at && last) overlaps.push({ begin: c.begin, end: c.end < at ? c.end : at, tasks: [ref(last), ref(c)] });
    if (c.end > at) {
      at = c.end;
      last = c;
    }
  }
  if (at < to) gaps.push({ begin: at, end: to, ...(last ? { after: ref(last) } : {}) });
  return { from, to, groups, reasons, gaps, overlaps };
}

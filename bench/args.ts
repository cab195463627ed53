// Tiny shared helper for benchmark flags: every benchmark takes --json.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { encodeLogGroupList, type LogGroup } from '../src/codec/index.js';
import { nginxGroup, seededRandom } from '../src/sample/nginx.js';
export function wantsJson(argv: readonly string[] = process.argv.slice(2)): boolean {
  return argv.includes('--json');
}

export function numberFlag(name: string, fallback: number, argv: readonly string[] = process.argv.slice(2)): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number, got ${argv[i + 1]}`);
  return v;
}

/** Runs fn repeatedly for at least minMs and returns the best per-run time in ms (best-of reduces noise). */
export function timeBest(fn: () => void, minMs: number, minRuns = 5): number {
  let best = Infinity;
  let runs = 0;
  const start = performance.now();
  while (runs < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now();
    fn();
    const dt = performance.now() - t0;
    if (dt < best) best = dt;
    runs++;
  }
  return best;
}

export function report(json: boolean, figures: Record<string, unknown>, lines: string[]): void {
  if (json) process.stdout.write(JSON.stringify(figures) + '\n');
  else process.stdout.write(lines.join('\n') + '\n');
}

/**
 * Collects the garbage of a benchmark's setup (payload generation) before a timed section, so the
 * client's own GC debt is not charged to the server under test.
 */
export function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** A LogGroupList of nginx-like groups (40 logs each, seed 42) of at least `mb` MiB: the decode and SPL benches' body. */
export function nginxBody(mb: number): { groups: LogGroup[]; body: Uint8Array } {
  const rnd = seededRandom(42);
  const groups: LogGroup[] = [];
  let body = encodeLogGroupList([]);
  while (body.byteLength < mb * 1024 * 1024) {
    for (let i = 0; i < 50; i++) groups.push(nginxGroup(rnd, { logs: 40, time: 1_700_000_000 + groups.length }));
    body = encodeLogGroupList(groups);
  }
  return { groups, body };
}

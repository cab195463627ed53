// npm run fuzz: a bounded fuzz campaign over the codec, cursor, event, SPL and HTTP-answer parsers (issue 10 §1).
// Worker threads run the inputs; the main thread is the watchdog (an input that does not finish
// within --hang-ms is a hang, reported with its bytes) and samples memory. Every input is rebuilt
// from (seed, target, index), so each finding prints the exact input.
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Command, InvalidArgumentError } from 'commander';
import { rngFor } from './inputs.js';
import { Finding, OUTCOMES, targets, type Outcome } from './targets.js';

interface Plan {
  readonly seed: number;
  readonly counts: readonly number[];
  readonly workers: number;
  readonly slowMs: number;
}
interface Report {
  target: string;
  index: number;
  kind: string;
  message: string;
  input: string;
}
interface WorkerResult {
  outcomes: Record<string, Record<Outcome, number>>;
  findings: Report[];
  done: number;
}
const MAX_FINDINGS = 50;
const zeroOutcomes = () => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;

function report(plan: Plan, t: number, index: number, kind: string, message: string): Report {
  const target = targets[t];
  return { target: target.name, index, kind, message, input: target.show(target.make(rngFor(plan.seed, target.name, index))) };
}

/** Worker: inputs index ≡ k (mod workers) of every target; `progress` holds [target, index] for the watchdog. */
function work(plan: Plan, k: number, progress: Int32Array): WorkerResult {
  const result: WorkerResult = { outcomes: {}, findings: [], done: 0 };
  targets.forEach((target, t) => {
    const outcomes = (result.outcomes[target.name] = zeroOutcomes());
    for (let i = k; i < plan.counts[t]; i += plan.workers) {
      Atomics.store(progress, 0, t);
      Atomics.store(progress, 1, i);
      const input = target.make(rngFor(plan.seed, target.name, i));
      const started = performance.now();
      try {
        outcomes[target.check(input)]++;
      } catch (e) {
        const f = e instanceof Finding ? e : new Finding('foreign-error', `check crashed: ${(e as Error)?.stack ?? e}`);
        if (result.findings.length < MAX_FINDINGS) result.findings.push(report(plan, t, i, f.kind, f.message));
      }
      const ms = performance.now() - started;
      if (ms > plan.slowMs && result.findings.length < MAX_FINDINGS)
        result.findings.push(report(plan, t, i, 'slow', `took ${ms.toFixed(0)} ms`));
      result.done++;
    }
  });
  return result;
}

if (!isMainThread) {
  const { plan, k, shared } = workerData as { plan: Plan; k: number; shared: SharedArrayBuffer };
  parentPort!.postMessage(work(plan, k, new Int32Array(shared)));
} else {
  await main();
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

async function main(): Promise<void> {
  const opts = new Command('npm run fuzz --')
    .description(
      'Bounded fuzz campaign: LogGroup/LogGroupList decoders (fast and reference) and validator, decompressors, cursors, events.',
    )
    .option('--inputs <n>', 'inputs in all, shared by the targets by weight', positiveInt, 1_000_000)
    .option('--seed <n>', 'campaign seed (input i is rebuilt from seed, target and i)', (v) => Number.parseInt(v, 10), 1)
    .option('--workers <n>', 'worker threads', positiveInt, 2)
    .option('--target <name>', `only this target (${targets.map((t) => t.name).join(', ')})`)
    .option('--hang-ms <ms>', 'an input still running after this is a hang', positiveInt, 10_000)
    .option('--slow-ms <ms>', 'an input taking longer than this is reported as slow', positiveInt, 500)
    .option('--max-rss-mb <mb>', 'resident memory above this fails the campaign', positiveInt, 1536)
    .option('--json', 'print one JSON object')
    .parse()
    .opts<{
      inputs: number;
      seed: number;
      workers: number;
      target?: string;
      hangMs: number;
      slowMs: number;
      maxRssMb: number;
      json?: boolean;
    }>();
  if (opts.target && !targets.some((t) => t.name === opts.target)) throw new InvalidArgumentError(`unknown target ${opts.target}`);
  const active = targets.map((t) => (!opts.target || t.name === opts.target ? t.weight : 0));
  const total = active.reduce((a, b) => a + b, 0);
  const plan: Plan = {
    seed: opts.seed,
    counts: active.map((w) => Math.round((opts.inputs * w) / total)),
    workers: opts.workers,
    slowMs: opts.slowMs,
  };
  const started = performance.now();
  let maxRss = process.memoryUsage().rss;
  const findings: Report[] = [];
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage().rss)), 200);
  const results = await Promise.all(Array.from({ length: plan.workers }, (_, k) => runWorker(plan, k, opts.hangMs, findings)));
  clearInterval(sampler);
  maxRss = Math.max(maxRss, process.memoryUsage().rss);
  if (maxRss > opts.maxRssMb * 2 ** 20)
    findings.push({ target: '*', index: -1, kind: 'memory', message: `rss ${(maxRss / 2 ** 20).toFixed(0)} MiB`, input: '' });
  const outcomes: Record<string, Record<Outcome, number>> = {};
  for (const r of results) {
    findings.push(...r.findings);
    for (const [name, o] of Object.entries(r.outcomes)) {
      const sum = (outcomes[name] ??= zeroOutcomes());
      for (const key of Object.keys(o) as Outcome[]) sum[key] += o[key];
    }
  }
  const summary = {
    seed: plan.seed,
    inputs: results.reduce((a, r) => a + r.done, 0),
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    maxRssMiB: Math.round(maxRss / 2 ** 20),
    outcomes,
    findings,
  };
  print(summary, opts.json === true);
  process.exitCode = findings.length > 0 ? 1 : 0;
}

function runWorker(plan: Plan, k: number, hangMs: number, findings: Report[]): Promise<WorkerResult> {
  const shared = new SharedArrayBuffer(8);
  const progress = new Int32Array(shared);
  // Workers do not inherit the TypeScript loader tsx registered in this thread: register it first.
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { plan, k, shared } });
  return new Promise((resolve, reject) => {
    let last = '';
    let since = performance.now();
    const watchdog = setInterval(() => {
      const now = `${Atomics.load(progress, 0)}:${Atomics.load(progress, 1)}`;
      if (now !== last) [last, since] = [now, performance.now()];
      else if (performance.now() - since > hangMs) {
        clearInterval(watchdog);
        findings.push(report(plan, Atomics.load(progress, 0), Atomics.load(progress, 1), 'hang', `no result after ${hangMs} ms`));
        void worker.terminate();
        resolve({ outcomes: {}, findings: [], done: 0 });
      }
    }, 250);
    worker.once('message', (r: WorkerResult) => {
      clearInterval(watchdog);
      resolve(r);
    });
    worker.once('error', (e) => {
      clearInterval(watchdog);
      reject(e);
    });
  });
}

function print(
  summary: {
    seed: number;
    inputs: number;
    seconds: number;
    maxRssMiB: number;
    outcomes: Record<string, Record<Outcome, number>>;
    findings: Report[];
  },
  json: boolean,
): void {
  if (json) {
    console.log(JSON.stringify(summary));
    return;
  }
  console.log(`fuzz: ${summary.inputs} inputs, seed ${summary.seed}, ${summary.seconds} s, max rss ${summary.maxRssMiB} MiB`);
  for (const [name, o] of Object.entries(summary.outcomes)) {
    console.log(`  ${name.padEnd(13)} ${OUTCOMES.map((k) => `${k} ${o[k]}`).join('  ')}`);
  }
  console.log(`findings: ${summary.findings.length}`);
  for (const f of summary.findings) console.log(`  [${f.kind}] ${f.target} #${f.index}: ${f.message}\n    input: ${f.input}`);
}

// Start-up time of the CLI: `sls-trigger --help` and `--version` against bare `node -e 0`
// in the same run, interleaved, medians of --runs (default 15). `--json` prints {ratio, ...} with
// ratio = the slower of the two medians over bare Node's.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = path.join(root, 'bin/sls-trigger.js');
const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1] || 15) || 15;
const cases: Record<string, string[]> = { 'node -e 0': ['-e', '0'], '--help': [bin, '--help'], '--version': [bin, '--version'] };

function once(args: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const args of Object.values(cases)) once(args); // warm the page cache
for (let i = 0; i < runs; i++) for (const [k, args] of Object.entries(cases)) samples[k].push(once(args));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const m = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]));
const base = m['node -e 0'];
const ratio = Math.max(m['--help'], m['--version']) / base;
if (argv.includes('--json')) console.log(JSON.stringify({ ratio: Number(ratio.toFixed(2)), medianMs: m, runs }));
else {
  for (const [k, v] of Object.entries(m)) console.log(`${k.padEnd(10)} ${v.toFixed(1)} ms  (${(v / base).toFixed(2)}x bare node)`);
  console.log(`ratio ${ratio.toFixed(2)} (target <= 3)`);
}

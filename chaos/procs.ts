// Child processes for the crash campaigns: the real CLI (bin/sls-trigger.js), started, waited on
// for a line, and killed with SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = path.join(repoRoot, 'bin/sls-trigger.js');

export interface Proc {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly stderr: string[];
}

/** Starts `sls-trigger <args>`; `onLine` sees every stdout line. */
export function startCli(args: string[], opts: { cwd?: string; onLine?: (line: string) => void } = {}): Proc {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT; // a child of the test runner must not report to it
  const child = spawn(process.execPath, [bin, ...args], { cwd: opts.cwd ?? repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  if (opts.onLine) readline.createInterface({ input: child.stdout! }).on('line', opts.onLine);
  else child.stdout!.resume();
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, stderr };
}

/** Resolves with the first stderr line matching `re` (or rejects when the process exits first). */
export async function waitForStderr(p: Proc, re: RegExp): Promise<RegExpExecArray> {
  for (;;) {
    for (const l of p.stderr) {
      const m = re.exec(l);
      if (m) return m;
    }
    const exited = await Promise.race([p.exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 20))]);
    if (exited) throw new Error(`process exited before ${re}: ${p.stderr.slice(-5).join('\n')}`);
  }
}

export async function kill9(p: Proc): Promise<void> {
  p.child.kill('SIGKILL');
  await p.exited;
}

/** `sls-trigger serve` on a data dir; resolves with its endpoint once it listens. */
export async function startServe(dataDir: string, extra: string[] = []): Promise<{ proc: Proc; endpoint: string }> {
  const proc = startCli(['serve', '--port', '0', '--data-dir', dataDir, '--quiet', ...extra]);
  const m = await waitForStderr(proc, /LogHub listening on (\S+)/);
  return { proc, endpoint: m[1] };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

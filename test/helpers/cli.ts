// Runs the CLI as a child process, as a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const bin = path.join(repoRoot, 'bin/sls-trigger.js');

export interface Cli {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** resolves with the first stdout/stderr line matching, in arrival order */
  waitFor(pred: (line: string, stream: 'stdout' | 'stderr') => boolean): Promise<string>;
  exit: Promise<number | null>;
}

/** `bin`: another installed sls-trigger (a scaffolded project's node_modules/.bin/sls-trigger) */
export function startCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; bin?: string } = {}): Cli {
  const child = spawn(process.execPath, [opts.bin ?? bin, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: Array<{ pred: (l: string, s: 'stdout' | 'stderr') => boolean; resolve: (l: string) => void }> = [];
  const feed = (stream: 'stdout' | 'stderr') => (line: string) => {
    (stream === 'stdout' ? stdout : stderr).push(line);
    for (const w of [...waiters])
      if (w.pred(line, stream)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
  };
  readline.createInterface({ input: child.stdout! }).on('line', feed('stdout'));
  readline.createInterface({ input: child.stderr! }).on('line', feed('stderr'));
  // 'close', not 'exit': by then every line the child wrote has been read (stdio may outlive 'exit').
  const exit = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return {
    child,
    stdout,
    stderr,
    exit,
    waitFor(pred) {
      const seen = [...stdout.map((l) => [l, 'stdout'] as const), ...stderr.map((l) => [l, 'stderr'] as const)].find(([l, s]) =>
        pred(l, s),
      );
      if (seen) return Promise.resolve(seen[0]);
      return new Promise((resolve, reject) => {
        waiters.push({ pred, resolve });
        void exit.then((code) => reject(new Error(`exited with ${code} before the expected line; stderr:\n${stderr.join('\n')}`)));
      });
    },
  };
}

export async function runCli(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const c = startCli(args, opts);
  const code = await c.exit;
  return { code, stdout: c.stdout.join('\n'), stderr: c.stderr.join('\n') };
}

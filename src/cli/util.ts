import { InvalidArgumentError } from 'commander';
import { wholeNumberIn } from '../errors/index.js';
import { createTerminal, type Terminal } from './terminal.js';

/** commander parser for an integer option within [min, max], naming the option in its error. */
export function intOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = wholeNumberIn(value, name, min, max);
    if (typeof n !== 'number') throw new InvalidArgumentError(n.problem);
    return n;
  };
}

/** Runs `stop` once on SIGINT/SIGTERM, then exits (a second signal exits at once). */
export function onShutdown(stop: () => Promise<void>, term: Terminal = createTerminal('text')): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    term.line('info', `\n${signal}: shutting down...`, { signal });
    stop().then(
      () => process.exit(0),
      (e) => {
        term.line('error', `error during shutdown: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

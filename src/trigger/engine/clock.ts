// Time for the scheduler: real by default; tests inject a manual clock and drive ticks themselves.
export interface Clock {
  /** milliseconds since the epoch */
  now(): number;
  /** resolves after `ms` (or earlier when `wake` fires) */
  sleep(ms: number, wake?: Promise<void>): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, wake) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, Math.max(0, ms));
      void wake?.then(() => {
        clearTimeout(t);
        resolve();
      });
    }),
};

/** A clock that only moves when told to; sleep resolves at once (the test drives ticks). */
export class ManualClock implements Clock {
  constructor(public ms = Date.UTC(2026, 10, 24, 8, 0, 0)) {}
  now = (): number => this.ms;
  sleep: Clock['sleep'] = async () => undefined;
  advance(ms: number): void {
    this.ms += ms;
  }
}

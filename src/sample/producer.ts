// A producer of realistic nginx access logs at a steady rate (what `dev` writes), spread over the
// logstore's shards by random hash keys.
import type { LogClient } from '../client/index.js';
import { nginxLog, seededRandom } from './nginx.js';

export interface ProducerOptions {
  readonly client: LogClient;
  readonly project: string;
  readonly logstore: string;
  /** logs per second */
  readonly rate: number;
  /** how many PutLogs per second the rate is split into (default 2) */
  readonly batchesPerSecond?: number;
  readonly seed?: number;
  readonly onError?: (e: unknown) => void;
  readonly now?: () => number;
}

export class Producer {
  private timer: NodeJS.Timeout | undefined;
  private readonly rnd: () => number;
  private seq = 0;
  sent = 0;

  constructor(private readonly o: ProducerOptions) {
    this.rnd = seededRandom(o.seed ?? Date.now());
  }

  /** Writes one batch (rate / batchesPerSecond logs) now. */
  async writeBatch(): Promise<void> {
    const per = Math.max(1, Math.round(this.o.rate / (this.o.batchesPerSecond ?? 2)));
    const time = Math.floor((this.o.now ?? Date.now)() / 1000);
    const logs = Array.from({ length: per }, () => nginxLog(this.rnd, time, `req-${Date.now().toString(36)}-${(this.seq++).toString(36)}`));
    const hashKey =
      Math.floor(this.rnd() * 2 ** 32)
        .toString(16)
        .padStart(8, '0') + '0'.repeat(24);
    await this.o.client.putLogs({
      project: this.o.project,
      logstore: this.o.logstore,
      hashKey,
      logGroup: { logs, topic: 'nginx', source: '10.0.0.10', logTags: [{ key: '__hostname__', value: 'web-01' }] },
    });
    this.sent += per;
  }

  start(): void {
    if (this.o.rate <= 0) return;
    const every = 1000 / (this.o.batchesPerSecond ?? 2);
    this.timer = setInterval(() => void this.writeBatch().catch((e) => this.o.onError?.(e)), every);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

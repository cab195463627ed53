// Starts an embedded LogHub on port 0 (file store in a temp dir, or memory) with a movable clock.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { LogClient } from '../../src/client/index.js';
import { DEFAULT_ACCESS_KEY, startLogHub, type LogHubOptions } from '../../src/loghub/index.js';

export type StoreKind = 'file' | 'memory';
export const STORE_KINDS: StoreKind[] = ['file', 'memory'];

export class TestClock {
  constructor(public ms = Date.UTC(2026, 10, 24, 8, 0, 0)) {}
  now = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export async function startTestHub(kind: StoreKind, opts: Partial<LogHubOptions> = {}) {
  const dir = kind === 'file' ? mkdtempSync(path.join(os.tmpdir(), 'slst-hub-')) : undefined;
  const clock = new TestClock();
  const now = opts.now ?? clock.now;
  const hub = await startLogHub({ dataDir: dir, memory: kind === 'memory', ttlIntervalMs: 0, ...opts, now });
  const client = new LogClient({
    endpoint: hub.endpoint,
    credentials: DEFAULT_ACCESS_KEY,
    now: () => new Date(now()),
    retry: { retries: 0 },
  });
  return {
    hub,
    client,
    clock,
    dir,
    async close(keepDir = false) {
      client.close();
      await hub.close();
      if (dir && !keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function randomName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

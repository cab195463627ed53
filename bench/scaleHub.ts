// A file-backed LogHub in its own process for bench/scale: prints its endpoint and how long
// startLogHub took over the data directory (the start-up time at that many shards).
import { startLogHub } from '../src/loghub/index.js';

const dataDir = process.argv[2];
const t0 = performance.now();
const hub = await startLogHub({ port: 0, dataDir, fsync: false, ttlIntervalMs: 0 });
process.stdout.write(JSON.stringify({ endpoint: hub.endpoint, startMs: performance.now() - t0 }) + '\n');

// A memory LogHub in its own process for benchmarks (its CPU stays out of the measured process).
import { startLogHub } from '../src/loghub/index.js';

const hub = await startLogHub({ port: 0, memory: true, ttlIntervalMs: 0, limits: { maxShards: 4096 } });
process.stdout.write(JSON.stringify({ endpoint: hub.endpoint }) + '\n');

// A LogHub in its own process (for kill -9 tests): prints {"port": n} once listening.
import { startLogHub } from '../../src/loghub/index.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: hubProcess.ts <dataDir>');
const hub = await startLogHub({ dataDir, ttlIntervalMs: 0, onWarning: (m) => process.stderr.write(`warning: ${m}\n`) });
process.stdout.write(JSON.stringify({ port: hub.port }) + '\n');

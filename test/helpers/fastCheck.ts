// The one place that seeds fast-check for the suite: every property test imports fc from here, so a
// run is reproducible. FC_SEED overrides the seed; a failing property prints its seed and path
// (fast-check's report), and FC_SEED=<seed> replays it.
import fc from 'fast-check';

const DEFAULT_SEED = 20261202;

function seedFromEnv(): number {
  const raw = process.env.FC_SEED;
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return n;
}

export const propertySeed = seedFromEnv();
fc.configureGlobal({ seed: propertySeed });

export default fc;

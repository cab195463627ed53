// Hostile input to `sls-trigger serve`, the CI-sized run of chaos/hostile.ts:
// 2,000 seeded bad requests (`npm run chaos -- hostile` sends more).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostileCampaign } from '../../chaos/hostile.js';
import { HOSTILE_PROJECT } from '../../chaos/hostileRequests.js';
import { propertySeed } from '../helpers/fastCheck.js';

test('2000 hostile requests: 4xx SLS errors only, nothing stored but what was acknowledged', async () => {
  const r = await hostileCampaign({ requests: 2000, seed: propertySeed });
  assert.equal(r.requests, 2000);
  assert.deepEqual(r.bad, [], `answers that were not a 4xx SLS JSON error (seed ${propertySeed})`);
  assert.deepEqual(Object.keys(r.statuses).sort(), [
    'auth',
    'bomb',
    'consumer-groups',
    'cursors',
    'json-bodies',
    'names',
    'putlogs-body',
    'raw-http',
  ]);
  assert.equal(r.storedGroups, r.acknowledgedPuts, 'stored groups = acknowledged PutLogs');
  assert.deepEqual(r.outside, [], 'nothing written beside the data directory');
  assert.deepEqual(r.dataDirEntries, ['LOCK', 'meta.json', 'shards']);
  assert.deepEqual(r.shardProjects, [HOSTILE_PROJECT], 'no directory for a refused name');
  assert.ok(r.maxRssMiB < 600, `server RSS stayed bounded (max ${r.maxRssMiB} MiB)`);
  assert.equal(r.exitCode, 0, 'clean shutdown');
});

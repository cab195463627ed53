// The CI-sized crash campaigns: 5 SIGKILLs each. `npm run chaos -- all` runs 50.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loghubCampaign } from '../../chaos/loghub.js';
import { schedulerCampaign } from '../../chaos/scheduler.js';
import { propertySeed } from '../helpers/fastCheck.js';

test('LogHub under kill -9 (5 kills, splits, merges, checkpoints, delete/recreate): nothing acknowledged is lost', async () => {
  const r = await loghubCampaign({ kills: 5, seed: propertySeed });
  assert.equal(r.kills, 5);
  assert.ok(r.ackedPuts > 100, `traffic between kills (${r.ackedPuts} puts)`);
  assert.deepEqual(
    {
      lost: r.lost,
      duplicated: r.duplicated,
      torn: r.torn,
      outOfOrder: r.outOfOrder,
      unknown: r.unknown,
      checkpoints: r.checkpointMismatches,
      resurrected: r.resurrected,
    },
    { lost: [], duplicated: [], torn: [], outOfOrder: [], unknown: [], checkpoints: [], resurrected: [] },
  );
});

for (const consumers of ['same', 'new'] as const) {
  test(`sls-trigger run under kill -9 (5 kills, ${consumers} consumer name, a split and a merge): no id lost`, async () => {
    const r = await schedulerCampaign({ kills: 5, logs: 2000, seed: propertySeed, consumers });
    assert.equal(r.kills, 5);
    // audit first in the message: a gap says the checkpoint passed a range with no record, none says a recorded outcome lost the id
    assert.deepEqual(
      r.lost,
      [],
      `lost ids; audit gaps: ${JSON.stringify(r.auditGaps)}; runner said:\n${(r.runnerStderr ?? []).join('\n')}`,
    );
    assert.deepEqual(r.unexplainedDuplicates, [], 'every duplicate comes from a range in flight at a kill');
    assert.deepEqual(r.childBeforeParent, []);
    assert.equal(r.delivered, 2000);
    assert.deepEqual([r.splits, r.merges], [1, 1]);
    assert.deepEqual(r.auditGaps, [], 'audit: every range the checkpoints passed has a recorded outcome');
  });
}

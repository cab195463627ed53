// Replay as a library call: which events a selection names, one result per event in order, a
// function's text result kept as text, failures typed as FC types them; no checkpoint is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addToCursor } from '../../src/codec/index.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { InProcessInvoker } from '../../src/trigger/invokers/inProcess.js';
import { replay, replayEvents, replayTarget } from '../../src/trigger/ops/replay.js';
import { randomName, startTestHub } from '../helpers/hub.js';

test('replayEvents splits each shard into windows; replay runs them in order with one result each', async () => {
  const t = await startTestHub('memory');
  try {
    const project = randomName('replay');
    const at = { project, logstore: 'src' };
    await t.client.createProject({ project });
    await t.client.createLogStore({ ...at, shardCount: 1 });
    for (let i = 0; i < 5; i++)
      await t.client.putLogs({ ...at, logGroup: { logs: [{ time: 1, contents: [{ key: 'n', value: String(i) }] }], logTags: [] } });
    const src = { client: t.client, ...at, endpoint: t.hub.endpoint, jobName: 'replay-job', parameter: {} };

    const events = await replayEvents(src, { window: 2 });
    const begin = await t.client.getCursor({ ...at, shardId: 0, from: 'begin' });
    assert.deepEqual(
      events.map((e) => [e.source.beginCursor, e.source.endCursor]),
      [0, 2, 4].map((g) => [addToCursor(begin, g), addToCursor(begin, Math.min(g + 2, 5))]),
    );

    const seen: number[] = [];
    const invoker = new InProcessInvoker(async (event) => {
      const e = JSON.parse(event.toString()) as { source: { beginCursor: string } };
      if (e.source.beginCursor === addToCursor(begin, 2)) throw new TypeError('bad window');
      return 'plain text';
    });
    const results = await replay(events, {
      invoker,
      credentials: DEFAULT_ACCESS_KEY,
      timeoutMs: 5000,
      onResult: (_r, i, groups) => seen.push(i, groups.done, groups.total),
    });
    assert.deepEqual(
      results.map((r) => [r.ok, r.body, r.error?.errorType, r.error?.errorMessage]),
      [
        [true, 'plain text', undefined, undefined],
        [false, undefined, 'TypeError', 'bad window'],
        [true, 'plain text', undefined, undefined],
      ],
    );
    assert.deepEqual(seen, [0, 2, 5, 1, 4, 5, 2, 5, 5]);
    const groups = await t.client.listConsumerGroup({ ...at });
    assert.deepEqual(groups, [], 'replay writes no checkpoint');
  } finally {
    await t.close();
  }
});

test('replay selections and targets that cannot run say which part is missing', async () => {
  const src = {} as Parameters<typeof replayEvents>[0];
  await assert.rejects(replayEvents(src, { beginCursor: 'MTA=' }), /a cursor range needs both cursors and a shard/);
  assert.throws(
    () => replayTarget({ type: 'fc', accountId: '1', region: 'cn-hangzhou', serviceName: 's', functionName: 'f' }, {}),
    /replay runs a local handler module/,
  );
  assert.deepEqual(replayTarget({ type: 'local', module: '/m.js', initializer: 'init' }, { handler: 'h' }), {
    type: 'local',
    module: '/m.js',
    handler: 'h',
    initializer: 'init',
    functionName: undefined,
  });
});

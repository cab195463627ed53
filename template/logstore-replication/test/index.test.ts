// Replays real events against an embedded LogHub: the target gets the same logs, with time, topic,
// source and tags, in fewer writes than groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ACCESS_KEY, LogClient, startLogHub, type LogGroup } from 'sls-trigger';
import { handler } from '../src/index.js';

test('copies the range exactly, merging groups that share topic, source and tags', async () => {
  const hub = await startLogHub({ port: 0, memory: true });
  const c = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY });
  const at = { project: 'repl' };
  try {
    await c.createProject(at);
    await c.createLogStore({ ...at, logstore: 'src', shardCount: 1 });
    await c.createLogStore({ ...at, logstore: 'dst', shardCount: 1 });
    const groups: LogGroup[] = [
      {
        logs: [{ time: 1700000001, contents: [{ key: 'a', value: '1' }], timeNs: 5 }],
        topic: 'web',
        source: '10.0.0.1',
        logTags: [{ key: 'host', value: 'h1' }],
      },
      {
        logs: [{ time: 1700000002, contents: [{ key: 'a', value: '2' }] }],
        topic: 'web',
        source: '10.0.0.1',
        logTags: [{ key: 'host', value: 'h1' }],
      },
      { logs: [{ time: 1700000003, contents: [{ key: 'a', value: '3' }] }], topic: 'api', source: '10.0.0.2', logTags: [] },
    ];
    const begin = await c.getCursor({ ...at, logstore: 'src', shardId: 0, from: 'begin' });
    for (const g of groups) await c.putLogs({ ...at, logstore: 'src', logGroup: g });
    const end = await c.getCursor({ ...at, logstore: 'src', shardId: 0, from: 'end' });
    const event = {
      source: { endpoint: hub.endpoint, projectName: 'repl', logstoreName: 'src', shardId: 0, beginCursor: begin, endCursor: end },
      parameter: { target: { projectName: 'repl', logstoreName: 'dst' } },
      jobName: 'j',
      taskId: 't',
      cursorTime: 0,
    };
    const lines: string[] = [];
    const r = await handler(JSON.stringify(event), {
      requestId: 'r',
      credentials: DEFAULT_ACCESS_KEY,
      logger: { info: (l: unknown) => lines.push(String(l)) },
    });
    assert.deepEqual([r.ingestLines, r.shipLines], [3, 3]);
    assert.match(lines[0], /copied 3 logs in 2 writes/);
    const dBegin = await c.getCursor({ ...at, logstore: 'dst', shardId: 0, from: 'begin' });
    const copied = (await c.pullLogs({ ...at, logstore: 'dst', shardId: 0, cursor: dBegin })).groups.map((g) => g.toLogGroup());
    assert.deepEqual(copied, [{ ...groups[0], logs: [...groups[0].logs, ...groups[1].logs] }, groups[2]]);
  } finally {
    c.close();
    await hub.close();
  }
});

test('with parameter.spl only what the SPL keeps is copied', async () => {
  const hub = await startLogHub({ port: 0, memory: true });
  const c = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY });
  const at = { project: 'repl-spl' };
  try {
    await c.createProject(at);
    await c.createLogStore({ ...at, logstore: 'src', shardCount: 1 });
    await c.createLogStore({ ...at, logstore: 'dst', shardCount: 1 });
    const begin = await c.getCursor({ ...at, logstore: 'src', shardId: 0, from: 'begin' });
    for (const status of ['200', '500', '404', '503'])
      await c.putLogs({
        ...at,
        logstore: 'src',
        logGroup: { logs: [{ time: 1700000001, contents: [{ key: 'status', value: status }] }], logTags: [] },
      });
    const end = await c.getCursor({ ...at, logstore: 'src', shardId: 0, from: 'end' });
    const event = {
      source: { endpoint: hub.endpoint, projectName: 'repl-spl', logstoreName: 'src', shardId: 0, beginCursor: begin, endCursor: end },
      parameter: { target: { projectName: 'repl-spl', logstoreName: 'dst' }, spl: "* | where status like '5%'" },
      jobName: 'j',
      taskId: 't',
      cursorTime: 0,
    };
    const r = await handler(JSON.stringify(event), { requestId: 'r', credentials: DEFAULT_ACCESS_KEY, logger: { info: () => undefined } });
    assert.deepEqual([r.ingestLines, r.spl], [2, { scannedLines: 4, matchedLines: 2, failedLines: 0 }]);
    const dBegin = await c.getCursor({ ...at, logstore: 'dst', shardId: 0, from: 'begin' });
    const copied = (await c.pullLogs({ ...at, logstore: 'dst', shardId: 0, cursor: dBegin })).groups.flatMap((g) => g.toLogGroup().logs);
    assert.deepEqual(
      copied.map((l) => l.contents[0].value),
      ['500', '503'],
    );
  } finally {
    c.close();
    await hub.close();
  }
});

// Replays real events against an embedded LogHub: data in, one event per range, result out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ACCESS_KEY, LogClient, startLogHub } from 'sls-trigger';
import { handler } from '../src/index.js';

test('counts a range and reports the Java template counters', async () => {
  const hub = await startLogHub({ port: 0, memory: true });
  const client = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY });
  try {
    await client.createProject({ project: 'udf-test' });
    await client.createLogStore({ project: 'udf-test', logstore: 'nginx-access', shardCount: 1 });
    const begin = await client.getCursor({ project: 'udf-test', logstore: 'nginx-access', shardId: 0, from: 'begin' });
    const statuses = ['200', '200', '404'];
    await client.putLogs({
      project: 'udf-test',
      logstore: 'nginx-access',
      logGroup: {
        logs: statuses.map((status, i) => ({ time: 1700000000 + i, contents: [{ key: 'status', value: status }] })),
        topic: 'nginx',
        logTags: [],
      },
    });
    const end = await client.getCursor({ project: 'udf-test', logstore: 'nginx-access', shardId: 0, from: 'end' });
    const lines: string[] = [];
    const event = {
      source: {
        endpoint: hub.endpoint,
        projectName: 'udf-test',
        logstoreName: 'nginx-access',
        shardId: 0,
        beginCursor: begin,
        endCursor: end,
      },
      parameter: { countField: 'status' },
      jobName: 'j'.repeat(40),
      taskId: 't-1',
      cursorTime: 1700000002,
    };
    const result = await handler(Buffer.from(JSON.stringify(event)), {
      requestId: 'r-1',
      credentials: DEFAULT_ACCESS_KEY,
      logger: { info: (l: unknown) => lines.push(String(l)) },
    });
    assert.equal(result.ingestLines, 3);
    assert.equal(result.shipLines, 3);
    assert.match(lines[0], /processed 3 logs \{"status":\{"200":2,"404":1\}\}/);
    const skipped = await handler(JSON.stringify({ ...event, parameter: { dropTopics: ['nginx'] } }), {
      requestId: 'r-2',
      credentials: DEFAULT_ACCESS_KEY,
    });
    assert.deepEqual([skipped.ingestLines, skipped.shipLines], [3, 0]);
  } finally {
    client.close();
    await hub.close();
  }
});

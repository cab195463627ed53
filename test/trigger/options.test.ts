// Option bags are checked at construction: a misspelt or mistyped option fails naming itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogClient } from '../../src/client/index.js';
import { DEFAULT_ACCESS_KEY, DEFAULT_LIMITS, startLogHub } from '../../src/loghub/index.js';
import { parseJobConfig } from '../../src/trigger/job/config.js';
import { InProcessInvoker } from '../../src/trigger/invokers/inProcess.js';
import { Scheduler } from '../../src/trigger/engine/scheduler.js';

test('Scheduler and startLogHub refuse unknown or mistyped options by name', async () => {
  const config = parseJobConfig({
    endpoint: 'http://127.0.0.1:1',
    project: 'p-opts',
    sourceConfig: { logstore: 'src', startTime: 'begin' },
    jobConfig: { triggerInterval: 60 },
    logConfig: { project: 'p-opts', logstore: 'trigger-log' },
    target: { type: 'local', module: 'unused.js' },
  });
  const client = new LogClient({ endpoint: 'http://127.0.0.1:1', credentials: DEFAULT_ACCESS_KEY });
  const invoker = new InProcessInvoker(async () => ({}));
  const base = { config, client, invoker, functionCredentials: DEFAULT_ACCESS_KEY };
  assert.throws(
    () => new Scheduler({ ...base, consumername: 'x' } as never),
    /Scheduler options is invalid: consumername is not a known field/,
  );
  assert.throws(() => new Scheduler({ ...base, retryBaseMs: -1 }), /Scheduler options is invalid: retryBaseMs must be >= 0/);
  assert.ok(new Scheduler({ ...base, consumerName: 'ok' }));
  await assert.rejects(
    startLogHub({ memory: true, ttlInterval: 5 } as never),
    /startLogHub options is invalid: ttlInterval is not a known field/,
  );
  await assert.rejects(startLogHub({ memory: true, port: 70000 }), /startLogHub options is invalid: port must be <= 65535/);
  client.close();
});

test('startLogHub checks each limit against its range, and a limit it accepts is the one enforced', async () => {
  await assert.rejects(
    startLogHub({ memory: true, limits: { maxShard: 4 } as never }),
    /startLogHub options is invalid: limits\.maxShard is not a known field/,
  );
  await assert.rejects(startLogHub({ memory: true, limits: { maxShards: 0 } }), /limits\.maxShards must be >= 1/);
  await assert.rejects(
    startLogHub({ memory: true, limits: { maxLogsPerPut: 1.5 } }),
    /limits\.maxLogsPerPut must be a whole number|limits\.maxLogsPerPut must be integer/,
  );
  const hub = await startLogHub({ memory: true, port: 0, limits: { maxShards: 3 } });
  try {
    assert.deepEqual(hub.state.limits, { ...DEFAULT_LIMITS, maxShards: 3 });
    const client = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY });
    await client.createProject({ project: 'limits-p' });
    await client.createLogStore({ project: 'limits-p', logstore: 'ls3', shardCount: 3 });
    await assert.rejects(client.createLogStore({ project: 'limits-p', logstore: 'ls4', shardCount: 4 }), { code: 'ParameterInvalid' });
    client.close();
  } finally {
    await hub.close();
  }
});

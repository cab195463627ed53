// The job config as parseJobConfig reads it: strings for numbers as FC's console writes them,
// defaults as FC's trigger has them, and every bad field refused naming the field, its range and
// the value given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJobConfig } from '../../src/trigger/job/config.js';

const base = {
  endpoint: 'http://127.0.0.1:1',
  project: 'p-1',
  sourceConfig: { logstore: 'src' },
  jobConfig: { triggerInterval: '60', maxRetryTime: '3' },
  logConfig: { project: 'p-1', logstore: 'log' },
  target: { type: 'local' as const, module: 'x.js' },
};

test('core fields: numbers as strings, a derived job name, the project from an ARN; each bad field named', () => {
  const ok = parseJobConfig(base);
  assert.deepEqual([ok.triggerInterval, ok.maxRetryTime, ok.startPosition, ok.windowGraceMs], [60, 3, 'latest', 20]);
  assert.match(ok.jobName, /^[0-9a-f]{40}$/);
  const arn = parseJobConfig({ ...base, project: undefined, sourceArn: 'acs:log:cn-hangzhou:123:project/from-arn' });
  assert.equal(arn.project, 'from-arn');
  assert.match(parseJobConfig({ ...base, jobConfig: { triggerInterval: 1 } }).warnings.join('\n'), /triggerInterval/);
  const bad: Array<[object, RegExp]> = [
    [{ jobConfig: { triggerInterval: 601 } }, /jobConfig.triggerInterval must be a whole number in 1\.\.600/],
    [{ jobConfig: { triggerInterval: 60, maxRetryTime: 101 } }, /maxRetryTime must be a whole number in 0\.\.100/],
    [{ logConfig: { project: 'p-1', logstore: 'src' } }, /logConfig.logstore must differ/],
    [{ sourceConfig: { logstore: 'src', typo: 1 } }, /sourceConfig.typo is not a known field/],
    // a union said in words answers alone, not with each branch's complaint
    [
      { sourceConfig: { logstore: 'src', startTime: 'end' } },
      /is invalid: sourceConfig.startTime must be "begin", "latest" or unix seconds, got "end"$/,
    ],
  ];
  for (const [extra, message] of bad) assert.throws(() => parseJobConfig({ ...base, ...extra }), message);
});

test('pipelining: off (1) by default, 1..64 as a number or a string, out of range named', () => {
  assert.equal(parseJobConfig(base).pipelining, 1);
  assert.equal(parseJobConfig({ ...base, pipelining: '16' }).pipelining, 16);
  assert.throws(() => parseJobConfig({ ...base, pipelining: 0 }), /pipelining must be a whole number in 1\.\.64, got 0/);
  assert.throws(() => parseJobConfig({ ...base, pipelining: 65 }), /pipelining must be a whole number in 1\.\.64, got 65/);
});

test('low-latency options: defaults, the poll interval range, batching only with polling', () => {
  const at10 = { ...base, jobConfig: { triggerInterval: 10 } };
  assert.deepEqual(parseJobConfig({ ...at10, pollIntervalMs: 50 }).lowLatency, {
    pollIntervalMs: 50,
    idlePollIntervalMs: 50,
    batchingWindowMs: 0,
    maxBatchGroups: 1000,
  });
  assert.equal(parseJobConfig({ ...at10, pollIntervalMs: 50, idlePollIntervalMs: '1000' }).lowLatency?.idlePollIntervalMs, 1000);
  assert.throws(
    () => parseJobConfig({ ...at10, pollIntervalMs: 50, idlePollIntervalMs: 20 }),
    /idlePollIntervalMs 20 is below pollIntervalMs 50/,
  );
  assert.throws(() => parseJobConfig({ ...at10, idlePollIntervalMs: 1000 }), /idlePollIntervalMs apply only with pollIntervalMs/);
  assert.equal(parseJobConfig(at10).lowLatency, undefined);
  assert.throws(() => parseJobConfig({ ...at10, batchingWindowMs: 100 }), /batchingWindowMs apply only with pollIntervalMs/);
  assert.throws(() => parseJobConfig({ ...at10, pollIntervalMs: 5 }), /pollIntervalMs must be a whole number in 10\.\.60000, got 5/);
  assert.match(
    parseJobConfig({ ...at10, maxRecordAgeSeconds: 10 }).warnings.join('\n'),
    /maxRecordAgeSeconds 10 is not above triggerInterval 10/,
  );
});

test("failure options: FC's defaults, dead-letter targets, and each bad combination named", () => {
  const c = parseJobConfig({ ...base, bisectOnError: true, maxRecordAgeSeconds: '3600', deadLetter: { dir: '/tmp/dl' } });
  assert.deepEqual(
    [c.bisectOnError, c.maxRecordAgeSeconds, c.deadLetter],
    [true, 3600, { target: { kind: 'dir', dir: '/tmp/dl' }, includeData: true, maxDataBytes: 16 * 1024 * 1024 }],
  );
  const defaults = parseJobConfig(base);
  assert.deepEqual([defaults.bisectOnError, defaults.maxRecordAgeSeconds, defaults.deadLetter], [false, undefined, undefined]);
  const bad: Array<[object, RegExp]> = [
    [{ deadLetter: { logstore: 'dl', dir: '/tmp/dl' } }, /deadLetter needs exactly one of logstore .* or dir/],
    [{ deadLetter: {} }, /deadLetter needs exactly one of logstore/],
    [{ deadLetter: { dir: '/tmp/dl', project: 'p' } }, /deadLetter.project applies to deadLetter.logstore/],
    [{ deadLetter: { logstore: 'dl', maxDataBytes: -1 } }, /deadLetter.maxDataBytes/],
    [{ maxRecordAgeSeconds: 0 }, /maxRecordAgeSeconds must be a whole number in 1\.\./],
    [{ bisectOnError: 'yes' }, /bisectOnError/],
    [{ onRetriesExhausted: 'deadLetter' }, /deadLetter \(logstore or dir\) is required/],
  ];
  for (const [extra, message] of bad) assert.throws(() => parseJobConfig({ ...base, ...extra }), message);
});

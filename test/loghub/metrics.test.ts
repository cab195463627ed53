// The LogHub's /metrics after a known workload: requests by action and error code, bytes in and
// out as the request log counts them, and one fsync observation per acknowledged PutLogs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { LogHubMetrics, type RequestLogEntry } from '../../src/loghub/index.js';
import { startTestHub } from '../helpers/hub.js';

test('requests, bytes and fsyncs counted exactly; /metrics answered unsigned, only without a project', async () => {
  const entries: RequestLogEntry[] = [];
  const t = await startTestHub('file', { metrics: new LogHubMetrics(), onRequest: (e) => entries.push(e) });
  try {
    await t.client.createProject({ project: 'mtr' });
    await t.client.createLogStore({ project: 'mtr', logstore: 'lgs', shardCount: 1 });
    for (let i = 0; i < 3; i++)
      await t.client.putLogs({
        project: 'mtr',
        logstore: 'lgs',
        logGroup: { logs: [{ time: 1, contents: [{ key: 'i', value: String(i) }] }], logTags: [] },
      });
    await assert.rejects(
      t.client.getCursor({ project: 'mtr', logstore: 'missing', shardId: 0, from: 'begin' }),
      /LogStoreNotExist|does not exist/,
    );
    const r = await fetch(`${t.hub.endpoint}/metrics`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await r.text();
    const value = (series: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(series + ' '))
          ?.slice(series.length + 1),
      );
    assert.equal(value('sls_loghub_requests_total{action="PutLogs",code="OK"}'), 3);
    assert.equal(value('sls_loghub_requests_total{action="GetCursor",code="LogStoreNotExist"}'), 1);
    assert.equal(value('sls_loghub_requests_total{action="CreateLogStore",code="OK"}'), 1);
    // Known up front, so rate() works from the first scrape: every action starts at 0 with OK.
    assert.equal(value('sls_loghub_requests_total{action="MergeShards",code="OK"}'), 0);
    const puts = entries.filter((e) => e.action === 'PutLogs');
    assert.equal(
      value('sls_loghub_bytes_in_total{action="PutLogs"}'),
      puts.reduce((a, e) => a + e.bytesIn, 0),
    );
    assert.ok(value('sls_loghub_bytes_in_total{action="PutLogs"}') > 0);
    assert.equal(value('sls_loghub_request_duration_seconds_count{action="PutLogs"}'), 3);
    assert.equal(value('sls_loghub_fsync_seconds_count'), 3);
    assert.equal(entries.length, 6, 'a scrape is not a request of the API');
    const status = await new Promise<number>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port: t.hub.port, path: '/metrics', headers: { host: `mtr.127.0.0.1:${t.hub.port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject),
    );
    assert.notEqual(status, 200, 'with a project in the Host it is an SLS request, signed or refused');
  } finally {
    await t.close();
  }
});

// The console in a real browser (headless Chromium through puppeteer-core; .ci/run installs
// Debian's chromium): shard rows, a lag series per shard with points (read from the chart's
// aria-label, as a screen reader would), series merged from the stream, charts that follow the
// window, a load error shown, the statuses from the API, the failed task's error and
// process-log lines, the dead letter, preview's known first group, and a checkpoint reset through
// the page checked through the SLS API. A PNG of each page goes to test-output/console/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { repoRoot } from '../helpers/cli.js';
import { POISON, startConsoleJob } from '../helpers/consoleJob.js';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
const shots = path.join(repoRoot, 'test-output', 'console');

let c: Awaited<ReturnType<typeof startConsoleJob>>;
let browser: Browser;
let page: Page;

before(async () => {
  assert.ok(CHROMIUM, 'no Chromium: apt-get install chromium (or set CHROMIUM_PATH)');
  mkdirSync(shots, { recursive: true });
  c = await startConsoleJob();
  await c.run();
  browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], headless: true });
  page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
});
after(async () => {
  await browser?.close();
  await c?.close();
});

async function open(tab: string): Promise<void> {
  // a fresh load each time: a goto to the URL the page is already on would not reload it
  await page.goto('about:blank');
  await page.goto(`${c.console.url}#${tab}`);
  await page.waitForSelector(`body[data-loaded="${tab}"]`);
}

const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
const texts = (selector: string) => page.$$eval(selector, (els) => els.map((e) => (e as HTMLElement).innerText.trim()));

test('overview: a row per shard, and a lag series per shard with points', async () => {
  await open('overview');
  const rows = await page.$$eval('#shards tbody tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())),
  );
  assert.deepEqual(
    rows.map((r) => [r[0], r[1], r[2], r[7].split(' ')[0]]),
    [
      ['0', 'readwrite', 'instance-a', 'Success'],
      ['1', 'readwrite', 'instance-a', 'DeadLettered'],
    ],
  );
  // the chart says what it shows (role=img, aria-label): a series per shard and its points
  const lag = await page.$eval('#chart-lag', (e) => [e.getAttribute('role'), e.getAttribute('aria-label') ?? ''] as const);
  assert.equal(lag[0], 'img');
  const perShard = [...lag[1].matchAll(/(shard \d+): (\d+) points/g)].map((m) => [m[1], Number(m[2])] as const);
  assert.deepEqual(
    perShard.map(([label]) => label),
    ['shard 0', 'shard 1'],
  );
  for (const [label, n] of perShard) assert.ok(n >= 3, `${label}: ${n} points`);
  await shot('overview');
});

test('the series are fetched once; each sample over the stream adds its point', async () => {
  let seriesFetches = 0;
  const count = (r: { url(): string }) => void (new URL(r.url()).pathname === '/api/series' && seriesFetches++);
  page.on('request', count);
  try {
    await open('overview');
    await page.waitForSelector('#live.on');
    const points = () => page.$eval('#chart-lag', (e) => Number(/shard 0: (\d+) points/.exec(e.getAttribute('aria-label') ?? '')?.[1]));
    const before = await points();
    await c.console.sample();
    await page.waitForFunction(
      (n) => new RegExp(`shard 0: ${n} points`).test(document.querySelector('#chart-lag')?.getAttribute('aria-label') ?? ''),
      {},
      before + 1,
    );
    await c.console.sample();
    await page.waitForFunction(
      (n) => new RegExp(`shard 0: ${n} points`).test(document.querySelector('#chart-lag')?.getAttribute('aria-label') ?? ''),
      {},
      before + 2,
    );
    assert.equal(seriesFetches, 1);
  } finally {
    page.off('request', count);
  }
});

test('charts follow the window: the canvas takes the new width of its box', async () => {
  await open('overview');
  const wide = await page.$eval('#chart-lag canvas', (cv) => cv.getBoundingClientRect().width);
  await page.setViewport({ width: 700, height: 900 });
  try {
    // the grid goes from three charts a row to one: each box, and so each canvas, changes width
    await page.waitForFunction(
      (before) => {
        const box = document.querySelector('#chart-lag') as HTMLElement;
        const width = box.querySelector('canvas')!.getBoundingClientRect().width;
        return width !== before && Math.abs(width - (box.clientWidth - 4)) < 2;
      },
      {},
      wide,
    );
  } finally {
    await page.setViewport({ width: 1400, height: 900 });
  }
});

test('a console that fails to answer shows what failed, not a blank page', async () => {
  const failing = await browser.newPage();
  try {
    await failing.setRequestInterception(true);
    failing.on('request', (r) =>
      new URL(r.url()).pathname === '/api/overview'
        ? void r.respond({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'ListShards: ServerBusy' }) })
        : void r.continue(),
    );
    await failing.goto(`${c.console.url}#overview`);
    await failing.waitForSelector('#load-error:not([hidden])');
    assert.equal(await failing.$eval('#load-error', (e) => e.textContent), '/api/overview: ListShards: ServerBusy');
  } finally {
    await failing.close();
  }
});

test('with an operator secret: the page asks for it once, then works from the session cookie', async () => {
  const secret = 'operator-secret-for-the-browser';
  const own = await startConsoleJob({ operatorSecret: secret });
  const tab = await browser.newPage();
  try {
    await own.run();
    await tab.goto(own.console.url);
    await tab.waitForSelector('form[action="/login"] input[name="secret"]');
    assert.equal(new URL(tab.url()).pathname, '/login');
    await tab.type('input[name="secret"]', secret);
    await Promise.all([tab.waitForNavigation(), tab.click('form[action="/login"] button[type="submit"]')]);
    await tab.waitForSelector('body[data-loaded="overview"]');
    assert.deepEqual(await tab.$$eval('#shards tbody tr td:first-child', (tds) => tds.map((td) => (td as HTMLElement).innerText)), [
      '0',
      '1',
    ]);
    assert.equal(await tab.$eval('#load-error', (e) => (e as HTMLElement).hidden), true);
    await tab.waitForSelector('#live.on'); // the stream is allowed by the same cookie
  } finally {
    await tab.close();
    await own.close();
  }
});

test('tasks: the filter offers every status the API names; the failed task shows its error and process-log lines', async () => {
  await open('tasks');
  const statuses = (await (await fetch(new URL('/api/overview', c.console.url))).json()) as { taskStatuses: string[] };
  assert.deepEqual(await texts('#task-filter select[name="status"] option'), ['all', ...statuses.taskStatuses]);
  assert.ok(statuses.taskStatuses.includes('Expired') && statuses.taskStatuses.includes('DeadLettered'));
  assert.deepEqual(await texts('#task-table tbody tr td:nth-child(3)'), ['DeadLettered', 'Failed', 'Success']);
  await page.click('#task-table tbody tr[data-status="Failed"]');
  await page.waitForSelector('#task-table .process-log');
  assert.deepEqual(await texts('#task-table .task-error'), [`UnhandledInvocationError: cannot process ${POISON}`]);
  const [log] = await texts('#task-table .process-log');
  assert.match(log, /batch of 6: b0,b1,b2,b3,b4,b5$/);
  const [event] = await texts('#task-table pre.event');
  assert.equal(JSON.parse(event).source.shardId, 1);
  await shot('tasks');
});

test('dead letters: the poison range, with replay and redrive', async () => {
  await open('dead-letters');
  const rows = await texts('#dl-table tbody tr');
  assert.equal(rows.length, 1);
  assert.match(rows[0], new RegExp(`RetriesExhausted[\\s\\S]*6 groups[\\s\\S]*cannot process ${POISON}`));
  await page.click('#dl-table tbody tr button.secondary');
  await page.waitForFunction(() => !(document.querySelector('#dl-result') as HTMLElement).hidden);
  assert.match(await page.$eval('#dl-result', (e) => e.textContent ?? ''), new RegExp(`cannot process ${POISON}`));
  await shot('dead-letters');
});

test('preview: the known first group of a shard', async () => {
  await open('preview');
  await page.waitForSelector('#preview-groups .group');
  const groups = await texts('#preview-groups .group');
  assert.equal(groups.length, 6);
  assert.match(groups[0], /topic=t0/);
  assert.match(groups[0], /id=a0$/);
  await shot('preview');
  await page.$eval('#preview-form input[name="spl"]', (e) => ((e as HTMLInputElement).value = "* | where id = 'a1'"));
  await page.click('#preview-form button[type="submit"]');
  await page.waitForSelector('#preview-spl');
  assert.match(await page.$eval('#preview-spl', (e) => e.textContent ?? ''), /^through SPL: 1 of \d+ lines kept from \d+ log groups$/);
  const kept = await texts('#preview-groups .group');
  assert.equal(kept.length, 1);
  assert.match(kept[0], /id=a1$/);
});

test('checkpoint reset through the page moves the checkpoint (read back through the SLS API)', async () => {
  await open('checkpoints');
  await page.select('#reset-form select[name="shard"]', '1');
  await page.$eval('#reset-form input[name="to"]', (e) => ((e as HTMLInputElement).value = 'begin'));
  await page.click('#reset-form input[name="force"]');
  await page.click('#reset-form button[type="submit"]');
  await page.waitForSelector('#confirm[open]');
  assert.match(
    await page.$eval('#confirm-text', (e) => e.textContent ?? ''),
    /Move the checkpoint of shard 1 to begin, even while a consumer is live\?/,
  );
  await shot('checkpoints-confirm');
  await page.click('#confirm-ok');
  await page.waitForSelector('#reset-result[data-state]');
  assert.equal(await page.$eval('#reset-result', (e) => (e as HTMLElement).dataset.state), 'done');
  const begin = await c.job.client.getCursor({ project: c.project, logstore: 'source', shardId: 1, from: 'begin' });
  const cps = await c.job.client.getCheckpoint({ project: c.project, logstore: 'source', consumerGroup: c.job.config.jobName });
  assert.equal(cps.find((x) => x.shard === 1)?.checkpoint, begin);
  assert.equal(await page.$eval('#reset-result', (e) => e.textContent), `shard 1 → ${begin}`);
  await shot('checkpoints');
});

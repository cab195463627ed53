// The console page: tabs over the JSON API, live samples over server-sent events, and the
// mutations (reset, replay, redrive) sent with this start's token from the page's meta tag.
import { durationChart, lagChart, linesChart } from '/charts.js';
import { $, el, getJson, postJson, shortCursor, statusCell, time } from '/dom.js';

const state = { overview: null, series: null, charts: { lag: {}, lines: {}, duration: {} } };

/** One line that says what failed to load, instead of a blank or stale tab. */
function showLoadError(e) {
  const box = $('#load-error');
  box.textContent = e ? e.message : '';
  box.hidden = !e;
}

// ── Overview ────────────────────────────────────────────────────────────────────────────────
function renderShards(shards) {
  const body = $('#shards tbody');
  body.replaceChildren(
    ...shards.map((s) =>
      el(
        'tr',
        { 'data-shard': s.shardId },
        el('td', {}, String(s.shardId)),
        el('td', {}, s.status),
        el('td', { class: 'mono' }, s.owner || '—'),
        el('td', {}, time(s.checkpointTime)),
        el('td', { class: 'lag' }, s.lagText),
        el('td', {}, s.timeToLossText),
        el('td', {}, String(s.pendingGroups)),
        el(
          'td',
          {},
          s.lastTask
            ? [statusCell(s.lastTask.status), ` ${time(s.lastTask.time)}`, s.lastTask.errorMessage ? ` — ${s.lastTask.errorMessage}` : '']
            : '—',
        ),
      ),
    ),
  );
  const select = $('#reset-form select[name="shard"]');
  const have = new Set([...select.options].map((o) => o.value));
  for (const s of shards) if (!have.has(String(s.shardId))) select.append(el('option', { value: s.shardId }, `shard ${s.shardId}`));
}

function drawCharts() {
  const series = state.series;
  lagChart(state.charts.lag, $('#chart-lag'), series);
  linesChart(state.charts.lines, $('#chart-lines'), series);
  durationChart(state.charts.duration, $('#chart-duration'), series);
}

/** Merges one sample's change to the series (history.ts SeriesDelta): the series are fetched once, at load. */
function mergeSeries(delta) {
  const s = state.series;
  if (!s) return;
  s.lag.push(delta.lag);
  for (const b of delta.intervals) {
    const i = s.intervals.findIndex((x) => x.t === b.t);
    if (i >= 0) s.intervals[i] = b;
    else s.intervals.push(b);
  }
  s.intervals.sort((a, b) => a.t - b.t);
  s.durations.push(...delta.durations);
  s.durations.sort((a, b) => a.t - b.t);
  for (const list of [s.lag, s.intervals, s.durations]) if (list.length > s.keep) list.splice(0, list.length - s.keep);
}

function fillStatusFilter(statuses) {
  const select = $('#task-filter select[name="status"]');
  if (select.options.length > 1) return;
  for (const status of statuses) select.append(el('option', {}, status));
}

async function loadOverview() {
  const o = await getJson('/api/overview');
  state.overview = o;
  $('#job').textContent =
    `${o.job.name.slice(0, 12)}…  ${o.job.project}/${o.job.logstore}  every ${o.job.triggerInterval}s → ${o.job.target.split('/').slice(-3).join('/')}  (${o.mode})`;
  $('#job').title = o.job.target;
  fillStatusFilter(o.taskStatuses);
  renderShards(o.shards);
  state.series = await getJson('/api/series');
  drawCharts();
}

function connect() {
  const es = new EventSource('/api/stream');
  es.onopen = () => {
    $('#live').classList.add('on');
    // the console is back (or was never reached at the first load): load what is missing
    if (!state.series) void show();
  };
  es.onerror = () => $('#live').classList.remove('on');
  es.addEventListener('sample', (m) => {
    const s = JSON.parse(m.data);
    renderShards(s.shards);
    mergeSeries(s.series);
    if (state.series) drawCharts();
    if (s.tasks.length > 0 && location.hash === '#tasks') void loadTasks();
  });
}

// ── Tasks ───────────────────────────────────────────────────────────────────────────────────
function taskRow(t) {
  const row = el(
    'tr',
    { class: 'expandable', 'data-task': t.task_id, 'data-status': t.task_status },
    el('td', {}, time(t.end_time)),
    el('td', {}, String(t.shard_id)),
    el('td', {}, statusCell(t.task_status)),
    el('td', {}, String(t.attempt)),
    el(
      'td',
      { class: 'mono', title: `${t.begin_cursor} – ${t.end_cursor}` },
      `[${shortCursor(t.begin_cursor)}, ${shortCursor(t.end_cursor)})`,
    ),
    el('td', {}, `${t.ingest_lines} / ${t.ship_lines}`),
    el('td', {}, String(t.duration_ms)),
    el('td', { class: 'error' }, t.error_message ? `${t.error_code ?? ''}: ${t.error_message}` : ''),
  );
  row.addEventListener('click', () => toggleDetail(row, t));
  return row;
}

async function toggleDetail(row, t) {
  if (row.nextSibling?.classList?.contains('detail')) return row.nextSibling.remove();
  const cell = el('td', { colspan: 8 }, 'loading…');
  row.after(el('tr', { class: 'detail' }, cell));
  const q = new URLSearchParams({
    shard: t.shard_id,
    begin: t.begin_cursor,
    end: t.end_cursor || t.begin_cursor,
    since: Math.max(0, t.start_time - 5),
  });
  if (t.request_id) q.set('requestId', t.request_id);
  try {
    const d = await getJson(`/api/task?${q}`);
    const parts = [
      el('h4', {}, 'event'),
      el('pre', { class: 'event' }, JSON.stringify(d.event, null, 2)),
      el('h4', {}, 'result'),
      el('pre', { class: 'function-result' }, t.function_result ?? '—'),
      ...(t.error_message ? [el('h4', {}, 'error'), el('pre', { class: 'task-error' }, `${t.error_code ?? ''}: ${t.error_message}`)] : []),
      el('h4', {}, `process log${d.processLog ? ` (${d.processLog})` : ''}`),
      el('pre', { class: 'process-log' }, d.logs.length ? d.logs.join('\n') : '(no lines)'),
    ];
    cell.replaceChildren(...parts);
  } catch (e) {
    cell.textContent = e.message;
  }
}

async function loadTasks() {
  const f = new FormData($('#task-filter'));
  const q = new URLSearchParams();
  if (f.get('shard')) q.set('shard', f.get('shard'));
  if (f.get('status')) q.set('status', f.get('status'));
  for (const k of ['from', 'to']) if (f.get(k)) q.set(k, String(Math.floor(new Date(f.get(k)).getTime() / 1000)));
  const { tasks } = await getJson(`/api/tasks?${q}`);
  $('#task-table tbody').replaceChildren(
    ...(tasks.length ? tasks.map(taskRow) : [el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'no tasks'))]),
  );
}

// ── Dead letters ────────────────────────────────────────────────────────────────────────────
async function act(button, run) {
  const out = $('#dl-result');
  button.disabled = true;
  try {
    out.textContent = JSON.stringify(await run(), null, 2);
  } catch (e) {
    out.textContent = e.message;
  } finally {
    out.hidden = false;
    button.disabled = false;
  }
}

async function loadDeadLetters() {
  const { target, letters } = await getJson('/api/dead-letters');
  $('#dl-target').textContent = target
    ? `dead letters in ${target}`
    : 'the job has no dead letter configured (onRetriesExhausted: deadLetter)';
  const canInvoke = state.overview?.job.canInvoke;
  $('#dl-table tbody').replaceChildren(
    ...letters.map((l) => {
      const replay = el('button', { class: 'secondary', disabled: canInvoke ? undefined : 'disabled' }, 'Replay this range');
      replay.addEventListener('click', () =>
        act(replay, () => postJson('/api/replay', { shardId: l.shardId, beginCursor: l.beginCursor, endCursor: l.endCursor })),
      );
      const again = el('button', { disabled: canInvoke ? undefined : 'disabled' }, 'Redrive');
      again.addEventListener('click', () => act(again, () => postJson('/api/dead-letters/redrive', { id: l.id })).then(loadDeadLetters));
      return el(
        'tr',
        { 'data-letter': l.id },
        el('td', {}, time(l.time)),
        el('td', {}, String(l.shardId)),
        el('td', {}, l.reason),
        el(
          'td',
          { class: 'mono', title: `${l.beginCursor} – ${l.endCursor}` },
          `[${shortCursor(l.beginCursor)}, ${shortCursor(l.endCursor)})`,
        ),
        el('td', {}, l.data.included ? `${l.data.groups} groups, ${l.data.bytes} B${l.data.truncated ? ' (cut)' : ''}` : 'not saved'),
        el('td', {}, l.errorMessage),
        el('td', {}, l.redriven ? time(l.redriven.time) : '—'),
        el('td', {}, replay, ' ', again),
      );
    }),
  );
}

// ── Preview ─────────────────────────────────────────────────────────────────────────────────
async function loadPreview() {
  const f = new FormData($('#preview-form'));
  const q = new URLSearchParams({ shard: f.get('shard') || '0', from: f.get('from') || 'begin', count: f.get('count') || '10' });
  if (f.get('spl')) q.set('spl', f.get('spl'));
  const out = $('#preview-groups');
  try {
    const { groups, spl } = await getJson(`/api/preview?${q}`);
    const counts = spl
      ? [
          el(
            'p',
            { class: 'muted', id: 'preview-spl' },
            `through SPL: ${spl.resultLines} of ${spl.rawLines} lines kept from ${spl.rawGroups} log groups${spl.failedLines ? `, ${spl.failedLines} failed` : ''}`,
          ),
        ]
      : [];
    out.replaceChildren(
      ...counts,
      ...(groups.length === 0
        ? [el('p', { class: 'muted' }, spl ? 'nothing kept by the SPL there' : 'no log groups from there')]
        : groups.map((g) =>
            el(
              'div',
              { class: 'group', 'data-cursor': g.cursor ?? '' },
              el(
                'h3',
                {},
                `${g.cursor ? `cursor ${g.cursor}  ` : ''}topic=${g.topic ?? ''}  source=${g.source ?? ''}  ${g.logTags.map((t) => `${t.key}=${t.value}`).join(' ')}`,
              ),
              el(
                'table',
                {},
                ...g.logs.map((l) =>
                  el('tr', {}, el('td', {}, time(l.time)), el('td', {}, l.contents.map((c) => `${c.key}=${c.value}`).join('  '))),
                ),
              ),
            ),
          )),
    );
  } catch (e) {
    out.replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

// ── Checkpoint reset ────────────────────────────────────────────────────────────────────────
function resetSubmit(ev) {
  ev.preventDefault();
  const f = new FormData($('#reset-form'));
  const shard = f.get('shard');
  const to = String(f.get('to') || 'end').trim();
  const force = f.get('force') === 'on';
  $('#confirm-text').textContent =
    `Move the checkpoint of ${shard === '' ? 'every shard' : `shard ${shard}`} to ${to}${force ? ', even while a consumer is live' : ''}?`;
  const dialog = $('#confirm');
  dialog.onclose = async () => {
    if (dialog.returnValue !== 'ok') return;
    const out = $('#reset-result');
    out.hidden = false;
    try {
      const body = { to: /^\d+$/.test(to) ? Number(to) : to, force, ...(shard === '' ? {} : { shardId: Number(shard) }) };
      const r = await postJson('/api/checkpoints/reset', body);
      out.textContent = r.checkpoints.map((c) => `shard ${c.shardId} → ${c.checkpoint}`).join('\n');
      out.dataset.state = 'done';
    } catch (e) {
      out.textContent = e.message;
      out.dataset.state = 'refused';
    }
  };
  dialog.showModal();
}

// ── Tabs ────────────────────────────────────────────────────────────────────────────────────
const loaders = {
  overview: loadOverview,
  tasks: loadTasks,
  'dead-letters': loadDeadLetters,
  preview: loadPreview,
  checkpoints: async () => undefined,
};
async function show() {
  const tab = location.hash.slice(1) || 'overview';
  for (const s of document.querySelectorAll('.tab')) s.hidden = s.id !== tab;
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.tab === tab);
  document.body.dataset.loading = tab;
  try {
    // every tab needs the job (what it can invoke, the statuses): the overview loads it
    if (!state.overview && tab !== 'overview') await loadOverview();
    await (loaders[tab] ?? loadOverview)();
    showLoadError(null);
  } catch (e) {
    showLoadError(e);
  } finally {
    document.body.dataset.loaded = tab;
    delete document.body.dataset.loading;
  }
}

$('#task-filter').addEventListener('submit', (e) => (e.preventDefault(), void loadTasks()));
$('#preview-form').addEventListener('submit', (e) => (e.preventDefault(), void loadPreview()));
$('#reset-form').addEventListener('submit', resetSubmit);
window.addEventListener('hashchange', () => void show());
await show();
connect();

// The overview's three charts, drawn with uPlot (served from the package, no network): lag per
// shard (the ten largest in colour, the rest thin and grey), lines and bytes ingested vs shipped per
// trigger interval, and invocation durations per shard.
import uPlot from '/vendor/uPlot.esm.js';

const PALETTE = ['#1f6feb', '#d1495b', '#2d8a4e', '#b7791f', '#8250df', '#0a9396', '#e36414', '#5f0f40', '#6a994e', '#3d405b'];
const TOP = 10;
const X = { time: true };

function size(el) {
  return { width: Math.max(320, el.clientWidth - 4), height: 220 };
}

/** What a chart shows, in words, for screen readers: each series and how many points it has. */
function describe(chart, data) {
  return chart.series
    .slice(1)
    .map((s, i) => `${s.label}: ${data[i + 1].filter((v) => v !== null && v !== undefined).length} points`)
    .join('; ');
}

/** Recreates the chart when its series change, else only swaps the data; follows its box's width. */
function render(slot, el, key, makeOpts, data) {
  if (slot.chart && slot.key === key) slot.chart.setData(data);
  else {
    slot.chart?.destroy();
    el.textContent = '';
    slot.key = key;
    slot.chart = new uPlot({ ...size(el), ...makeOpts() }, data, el);
  }
  if (!slot.resize) {
    slot.resize = new ResizeObserver(() => slot.chart?.setSize(size(el)));
    slot.resize.observe(el);
  }
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', describe(slot.chart, data));
  // a single point (one interval so far) would make uPlot span years: a minute either side of it
  const xs = data[0];
  if (xs.length > 0 && xs[0] === xs[xs.length - 1]) slot.chart.setScale('x', { min: xs[0] - 60, max: xs[0] + 60 });
  return slot.chart;
}

export function lagChart(slot, el, series) {
  const shards = [...new Set(series.lag.flatMap((s) => Object.keys(s.lag).map(Number)))].sort((a, b) => a - b);
  const last = series.lag.at(-1)?.lag ?? {};
  const top = new Set([...shards].sort((a, b) => (last[b] ?? 0) - (last[a] ?? 0)).slice(0, TOP));
  const xs = series.lag.map((s) => s.t / 1000);
  const data = [xs, ...shards.map((id) => series.lag.map((s) => s.lag[id] ?? null))];
  const key = `${shards.join(',')}|${[...top].join(',')}`;
  return render(
    slot,
    el,
    key,
    () => ({
      scales: { x: X },
      series: [
        {},
        ...shards.map((id, i) =>
          top.has(id)
            ? { label: `shard ${id}`, stroke: PALETTE[i % PALETTE.length], width: 2, points: { show: true, size: 4 } }
            : { label: `shard ${id}`, stroke: '#c4c9d0', width: 1, points: { show: false } },
        ),
      ],
      axes: [{}, { label: 's' }],
    }),
    data,
  );
}

export function linesChart(slot, el, series) {
  const xs = series.intervals.map((b) => b.t);
  const kib = (n) => +(n / 1024).toFixed(1);
  const data = [
    xs,
    series.intervals.map((b) => b.ingestLines),
    series.intervals.map((b) => b.shipLines),
    series.intervals.map((b) => kib(b.ingestBytes)),
    series.intervals.map((b) => kib(b.shipBytes)),
  ];
  return render(
    slot,
    el,
    'lines',
    () => ({
      scales: { x: X, kib: {} },
      series: [
        {},
        { label: 'lines in', stroke: '#1f6feb', width: 2, points: { show: true, size: 5 } },
        { label: 'lines out', stroke: '#2d8a4e', width: 2, dash: [6, 4], points: { show: true, size: 5 } },
        { label: 'KiB in', scale: 'kib', stroke: '#b7791f', width: 1, points: { show: true, size: 4 } },
        { label: 'KiB out', scale: 'kib', stroke: '#8250df', width: 1, dash: [3, 3], points: { show: true, size: 4 } },
      ],
      axes: [{}, { label: 'lines' }, { scale: 'kib', side: 1, label: 'KiB', grid: { show: false } }],
    }),
    data,
  );
}

export function durationChart(slot, el, series) {
  const shards = [...new Set(series.durations.map((d) => d.shardId))].sort((a, b) => a - b);
  const xs = [...new Set(series.durations.map((d) => d.t))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const data = [xs, ...shards.map(() => xs.map(() => null))];
  for (const d of series.durations) {
    const row = data[1 + shards.indexOf(d.shardId)];
    const i = at.get(d.t);
    row[i] = Math.max(row[i] ?? 0, d.ms);
  }
  return render(
    slot,
    el,
    `d${shards.join(',')}`,
    () => ({
      scales: { x: X },
      series: [
        {},
        ...shards.map((id, i) => ({
          label: `shard ${id}`,
          stroke: PALETTE[i % PALETTE.length],
          paths: () => null,
          points: { show: true, size: 7, fill: PALETTE[i % PALETTE.length] },
        })),
      ],
      axes: [{}, { label: 'ms' }],
    }),
    data,
  );
}

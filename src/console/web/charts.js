// The overview's three charts, drawn with uPlot (served from the package, no network): lag per
// shard (the ten largest in colour, the rest thin and grey), lines ingested vs shipped per trigger
// interval, and invocation durations per shard.
import uPlot from '/vendor/uPlot.esm.js';

const PALETTE = ['#1f6feb', '#d1495b', '#2d8a4e', '#b7791f', '#8250df', '#0a9396', '#e36414', '#5f0f40', '#6a994e', '#3d405b'];
const TOP = 10;

function size(el) {
  return { width: Math.max(320, el.clientWidth - 4), height: 220 };
}

/** Recreates the chart when its series change, else only swaps the data. */
function render(slot, el, key, makeOpts, data) {
  if (slot.chart && slot.key === key) {
    slot.chart.setData(data);
    return slot.chart;
  }
  slot.chart?.destroy();
  el.textContent = '';
  slot.key = key;
  slot.chart = new uPlot({ ...size(el), ...makeOpts() }, data, el);
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
      scales: { x: { time: true } },
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
  const data = [xs, series.intervals.map((b) => b.ingestLines), series.intervals.map((b) => b.shipLines)];
  return render(
    slot,
    el,
    'lines',
    () => ({
      scales: { x: { time: true } },
      series: [
        {},
        { label: 'ingested', stroke: '#1f6feb', width: 2, points: { show: true, size: 5 } },
        { label: 'shipped', stroke: '#2d8a4e', width: 2, dash: [6, 4], points: { show: true, size: 5 } },
      ],
      axes: [{}, { label: 'lines' }],
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
      scales: { x: { time: true } },
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

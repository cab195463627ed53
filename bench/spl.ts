// bench/spl: the LogHub's SPL step — decode a PullLogs body, run `* | where status = '500'` on every
// log, encode what it keeps — against protobufjs merely decoding the same bytes, in the same run.
// Usage: tsx bench/spl.ts [--json] [--mb 5] [--ms 3000]
import { decodeLogGroupListFast, LogGroupListType } from '../src/codec/index.js';
import { compileSpl, parseSpl, runSpl } from '../src/spl/index.js';
import { nginxBody, numberFlag, report, timeBest, wantsJson } from './args.js';

const targetMb = numberFlag('mb', 5);
const minMs = numberFlag('ms', 3000);
const { groups, body } = nginxBody(targetMb);
const bytes = Buffer.from(body);
const mb = bytes.byteLength / (1024 * 1024);
const STATEMENTS = {
  where: "* | where status = '500'",
  whereProject: "* | where status = '500' | project status, request_uri",
  castCompare: '* | where cast(body_bytes_sent as bigint) > 4000',
} as const;

let kept = 0;
const splMBs: Record<string, number> = {};
const keptLines: Record<string, number> = {};
for (const [name, src] of Object.entries(STATEMENTS)) {
  const spl = compileSpl(parseSpl(src));
  const ms = timeBest(() => {
    const r = runSpl(spl, decodeLogGroupListFast(bytes));
    kept = r.resultLines;
  }, minMs);
  splMBs[name] = mb / (ms / 1000);
  keptLines[name] = kept;
}
let sink = 0;
const protobufjsMs = timeBest(() => {
  sink += (LogGroupListType.decode(bytes) as unknown as { logGroupList: unknown[] }).logGroupList.length;
}, minMs);
const protobufjsMBs = mb / (protobufjsMs / 1000);
const logs = groups.reduce((n, g) => n + g.logs.length, 0);
const ratio = splMBs.where / protobufjsMBs;
report(
  wantsJson(),
  {
    bench: 'spl',
    bodyMB: +mb.toFixed(2),
    logs,
    keptLines,
    splMBps: Object.fromEntries(Object.entries(splMBs).map(([k, v]) => [k, +v.toFixed(1)])),
    protobufjsDecodeMBps: +protobufjsMBs.toFixed(1),
    ratio: +ratio.toFixed(2),
    ratios: Object.fromEntries(Object.entries(splMBs).map(([k, v]) => [k, +(v / protobufjsMBs).toFixed(2)])),
    sink,
  },
  [
    `body: ${mb.toFixed(2)} MB raw, ${groups.length} log groups, ${logs} logs`,
    ...Object.entries(STATEMENTS).map(
      ([k, src]) =>
        `${src.padEnd(56)} ${splMBs[k].toFixed(1)} MB/s (${keptLines[k]} lines kept), ${(splMBs[k] / protobufjsMBs).toFixed(2)}x`,
    ),
    `protobufjs decode only:                                  ${protobufjsMBs.toFixed(1)} MB/s`,
    `ratio (where vs protobufjs decode): ${ratio.toFixed(2)}x (target >= 2x)`,
  ],
);

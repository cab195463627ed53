// bench/decode: our LogGroupList decoder vs protobufjs on the same ~5 MB nginx-like body.
// Usage: tsx bench/decode.ts [--json] [--mb 5] [--ms 3000]
import { decodeLogGroupListFast, LogGroupListType, lz4Implementation } from '../src/codec/index.js';
import { nginxBody, numberFlag, report, timeBest, wantsJson } from './args.js';

const targetMb = numberFlag('mb', 5);
const minMs = numberFlag('ms', 3000);
const { groups, body } = nginxBody(targetMb);
const mb = body.byteLength / (1024 * 1024);
// Both sides decode and then read every key and value string, so lazy decoding gains nothing unfair.
let sink = 0;
const ours = timeBest(() => {
  for (const g of decodeLogGroupListFast(body)) {
    for (let i = 0; i < g.logCount; i++) {
      sink += g.time(i);
      for (let j = 0, n = g.fieldCount(i); j < n; j++) sink += g.key(i, j).length + g.value(i, j).length;
    }
  }
}, minMs);
interface PbList {
  logGroupList: { logs: { time: number; contents: { key: string; value: string }[] }[] }[];
}
const theirs = timeBest(() => {
  const list = LogGroupListType.decode(body) as unknown as PbList;
  for (const g of list.logGroupList) {
    for (const log of g.logs) {
      sink += log.time;
      for (const c of log.contents) sink += c.key.length + c.value.length;
    }
  }
}, minMs);
const oursMBs = mb / (ours / 1000);
const theirsMBs = mb / (theirs / 1000);
const ratio = oursMBs / theirsMBs;
const logs = groups.reduce((n, g) => n + g.logs.length, 0);
report(
  wantsJson(),
  {
    bench: 'decode',
    bodyMB: +mb.toFixed(2),
    groups: groups.length,
    logs,
    oursMBps: +oursMBs.toFixed(1),
    protobufjsMBps: +theirsMBs.toFixed(1),
    ratio: +ratio.toFixed(2),
    lz4: lz4Implementation,
    sink,
  },
  [
    `body: ${mb.toFixed(2)} MB raw, ${groups.length} log groups, ${logs} logs x 14 fields`,
    `ours:       ${oursMBs.toFixed(1)} MB/s`,
    `protobufjs: ${theirsMBs.toFixed(1)} MB/s`,
    `ratio:      ${ratio.toFixed(2)}x`,
  ],
);

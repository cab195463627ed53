import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from '../helpers/fastCheck.js';
import {
  CodecError,
  decodeLogGroup,
  decodeLogGroupList,
  decodeLogGroupListFast,
  decodeLogGroupListReference,
  decodeLogGroupReference,
  encodeLogGroup,
  encodeLogGroupList,
  splitLogGroupList,
  validateLogGroup,
  type LogGroup,
} from '../../src/codec/index.js';

const str = fc.string({ unit: 'grapheme', maxLength: 40 });
// values up to 400 chars exercise 1- and 2-byte length prefixes (the decoders' fast paths and fallbacks)
const kv = fc.record({ key: str, value: fc.oneof(str, fc.string({ minLength: 100, maxLength: 400 })) });
const log = fc.record(
  {
    time: fc.integer({ min: 0, max: 0xffffffff }),
    contents: fc.array(kv, { maxLength: 8 }),
    timeNs: fc.integer({ min: 0, max: 999_999_999 }),
  },
  { requiredKeys: ['time', 'contents'] },
);
const group: fc.Arbitrary<LogGroup> = fc.record(
  {
    logs: fc.array(log, { maxLength: 6 }),
    reserved: str,
    topic: str,
    source: str,
    machineUUID: str,
    logTags: fc.array(kv, { maxLength: 4 }),
  },
  { requiredKeys: ['logs', 'logTags'] },
);

test('field numbers and wire types match the SLS .proto (golden bytes)', () => {
  const bytes = encodeLogGroup({
    logs: [{ time: 1, contents: [{ key: 'k', value: 'v' }], timeNs: 2 }],
    topic: 't',
    source: 's',
    machineUUID: 'm',
    logTags: [{ key: 'a', value: 'b' }],
  });
  // Log{1:varint 1, 2:{1:"k",2:"v"}, 4:fixed32 2}; Topic=3; Source=4; MachineUUID=5; LogTags=6
  // Build the expectation by hand so a renumbered field is caught:
  const hand = Buffer.concat([
    Buffer.from([0x0a, 0x0f, 0x08, 0x01, 0x12, 0x06, 0x0a, 0x01, 0x6b, 0x12, 0x01, 0x76, 0x25, 0x02, 0x00, 0x00, 0x00]),
    Buffer.from([0x1a, 0x01, 0x74, 0x22, 0x01, 0x73, 0x2a, 0x01, 0x6d]),
    Buffer.from([0x32, 0x06, 0x0a, 0x01, 0x61, 0x12, 0x01, 0x62]),
  ]);
  assert.deepEqual(Buffer.from(bytes), hand);
});

test('fast decoder equals protobufjs on random LogGroupLists', () => {
  fc.assert(
    fc.property(fc.array(group, { maxLength: 5 }), (groups) => {
      const bytes = encodeLogGroupList(groups);
      assert.deepStrictEqual(decodeLogGroupList(bytes), decodeLogGroupListReference(bytes));
    }),
    { numRuns: 400 },
  );
});

test('fast decoder equals protobufjs on a single LogGroup and keeps byte ranges', () => {
  fc.assert(
    fc.property(fc.array(group, { minLength: 1, maxLength: 4 }), (groups) => {
      const list = Buffer.from(encodeLogGroupList(groups));
      const slices = splitLogGroupList(list);
      const views = decodeLogGroupListFast(list);
      assert.equal(slices.length, groups.length);
      groups.forEach((g, i) => {
        const own = Buffer.from(encodeLogGroup(g));
        assert.deepEqual(list.subarray(slices[i].start, slices[i].end), own);
        assert.equal(views[i].byteLength, own.length);
        assert.deepStrictEqual(decodeLogGroup(own), decodeLogGroupReference(own));
      });
    }),
    { numRuns: 200 },
  );
});

test('lazy view reads every field like the materialised form', () => {
  const g: LogGroup = {
    logs: [
      {
        time: 5,
        contents: [
          { key: 'a', value: 'héllo wörld, long enough to skip the short path' },
          { key: 'b', value: '' },
        ],
      },
      { time: 6, contents: [{ key: 'a', value: 'x' }], timeNs: 7 },
    ],
    logTags: [],
  };
  const [v] = decodeLogGroupListFast(encodeLogGroupList([g]));
  assert.equal(v.logCount, 2);
  assert.equal(v.value(0, 0), 'héllo wörld, long enough to skip the short path');
  assert.equal(v.key(1, 0), 'a');
  assert.equal(v.timeNs(0), undefined);
  assert.equal(v.timeNs(1), 7);
  assert.equal(v.fieldCount(0), 2);
});

test('lazy view values are exact in groups of many 16 KB text pieces, across piece edges, read in any order', () => {
  // values from a few bytes to past a piece (16 KB), ASCII and not, so some straddle piece edges
  const text = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.nat(40_000).map((n) => 'v'.repeat(n)),
    fc.tuple(fc.nat(20_000), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 })).map(([n, u]) => 'a'.repeat(n) + u),
  );
  const bigLog = fc.record({ time: fc.nat(), contents: fc.array(fc.record({ key: str, value: text }), { maxLength: 12 }) });
  const bigGroup = fc.record({ logs: fc.array(bigLog, { minLength: 1, maxLength: 12 }), logTags: fc.array(kv, { maxLength: 0 }) });
  fc.assert(
    fc.property(bigGroup, fc.integer(), (g, seed) => {
      const [v] = decodeLogGroupListFast(encodeLogGroupList([g]));
      const cells = g.logs.flatMap((l, i) => l.contents.map((c, j) => ({ i, j, value: c.value })));
      // a fixed shuffle from the seed: pieces get made in any order
      cells.sort((a, b) => (((a.i * 31 + a.j) * seed) % 7) - (((b.i * 31 + b.j) * seed) % 7));
      for (const c of cells) assert.equal(v.value(c.i, c.j), c.value);
    }),
    { numRuns: 60 },
  );
});

test('malformed input gives CodecError, never a crash or a hang', () => {
  const valid = Buffer.from(
    encodeLogGroupList([{ logs: [{ time: 1, contents: [{ key: 'k', value: 'v'.repeat(200) }] }], logTags: [{ key: 'x', value: 'y' }] }]),
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(255), (garbage, pos, byte) => {
      for (const input of [Buffer.from(garbage), Buffer.concat([valid.subarray(0, pos % valid.length), Buffer.from([byte])])]) {
        try {
          decodeLogGroupListFast(input);
        } catch (e) {
          assert.ok(e instanceof CodecError, `expected CodecError, got ${e}`);
        }
      }
    }),
    { numRuns: 2000 },
  );
  for (let cut = 1; cut < valid.length; cut++) {
    assert.throws(() => decodeLogGroupList(valid.subarray(0, cut)), CodecError);
  }
  assert.throws(() => decodeLogGroupList(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x07])), /runs past the end/);
  assert.throws(() => decodeLogGroupList(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])), /length longer than 31 bits/);
  assert.throws(() => decodeLogGroupList(Buffer.from([0x0a, 0x02, 0x08, 0x01])), /wire type 0, expected 2/);
  assert.throws(() => decodeLogGroupList(Buffer.from([0x0a, 0x02, 0x0a, 0x00])), /missing its required Time/);
  assert.throws(() => decodeLogGroupList(Buffer.from(Array(12).fill(0xff))), /varint longer than 10 bytes|truncated/);
});

test('unknown fields are skipped, as protobuf requires', () => {
  const g = Buffer.from(encodeLogGroup({ logs: [{ time: 9, contents: [] }], logTags: [] }));
  const extra = Buffer.concat([g, Buffer.from([0x38, 0x05, 0x41, 1, 2, 3, 4, 5, 6, 7, 8, 0x4a, 0x01, 0x00])]);
  assert.deepStrictEqual(decodeLogGroup(extra), decodeLogGroupReference(extra));
});

test('validateLogGroup accepts exactly what the decoder accepts, and counts logs', () => {
  fc.assert(
    fc.property(group, fc.nat(), fc.nat(255), (g, pos, byte) => {
      const bytes = Buffer.from(encodeLogGroup(g));
      assert.equal(validateLogGroup(bytes).logCount, g.logs.length);
      const cut = Buffer.concat([bytes.subarray(0, pos % (bytes.length + 1)), Buffer.from([byte])]);
      const flipped = Buffer.from(bytes);
      if (flipped.length > 0) flipped[pos % flipped.length] = byte;
      for (const bad of [cut, flipped]) {
        let decoded = true;
        try {
          decodeLogGroup(bad);
        } catch {
          decoded = false;
        }
        let valid = true;
        try {
          validateLogGroup(bad);
        } catch (e) {
          assert.ok(e instanceof CodecError);
          valid = false;
        }
        assert.equal(valid, decoded, `validator and decoder disagree on ${bad.toString('hex')}`);
      }
    }),
    { numRuns: 1000 },
  );
});

/** Whether `fn` returns without throwing; a throw must be the codec's own error. */
function accepts(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    assert.ok(e instanceof CodecError, `expected CodecError, got ${e}`);
    return false;
  }
}

// Inputs on which the decoder and the validator once disagreed: both must refuse each.
const crossesLogBoundary = [
  '0a0608f8e3a201080add0108c891d0f406121b0a001217f09da1bfe286a9f096ac92f092859af09496baf090b2aa',
  '0a0608f8e3a20108', // a Log ending in the Time tag without its value
  '0a03080100', // a Log ending in field number 0
  '0a0608ffff81010a', // a Log ending in a tag with the wrong wire type and no value
  '0a0308010025', // a Log ending in the Time_ns tag without its 4 bytes
  '0a030801001201', // a Log ending in a Content tag whose length is cut
];

/** Neither the decoder nor the validator accepts the bytes `hex`. */
function assertBothReject(hex: string): void {
  const bytes = Buffer.from(hex, 'hex');
  assert.equal(
    accepts(() => decodeLogGroup(bytes)),
    false,
    `decoder accepted ${hex}`,
  );
  assert.equal(
    accepts(() => validateLogGroup(bytes)),
    false,
    `validator accepted ${hex}`,
  );
}

test('a Log whose last field runs past its end is rejected by decoder and validator alike', () => {
  for (const hex of crossesLogBoundary) {
    assertBothReject(hex);
  }
});

test('field number 0 is rejected at every level', () => {
  for (const hex of ['0000', '32080a81001203010101', '0a0408011000', '320600000a001200']) {
    assertBothReject(hex);
  }
  assert.throws(() => decodeLogGroupList(Buffer.from('0000', 'hex')), /field number 0/);
  assert.throws(() => splitLogGroupList(Buffer.from('0000', 'hex')), /field number 0/);
});

test('overlong length varints decode as protobufjs decodes them', () => {
  // Content key length written as 81 00 (= 1 in two bytes): key "\x12", value "A" x 17.
  const content = Buffer.from('0a1b080112170a81001212114141414141414141414141414141414141', 'hex');
  assert.deepStrictEqual(decodeLogGroup(content), decodeLogGroupReference(content));
  assert.equal(decodeLogGroup(content).logs[0].contents[0].key, '\x12');
  assert.equal(validateLogGroup(content).logCount, 1);
  // The same in a LogTag, an overlong Log length, Content length, and Time (1 in 5 bytes).
  for (const hex of ['32070a81006b120176', '0a82000801', '0a09080112840' + '00a001200', '0a0c088180808000' + '12040a001200']) {
    const bytes = Buffer.from(hex, 'hex');
    assert.deepStrictEqual(decodeLogGroup(bytes), decodeLogGroupReference(bytes), hex);
    assert.equal(validateLogGroup(bytes).logCount, decodeLogGroup(bytes).logs.length, hex);
  }
  const longTime = Buffer.from('0a0c08ffffffff0f12040a001200', 'hex');
  assert.deepStrictEqual(decodeLogGroup(longTime), decodeLogGroupReference(longTime));
});

const mutation = fc.record({ at: fc.nat(), byte: fc.nat(255), kind: fc.constantFrom('flip', 'insert', 'delete', 'cut') });

function mutate(bytes: Buffer, m: { at: number; byte: number; kind: string }): Buffer {
  const at = m.at % (bytes.length + 1);
  if (m.kind === 'insert') return Buffer.concat([bytes.subarray(0, at), Buffer.from([m.byte]), bytes.subarray(at)]);
  if (m.kind === 'delete') return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
  if (m.kind === 'cut') return bytes.subarray(0, at);
  const out = Buffer.from(bytes);
  if (out.length > 0) out[at % out.length] = m.byte;
  return out;
}

test('whatever the decoder accepts, it decodes as protobufjs does; the validator agrees', () => {
  fc.assert(
    fc.property(group, fc.array(mutation, { minLength: 1, maxLength: 3 }), (g, mutations) => {
      const bad = mutations.reduce(mutate, Buffer.from(encodeLogGroup(g)));
      const decoded = accepts(() => decodeLogGroup(bad));
      assert.equal(
        accepts(() => validateLogGroup(bad)),
        decoded,
        `validator and decoder disagree on ${bad.toString('hex')}`,
      );
      if (!decoded) return;
      let reference;
      try {
        reference = decodeLogGroupReference(bad);
      } catch {
        return; // protobufjs rejects a few things protobuf allows (e.g. invalid UTF-8 is fine for both)
      }
      assert.deepStrictEqual(decodeLogGroup(bad), reference, `decoder differs from protobufjs on ${bad.toString('hex')}`);
    }),
    { numRuns: 2000 },
  );
});

// What each fuzz target checks on one input. A check returns the input's outcome; a broken
// promise (a foreign error type, a disagreement, a wrong decode) is thrown as a Finding.
import { isDeepStrictEqual } from 'node:util';
import { decodeLz4Block, jsLz4, nativeLz4, type Lz4Binding } from '../src/codec/lz4Block.js';
import {
  CodecError,
  CompressType,
  decodeCursor,
  decodeLogGroup,
  decodeLogGroupList,
  decodeLogGroupListReference,
  decodeLogGroupReference,
  decompress,
  encodeCursor,
  splitLogGroupList,
  validateLogGroup,
  type LogGroup,
} from '../src/codec/index.js';
import { parseEvent, ValidationError } from '../src/event/index.js';
import { compileSpl, parseSpl, runSpl, SplError } from '../src/spl/index.js';
import { compressedInput, cursorInput, eventInput, protobufInput, splInput, validLogGroup, validLogGroupList, type Rnd } from './inputs.js';
import { decodeLogGroupListFast, encodeLogGroupList } from '../src/codec/index.js';
import { checkResponseStream, responseStream, showResponseStream, StreamFinding, type ResponseStream } from './responses.js';

export class Finding extends Error {
  override readonly name = 'Finding';
  constructor(
    readonly kind: 'foreign-error' | 'disagreement' | 'reference' | 'not-canonical',
    message: string,
  ) {
    super(message);
  }
}

/**
 * accepted: decoded (and equal to protobufjs); rejected: the project's own error; stricter: we
 * reject what protobufjs accepts; lenientUtf8: we accept a string that is not UTF-8, which
 * protobufjs 8 rejects (proto2 allows it; docs/reliability.md)
 */
export type Outcome = 'accepted' | 'rejected' | 'stricter' | 'lenientUtf8';
export const OUTCOMES: readonly Outcome[] = ['accepted', 'rejected', 'stricter', 'lenientUtf8'];

const NOT_UTF8 = /not valid for encoding utf-8/;
const OPTIONAL_STRINGS = ['reserved', 'topic', 'source', 'machineUUID'] as const;

/** protobufjs's toObject leaves out an optional string that is present but empty; ours keeps "". */
function withoutEmptyOptionals(g: LogGroup): LogGroup {
  const out = { ...g };
  for (const k of OPTIONAL_STRINGS) if (out[k] === '') delete out[k];
  return out;
}

function sameAsReference(ours: LogGroup[], ref: Attempt<LogGroup[]>): Outcome {
  if (!ref.ok) {
    if (NOT_UTF8.test(ref.error.message)) return 'lenientUtf8';
    throw new Finding('reference', `we accept what protobufjs rejects: ${ref.error.message}`);
  }
  if (!isDeepStrictEqual(ours.map(withoutEmptyOptionals), ref.value)) throw new Finding('reference', 'decoded differently from protobufjs');
  return 'accepted';
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: Error };

function attempt<T>(fn: () => T, allowed: new (...a: never[]) => Error, what: string): Attempt<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (!(e instanceof allowed)) throw new Finding('foreign-error', `${what} threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
    return { ok: false, error: e };
  }
}

/** The reference (protobufjs) may throw anything; only its verdict matters. */
function reference<T>(fn: () => T): Attempt<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    return { ok: false, error: e as Error };
  }
}

function checkLogGroup(bytes: Buffer): Outcome {
  const decoded = attempt(() => decodeLogGroup(bytes), CodecError, 'decodeLogGroup');
  const validated = attempt(() => validateLogGroup(bytes), CodecError, 'validateLogGroup');
  if (decoded.ok !== validated.ok) {
    const why = decoded.ok
      ? `validator: ${(validated as { error: Error }).error.message}`
      : `decoder: ${(decoded as { error: Error }).error.message}`;
    throw new Finding(
      'disagreement',
      `decoder ${decoded.ok ? 'accepts' : 'rejects'}, validator ${validated.ok ? 'accepts' : 'rejects'} (${why})`,
    );
  }
  const ref = reference(() => decodeLogGroupReference(bytes));
  if (!decoded.ok) return ref.ok ? 'stricter' : 'rejected';
  if (validated.ok && validated.value.logCount !== decoded.value.logs.length) {
    throw new Finding('disagreement', `validator counts ${validated.value.logCount} logs, decoder ${decoded.value.logs.length}`);
  }
  return sameAsReference([decoded.value], ref.ok ? { ok: true, value: [ref.value] } : ref);
}

function checkLogGroupList(bytes: Buffer): Outcome {
  const decoded = attempt(() => decodeLogGroupList(bytes), CodecError, 'decodeLogGroupList');
  const split = attempt(() => splitLogGroupList(bytes), CodecError, 'splitLogGroupList');
  const each = split.ok
    ? attempt(() => split.value.forEach((s) => validateLogGroup(bytes.subarray(s.start, s.end))), CodecError, 'validateLogGroup')
    : split;
  if (decoded.ok !== each.ok)
    throw new Finding(
      'disagreement',
      `decodeLogGroupList ${decoded.ok ? 'accepts' : 'rejects'}, split + validate ${each.ok ? 'accepts' : 'rejects'}`,
    );
  const ref = reference(() => decodeLogGroupListReference(bytes));
  if (!decoded.ok) return ref.ok ? 'stricter' : 'rejected';
  return sameAsReference(decoded.value, ref);
}

const FUZZ_MAX_RAW = 1 << 20;

/** Native and pure-JS lz4 must agree: both fail, or both give the same bytes. */
function lz4Agree(body: Buffer, rawSize: number): void {
  if (!nativeLz4 || rawSize > FUZZ_MAX_RAW || rawSize === 0) return;
  const run = (binding: Lz4Binding) => {
    const r = attempt(() => decodeLz4Block(binding, body, Buffer.alloc(rawSize)), CodecError, 'decodeLz4Block');
    return r.ok ? r.value : undefined;
  };
  const [a, j] = [run(nativeLz4), run(jsLz4)];
  if ((a === undefined) !== (j === undefined) || (a && j && !a.equals(j))) {
    throw new Finding(
      'disagreement',
      `native lz4 ${a ? 'decodes' : 'fails'}, pure-JS lz4 ${j ? 'decodes' : 'fails'}${a && j ? ' (different bytes)' : ''}`,
    );
  }
}

/** What an SPL statement runs over: groups with the fields the fuzz pieces name. */
const SPL_DATA = decodeLogGroupListFast(
  Buffer.from(
    encodeLogGroupList([
      {
        topic: 't',
        logTags: [{ key: 'host', value: 'h' }],
        logs: [
          {
            time: 1,
            contents: [
              { key: 'status', value: '500' },
              { key: 'n', value: '2' },
              { key: 'body', value: '{"a":1}' },
            ],
          },
          {
            time: 2,
            contents: [
              { key: 'status', value: 'x' },
              { key: 'body', value: '7,é' },
            ],
          },
        ],
      },
    ]),
  ),
);

/** A statement is parsed and run, or refused with the project's SplError: never another error. */
function checkSpl(src: string): Outcome {
  const compiled = attempt(() => compileSpl(parseSpl(src)), SplError, 'parseSpl');
  if (!compiled.ok) return 'rejected';
  attempt(() => runSpl(compiled.value, SPL_DATA), SplError, 'runSpl');
  return 'accepted';
}

export interface Target {
  readonly name: string;
  /** share of the campaign's inputs */
  readonly weight: number;
  /** the input for a random source, shown as hex/JSON in a report */
  make(rnd: Rnd): unknown;
  check(input: unknown): Outcome;
  show(input: unknown): string;
}

const hex = (b: unknown) => (b as Buffer).toString('hex');

export const targets: readonly Target[] = [
  { name: 'logGroup', weight: 40, make: (r) => protobufInput(r, validLogGroup), check: (b) => checkLogGroup(b as Buffer), show: hex },
  {
    name: 'logGroupList',
    weight: 25,
    make: (r) => protobufInput(r, validLogGroupList),
    check: (b) => checkLogGroupList(b as Buffer),
    show: hex,
  },
  {
    name: 'decompress',
    weight: 15,
    make: compressedInput,
    check: (input) => {
      const { type, body, rawSize } = input as ReturnType<typeof compressedInput>;
      if (type === CompressType.Lz4 && rawSize !== undefined) lz4Agree(body, rawSize);
      return attempt(() => decompress(body, type, rawSize, FUZZ_MAX_RAW), CodecError, `decompress ${type}`).ok ? 'accepted' : 'rejected';
    },
    show: (input) => {
      const { type, body, rawSize } = input as ReturnType<typeof compressedInput>;
      return JSON.stringify({ type, rawSize, body: body.toString('hex') });
    },
  },
  {
    name: 'cursor',
    weight: 10,
    make: cursorInput,
    check: (c) => {
      const r = attempt(() => decodeCursor(c as string), CodecError, 'decodeCursor');
      if (!r.ok) return 'rejected';
      if (encodeCursor(r.value) !== c)
        throw new Finding('not-canonical', `accepted ${JSON.stringify(c)}, which is not the spelling of ${r.value}`);
      return 'accepted';
    },
    show: (c) => JSON.stringify(c),
  },
  {
    name: 'event',
    weight: 10,
    make: eventInput,
    check: (e) => {
      const r = attempt(() => parseEvent(e), ValidationError, 'parseEvent');
      if (r.ok && decodeCursor(r.value.source.beginCursor) > decodeCursor(r.value.source.endCursor))
        throw new Finding('disagreement', 'accepted begin after end');
      return r.ok ? 'accepted' : 'rejected';
    },
    show: (e) => (Buffer.isBuffer(e) ? `hex:${e.toString('hex')}` : JSON.stringify(e)),
  },
  { name: 'spl', weight: 10, make: splInput, check: (s) => checkSpl(s as string), show: (s) => JSON.stringify(s) },
  {
    name: 'responses',
    weight: 10,
    make: responseStream,
    check: (s) => {
      try {
        return checkResponseStream(s as ResponseStream);
      } catch (e) {
        throw e instanceof StreamFinding ? new Finding(e.kind, e.message) : e;
      }
    },
    show: (s) => showResponseStream(s as ResponseStream),
  },
];

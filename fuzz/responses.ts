// Fuzz target: a pipelined connection's byte stream (src/client/wire/connection.ts reads it so):
// 1–4 HTTP/1.1 answers back to back, in any framing, cut into reads anywhere, sometimes mutated.
// A parser per answer takes the bytes after the last one (`rest`). Unmutated, exactly those answers
// come out, in order; mutated, whatever comes out is well-formed or the parser throws
// HttpProtocolError, never another error.
import { isDeepStrictEqual } from 'node:util';
import { HttpProtocolError, ResponseParser } from '../src/client/wire/responseParser.js';
import { mutate, randomBytes, type Rnd } from './inputs.js';

export interface ResponseStream {
  readonly answers: { status: number; body: Buffer }[];
  readonly bytes: Buffer;
  /** read boundaries (offsets into bytes, ascending) */
  readonly cuts: number[];
  readonly mutated: boolean;
}

const int = (rnd: Rnd, n: number) => Math.floor(rnd() * n);

/** A broken promise; fuzz/targets.ts reports it as a Finding of this kind. */
export class StreamFinding extends Error {
  constructor(
    readonly kind: 'foreign-error' | 'disagreement',
    message: string,
  ) {
    super(message);
  }
}

function serialise(rnd: Rnd, status: number, body: Buffer): Buffer {
  const head = `HTTP/1.1 ${status} X\r\nx-log-requestid: R${int(rnd, 1000)}\r\n`;
  if (int(rnd, 2) === 0) return Buffer.concat([Buffer.from(`${head}content-length: ${body.length}\r\n\r\n`), body]);
  const parts: Buffer[] = [Buffer.from(`${head}transfer-encoding: chunked\r\n\r\n`)];
  for (let i = 0; i < body.length;) {
    const n = 1 + int(rnd, 64);
    const piece = body.subarray(i, i + n);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
    i += n;
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

export function responseStream(rnd: Rnd): ResponseStream {
  // 204 and 304 carry no body whatever their framing says (RFC 9112 §6.3): not written with one
  const status = () => [200, 201, 206, 400, 403, 404, 500, 502, 503][int(rnd, 9)];
  const answers = Array.from({ length: 1 + int(rnd, 4) }, () => ({ status: status(), body: randomBytes(rnd, int(rnd, 300)) }));
  const whole = Buffer.concat(answers.map((a) => serialise(rnd, a.status, a.body)));
  const mutated = rnd() < 0.3;
  const bytes = mutated ? mutate(rnd, whole) : whole;
  const cuts = [...new Set(Array.from({ length: int(rnd, 6) }, () => int(rnd, bytes.length + 1)))].sort((a, b) => a - b);
  return { answers, bytes, cuts, mutated };
}

/** Reads the stream as a pipelined connection does: one parser per answer, fed what the last left. */
function readAll(s: ResponseStream): { status: number; body: Buffer }[] {
  const out: { status: number; body: Buffer }[] = [];
  let parser = new ResponseParser('GET');
  let from = 0;
  for (const at of [...s.cuts, s.bytes.length]) {
    let data = s.bytes.subarray(from, at);
    from = at;
    while (data.length > 0) {
      const res = parser.feed(data);
      if (!res) break;
      out.push({ status: res.status, body: Buffer.from(res.body) });
      data = parser.rest;
      parser = new ResponseParser('GET');
    }
  }
  return out;
}

export function checkResponseStream(s: ResponseStream): 'accepted' | 'rejected' {
  let got: { status: number; body: Buffer }[];
  try {
    got = readAll(s);
  } catch (e) {
    if (!(e instanceof HttpProtocolError))
      throw new StreamFinding('foreign-error', `the parser threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
    if (!s.mutated) throw new StreamFinding('disagreement', `a well-formed stream was refused: ${(e as Error).message}`);
    return 'rejected';
  }
  if (!s.mutated && !isDeepStrictEqual(got, s.answers))
    throw new StreamFinding('disagreement', 'the answers read back differ from those written');
  return 'accepted';
}

export const showResponseStream = (s: ResponseStream) =>
  JSON.stringify({ cuts: s.cuts, mutated: s.mutated, bytes: s.bytes.toString('hex') });

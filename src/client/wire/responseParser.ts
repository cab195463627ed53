// An incremental HTTP/1.1 response parser for the client's own transport (wire/connection.ts). No
// I/O: bytes in, one response out. The idle check (a GetCursor per shard per tick) is the
// scheduler's measured hot path (bench/trigger.ts), and Node's http client costs more than the
// request itself, so the client speaks HTTP/1.1 on a socket directly; docs/benchmarks.md has figures.
//
// Grammar (RFC 9112): status-line CRLF *(field-name ":" OWS field-value OWS CRLF) CRLF body.
// Body framing, first match wins: no body for HEAD, 1xx, 204 and 304; Transfer-Encoding chunked
// (size in hex [";" ext] CRLF data CRLF ... "0" CRLF trailers CRLF); Content-Length; otherwise the
// bytes until the server closes the connection.

export interface ParsedResponse {
  readonly status: number;
  /** lowercase names; a repeated field's values joined with ", " */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** false when the connection must not carry another request */
  readonly keepAlive: boolean;
  /** seconds from the server's `Keep-Alive: timeout=N`, if it sent one */
  readonly keepAliveTimeoutS: number | undefined;
}

/** The bytes are not an HTTP/1.1 response this parser accepts. */
export class HttpProtocolError extends Error {
  override readonly name: string = 'HttpProtocolError';
}

export const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_LINE = 1024;
const EMPTY = Buffer.alloc(0);

const State = { Head: 0, Length: 1, ChunkSize: 2, ChunkData: 3, ChunkEnd: 4, Trailers: 5, UntilClose: 6, Done: 7 } as const;
type State = (typeof State)[keyof typeof State];

export class ResponseParser {
  private state: State = State.Head;
  private pending: Buffer = EMPTY;
  private status = 0;
  private headers: Record<string, string> = {};
  private keepAlive = true;
  private keepAliveTimeoutS: number | undefined;
  /** Content-Length body: filled in place; chunked and until-close bodies: collected pieces */
  private body: Buffer = EMPTY;
  private filled = 0;
  private pieces: Buffer[] = [];
  private chunkLeft = 0;

  constructor(private readonly method: string) {}

  /** Feeds bytes; returns the response once complete. Bytes after it are a protocol error (one request per exchange). */
  push(chunk: Buffer): ParsedResponse | undefined {
    const res = this.feed(chunk);
    if (this.rest.length > 0) throw new HttpProtocolError(`${this.rest.length} unexpected byte(s) after the response`);
    return res;
  }

  /**
   * Feeds bytes; returns the response once complete and keeps the bytes after it in `rest`: on a
   * pipelined connection (wire/connection.ts) they begin the next exchange's answer.
   */
  feed(chunk: Buffer): ParsedResponse | undefined {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = EMPTY;
    while (data.length > 0 && this.state !== State.Done) data = this.step(data);
    if (this.state !== State.Done) return undefined;
    this.rest = data;
    return this.result();
  }

  /** the bytes that followed the complete response in the last `feed` */
  rest: Buffer = EMPTY;

  /** The server closed the connection: completes an until-close body, else the response is truncated. */
  end(): ParsedResponse {
    if (this.state === State.UntilClose) {
      this.state = State.Done;
      return this.result();
    }
    if (this.state === State.Done) return this.result();
    throw new HttpProtocolError(
      this.state === State.Head && this.status === 0 ? 'connection closed before a response' : 'connection closed mid-response',
    );
  }

  /** True once any byte of a response has arrived (a reused socket that died before that may be resent on). */
  get started(): boolean {
    return this.state !== State.Head || this.pending.length > 0 || this.status !== 0;
  }

  /** Consumes what it can of `data` in the current state; returns the rest. */
  private step(data: Buffer): Buffer {
    switch (this.state) {
      case State.Head:
        return this.head(data);
      case State.Length:
        return this.lengthBody(data);
      case State.ChunkSize:
        return this.chunkSize(data);
      case State.ChunkData:
        return this.chunkData(data);
      case State.ChunkEnd:
        return this.chunkEnd(data);
      case State.Trailers:
        return this.trailers(data);
      default:
        this.pieces.push(data);
        return EMPTY;
    }
  }

  private head(data: Buffer): Buffer {
    const end = data.indexOf('\r\n\r\n', 0, 'latin1');
    if (end < 0) {
      if (data.length > MAX_HEAD_BYTES) throw new HttpProtocolError(`response head longer than ${MAX_HEAD_BYTES} bytes`);
      this.pending = data;
      return EMPTY;
    }
    this.parseHead(data.toString('latin1', 0, end));
    const rest = data.subarray(end + 4);
    if (this.status < 200) {
      // 1xx (100 Continue, 103 Early Hints): informational, the real response follows
      this.status = 0;
      this.headers = {};
      return rest;
    }
    this.chooseFraming();
    return rest;
  }

  private parseHead(text: string): void {
    const lines = text.split('\r\n');
    const m = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0]);
    if (!m) throw new HttpProtocolError(`not an HTTP/1.x status line: ${JSON.stringify(lines[0].slice(0, 60))}`);
    this.status = Number(m[2]);
    const headers: Record<string, string> = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      const colon = line.indexOf(':');
      if (colon <= 0 || line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) {
        throw new HttpProtocolError(`malformed header line: ${JSON.stringify(line.slice(0, 60))}`);
      }
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    this.headers = headers;
    const connection = (headers['connection'] ?? '').toLowerCase();
    this.keepAlive = m[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
    const hint = /timeout=(\d+)/i.exec(headers['keep-alive'] ?? '');
    this.keepAliveTimeoutS = hint ? Number(hint[1]) : undefined;
  }

  private chooseFraming(): void {
    const h = this.headers;
    if (this.method === 'HEAD' || this.status === 204 || this.status === 304) {
      this.state = State.Done;
    } else if (h['transfer-encoding'] !== undefined) {
      if (!/(?:^|,)\s*chunked\s*$/i.test(h['transfer-encoding'])) {
        throw new HttpProtocolError(`unsupported transfer-encoding ${JSON.stringify(h['transfer-encoding'])}`);
      }
      this.state = State.ChunkSize;
    } else if (h['content-length'] !== undefined) {
      const lengths = new Set(h['content-length'].split(',').map((s) => s.trim()));
      const [only] = lengths;
      if (lengths.size !== 1 || !/^\d{1,15}$/.test(only))
        throw new HttpProtocolError(`bad content-length ${JSON.stringify(h['content-length'])}`);
      const length = Number(only);
      this.state = length === 0 ? State.Done : State.Length;
      this.body = length === 0 ? EMPTY : Buffer.allocUnsafe(length);
    } else {
      this.state = State.UntilClose;
      this.keepAlive = false;
    }
  }

  private lengthBody(data: Buffer): Buffer {
    const want = this.body.length - this.filled;
    if (this.filled === 0 && data.length >= want) {
      // the whole body in one read (every small answer): keep the slice, no copy
      this.body = data.subarray(0, want);
      this.filled = want;
    } else {
      this.filled += data.copy(this.body, this.filled, 0, Math.min(want, data.length));
    }
    if (this.filled === this.body.length) this.state = State.Done;
    return data.subarray(Math.min(want, data.length));
  }

  /** Reads one CRLF-terminated line, or keeps the bytes for the next push. */
  private line(data: Buffer): { text: string; rest: Buffer } | undefined {
    const end = data.indexOf('\r\n', 0, 'latin1');
    if (end < 0) {
      if (data.length > MAX_CHUNK_LINE) throw new HttpProtocolError('chunk size line too long');
      this.pending = data;
      return undefined;
    }
    return { text: data.toString('latin1', 0, end), rest: data.subarray(end + 2) };
  }

  private chunkSize(data: Buffer): Buffer {
    const l = this.line(data);
    if (!l) return EMPTY;
    const hex = l.text.split(';')[0].trim();
    if (!/^[0-9a-f]{1,12}$/i.test(hex)) throw new HttpProtocolError(`bad chunk size ${JSON.stringify(l.text.slice(0, 40))}`);
    this.chunkLeft = parseInt(hex, 16);
    this.state = this.chunkLeft === 0 ? State.Trailers : State.ChunkData;
    return l.rest;
  }

  private chunkData(data: Buffer): Buffer {
    const take = Math.min(this.chunkLeft, data.length);
    this.pieces.push(data.subarray(0, take));
    this.chunkLeft -= take;
    if (this.chunkLeft === 0) this.state = State.ChunkEnd;
    return data.subarray(take);
  }

  private chunkEnd(data: Buffer): Buffer {
    const l = this.line(data);
    if (!l) return EMPTY;
    if (l.text !== '') throw new HttpProtocolError('chunk data longer than its size');
    this.state = State.ChunkSize;
    return l.rest;
  }

  private trailers(data: Buffer): Buffer {
    const l = this.line(data);
    if (!l) return EMPTY;
    if (l.text === '') this.state = State.Done;
    return l.rest;
  }

  private result(): ParsedResponse {
    const body = this.pieces.length === 0 ? this.body : this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces);
    return { status: this.status, headers: this.headers, body, keepAlive: this.keepAlive, keepAliveTimeoutS: this.keepAliveTimeoutS };
  }
}

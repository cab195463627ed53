// One kept-alive HTTP/1.1 connection of the pool (wire/connectionPool.ts): it writes requests and
// reads their answers in order. Usually one exchange at a time; with pipelining, further GET and
// HEAD exchanges without a body are written before the first is answered, batched into one write
// per event-loop turn (the socket write is the biggest single cost of an idle check,
// docs/benchmarks.md), and their answers are read back in the same order (RFC 9112 §9.3.2).
import type net from 'node:net';
import { ResponseParser, HttpProtocolError, type ParsedResponse } from './responseParser.js';

export interface Exchange {
  /** where to connect */
  readonly host: string;
  /** TLS server name (the Host header's name) */
  readonly servername: string;
  readonly method: string;
  /** the request line and header fields, ending with the empty line */
  readonly head: string;
  readonly body: Buffer | undefined;
  /** the socket may be silent this long (connecting, sending, waiting) before the exchange fails */
  readonly timeoutMs: number;
  /** names the exchange in errors */
  readonly label: string;
}

export interface ExchangeFailure {
  readonly kind: 'timeout' | 'connection' | 'protocol';
  readonly exchange: Exchange;
  readonly cause?: Error;
}

export interface Pending {
  readonly exchange: Exchange;
  readonly resolve: (r: ParsedResponse) => void;
  readonly reject: (e: Error) => void;
  resent: boolean;
}

/** What a connection tells its pool; `H` is the pool's state of the connection's host. */
export interface ConnectionOwner<H> {
  /** every exchange on it is answered and the socket may carry more */
  keep(conn: Connection<H>, keepAliveTimeoutS: number | undefined): void;
  /** one exchange is answered and others remain: the connection has room for a waiting one */
  room(conn: Connection<H>): void;
  /** the socket is done; `unanswered` were written (or waiting to be) and got no answer */
  drop(conn: Connection<H>, unanswered: readonly Pending[]): void;
  /** the exchange being answered failed */
  failed(p: Pending, f: ExchangeFailure, reused: boolean, answered: boolean): void;
}

/** Only these are written before the answer to the previous one: safe to send again if the socket dies. */
export const pipelinable = (x: Exchange): boolean => (x.method === 'GET' || x.method === 'HEAD') && !x.body?.length;

export class Connection<H> {
  dropped = false;
  /** it has answered with keep-alive before: a socket the server may have closed meanwhile, and a server that keeps connections */
  reused = false;
  private readonly inflight: Pending[] = [];
  private unpipelinable = 0;
  private parser: ResponseParser | undefined;
  private corked = false;
  private timer: NodeJS.Timeout | undefined;
  /** when the armed timer fires, and when the exchange or idle socket is really due (performance.now ms) */
  private timerAt = 0;
  private dueAt = 0;
  private silentMs = 0;

  constructor(
    readonly socket: net.Socket,
    /** the host it is connected to, as its pool keeps it */
    readonly home: H,
    private readonly owner: ConnectionOwner<H>,
    /** exchanges it may carry at once (1: no pipelining) */
    private readonly depth: number,
  ) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('end', () => this.onEnd());
    socket.on('error', (e) => this.fail({ kind: 'connection', cause: e }));
    socket.on('close', () => this.fail({ kind: 'connection', cause: new Error('socket closed') }));
  }

  get inFlight(): number {
    return this.inflight.length;
  }

  /** It is answering pipelinable exchanges only and has room for one more. */
  accepts(x: Exchange): boolean {
    const n = this.inflight.length;
    return this.reused && !this.dropped && n > 0 && n < this.depth && this.unpipelinable === 0 && pipelinable(x);
  }

  send(p: Pending): void {
    const s = this.socket;
    const x = p.exchange;
    this.inflight.push(p);
    if (!pipelinable(x)) this.unpipelinable++;
    if (this.inflight.length === 1) this.begin(p);
    if (this.depth > 1 && !this.corked) {
      // what the same turn of the event loop sends on this socket leaves in one write
      this.corked = true;
      s.cork();
      process.nextTick(this.uncork);
    }
    const body = x.body;
    if (body && body.length > 0) {
      s.cork();
      s.write(x.head, 'latin1');
      // a large body on a slow link: the wait for the answer counts from when it has left
      s.write(body, () => (this.dueAt = performance.now() + this.silentMs));
      s.uncork();
    } else {
      s.write(x.head, 'latin1');
    }
  }

  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  /** The exchange is the next to be answered: its parser, and its timeout from now. */
  private begin(p: Pending): void {
    this.parser = new ResponseParser(p.exchange.method);
    this.socket.ref();
    this.arm(p.exchange.timeoutMs);
  }

  idle(ms: number): void {
    this.arm(ms);
    this.socket.unref();
  }

  /**
   * The exchange (or the idle socket) times out `ms` from now unless there is news before. One
   * lazy timer per socket instead of socket.setTimeout, which makes a new timer at every call and
   * refreshes it at every read and write: when it fires early it sleeps again for what is left.
   */
  private arm(ms: number): void {
    this.silentMs = ms;
    this.dueAt = performance.now() + ms;
    if (this.timer && this.timerAt <= this.dueAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = this.dueAt;
    this.timer = setTimeout(this.onTimer, ms).unref();
  }

  disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    const left = this.dueAt - performance.now();
    if (left > 0) {
      this.timerAt = this.dueAt;
      this.timer = setTimeout(this.onTimer, left).unref();
      return;
    }
    if (this.inflight.length > 0) this.fail({ kind: 'timeout' });
    else this.owner.drop(this, []);
  };

  private onData(d: Buffer): void {
    if (this.inflight.length === 0) return this.owner.drop(this, []); // bytes nobody asked for: the socket is out of step
    this.dueAt = performance.now() + this.silentMs; // the timeout counts silence, not the whole answer
    let data = d;
    for (;;) {
      let res: ParsedResponse | undefined;
      try {
        res = this.parser!.feed(data);
        data = this.parser!.rest;
        if (res && data.length > 0 && this.inflight.length === 1)
          throw new HttpProtocolError(`${data.length} unexpected byte(s) after the response`);
      } catch (e) {
        return this.fail({ kind: 'protocol', cause: e as Error });
      }
      if (!res) return;
      this.finish(res);
      if (data.length === 0 || this.dropped) return;
    }
  }

  private onEnd(): void {
    if (this.inflight.length === 0) return this.owner.drop(this, []);
    try {
      const res = this.parser!.end();
      this.finish({ ...res, keepAlive: false });
    } catch (e) {
      // cut off before or in the middle of the answer: a connection fault (retriable), not a bad answer
      this.fail({ kind: 'connection', cause: e as Error });
    }
  }

  /** The first exchange in flight is answered. */
  private finish(res: ParsedResponse): void {
    const p = this.inflight.shift()!;
    if (!pipelinable(p.exchange)) this.unpipelinable--;
    this.parser = undefined;
    if (!res.keepAlive) {
      this.owner.drop(this, this.inflight.splice(0));
    } else if (this.inflight.length === 0) {
      this.reused = true;
      this.owner.keep(this, res.keepAliveTimeoutS);
    } else {
      this.reused = true;
      this.begin(this.inflight[0]);
      this.owner.room(this);
    }
    p.resolve(res);
  }

  private fail(f: Omit<ExchangeFailure, 'exchange'>): void {
    const p = this.inflight.shift();
    const answered = this.parser?.started ?? false;
    const reused = this.reused;
    this.parser = undefined;
    this.unpipelinable = 0;
    this.owner.drop(this, this.inflight.splice(0));
    if (p) this.owner.failed(p, { ...f, exchange: p.exchange }, reused, answered);
  }
}

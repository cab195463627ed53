// Kept-alive HTTP/1.1 connections per host, one exchange at a time on each, up to `maxSockets`
// per host; requests beyond that wait in order. What Node's http.Agent does, without the
// ClientRequest/IncomingMessage streams around each exchange (the cost bench/trigger.ts measures).
// Idle sockets are unref'd (they never hold the process open) and closed after `idleSocketMs`, or a
// second before the server's own Keep-Alive timeout, so a request is not written to a socket the
// server is closing; one that still meets a closed reused socket before any answer is resent once
// on a new one when its method is idempotent.
import net from 'node:net';
import tls from 'node:tls';
import { ResponseParser, type ParsedResponse } from './responseParser.js';

export interface PoolOptions {
  readonly protocol: 'http:' | 'https:';
  readonly port: number;
  readonly maxSockets: number;
  readonly idleSocketMs: number;
  /** extra trusted CA certificates (PEM) for https */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** the pool's failure → the error the caller sees */
  readonly failure: (f: ExchangeFailure) => Error;
}

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

interface Pending {
  readonly exchange: Exchange;
  readonly resolve: (r: ParsedResponse) => void;
  readonly reject: (e: Error) => void;
  resent: boolean;
}

interface HostState {
  readonly idle: Connection[];
  readonly queue: Pending[];
  open: number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

export class ConnectionPool {
  private readonly hosts = new Map<string, HostState>();
  private closed = false;

  constructor(readonly options: PoolOptions) {}

  request(exchange: Exchange): Promise<ParsedResponse> {
    return new Promise<ParsedResponse>((resolve, reject) => {
      if (this.closed) return reject(this.options.failure({ kind: 'connection', exchange, cause: new Error('client closed') }));
      const host = this.hostState(exchange.host);
      host.queue.push({ exchange, resolve, reject, resent: false });
      this.dispatch(host);
    });
  }

  /** Closes every socket; exchanges in flight fail. */
  close(): void {
    this.closed = true;
    for (const host of this.hosts.values()) {
      for (const p of host.queue.splice(0))
        p.reject(this.options.failure({ kind: 'connection', exchange: p.exchange, cause: new Error('client closed') }));
      for (const c of host.idle.splice(0)) c.socket.destroy();
    }
    for (const c of this.busy) c.socket.destroy(new Error('client closed'));
  }

  private readonly busy = new Set<Connection>();

  private hostState(name: string): HostState {
    let h = this.hosts.get(name);
    if (!h) this.hosts.set(name, (h = { idle: [], queue: [], open: 0 }));
    return h;
  }

  /** Starts waiting exchanges on idle sockets, then on new ones up to maxSockets. */
  dispatch(host: HostState): void {
    while (host.queue.length > 0) {
      let conn = host.idle.pop();
      if (!conn) {
        if (host.open >= this.options.maxSockets) return;
        conn = this.connect(host, host.queue[0].exchange);
      }
      this.busy.add(conn);
      conn.start(host.queue.shift()!);
    }
  }

  private connect(host: HostState, x: Exchange): Connection {
    host.open++;
    const o = this.options;
    const socket =
      o.protocol === 'https:'
        ? tls.connect({
            host: x.host,
            port: o.port,
            servername: net.isIP(x.servername) ? undefined : x.servername,
            ca: o.ca as tls.ConnectionOptions['ca'],
          })
        : net.connect({ host: x.host, port: o.port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    return new Connection(socket, this, host);
  }

  /** An exchange ended with the socket still usable. */
  keep(conn: Connection, host: HostState, keepAliveTimeoutS: number | undefined): void {
    this.busy.delete(conn);
    const serverLimit = keepAliveTimeoutS === undefined ? Infinity : keepAliveTimeoutS * 1000 - 1000;
    const idleMs = Math.min(this.options.idleSocketMs, serverLimit);
    if (this.closed || idleMs <= 0) return this.drop(conn, host);
    conn.reused = true;
    const next = host.queue.shift();
    if (next) {
      // straight on to the next waiting exchange: no idle timer, no unref/ref
      this.busy.add(conn);
      return conn.start(next);
    }
    conn.idle(idleMs);
    host.idle.push(conn);
  }

  /** The socket is done (closed, failed, or not reusable). */
  drop(conn: Connection, host: HostState): void {
    if (conn.dropped) return;
    conn.dropped = true;
    this.busy.delete(conn);
    host.open--;
    const at = host.idle.indexOf(conn);
    if (at >= 0) host.idle.splice(at, 1);
    conn.disarm();
    conn.socket.destroy();
    this.dispatch(host);
  }

  /** A reused socket closed before any answer: an idempotent exchange goes back to the front of the queue once. */
  failed(p: Pending, host: HostState, f: ExchangeFailure, reused: boolean, answered: boolean): void {
    if (f.kind === 'connection' && reused && !answered && !p.resent && !this.closed && IDEMPOTENT.has(p.exchange.method)) {
      p.resent = true;
      host.queue.unshift(p);
      return this.dispatch(host);
    }
    p.reject(this.options.failure(f));
  }
}

class Connection {
  dropped = false;
  reused = false;
  private current: Pending | undefined;
  private parser: ResponseParser | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** when the armed timer fires, and when the exchange or idle socket is really due (performance.now ms) */
  private timerAt = 0;
  private dueAt = 0;
  private silentMs = 0;

  constructor(
    readonly socket: net.Socket,
    private readonly pool: ConnectionPool,
    private readonly host: HostState,
  ) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('end', () => this.onEnd());
    socket.on('error', (e) => this.fail({ kind: 'connection', cause: e }));
    socket.on('close', () => this.fail({ kind: 'connection', cause: new Error('socket closed') }));
  }

  start(p: Pending): void {
    this.current = p;
    this.parser = new ResponseParser(p.exchange.method);
    const s = this.socket;
    s.ref();
    this.arm(p.exchange.timeoutMs);
    const body = p.exchange.body;
    if (body && body.length > 0) {
      s.cork();
      s.write(p.exchange.head, 'latin1');
      // a large body on a slow link: the wait for the answer counts from when it has left
      s.write(body, () => (this.dueAt = performance.now() + this.silentMs));
      s.uncork();
    } else {
      s.write(p.exchange.head, 'latin1');
    }
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
    if (this.current) this.fail({ kind: 'timeout' });
    else this.pool.drop(this, this.host);
  };

  private onData(d: Buffer): void {
    const p = this.current;
    if (!p) return this.pool.drop(this, this.host); // bytes nobody asked for: the socket is out of step
    this.dueAt = performance.now() + this.silentMs; // the timeout counts silence, not the whole answer
    let res: ParsedResponse | undefined;
    try {
      res = this.parser!.push(d);
    } catch (e) {
      return this.fail({ kind: 'protocol', cause: e as Error });
    }
    if (res) this.finish(p, res);
  }

  private onEnd(): void {
    const p = this.current;
    if (!p) return this.pool.drop(this, this.host);
    try {
      const res = this.parser!.end();
      this.finish(p, { ...res, keepAlive: false });
    } catch (e) {
      // cut off before or in the middle of the answer: a connection fault (retriable), not a bad answer
      this.fail({ kind: 'connection', cause: e as Error });
    }
  }

  private finish(p: Pending, res: ParsedResponse): void {
    this.current = undefined;
    this.parser = undefined;
    if (res.keepAlive) this.pool.keep(this, this.host, res.keepAliveTimeoutS);
    else this.pool.drop(this, this.host);
    p.resolve(res);
  }

  private fail(f: Omit<ExchangeFailure, 'exchange'>): void {
    const p = this.current;
    const answered = this.parser?.started ?? false;
    this.current = undefined;
    this.parser = undefined;
    this.pool.drop(this, this.host);
    if (p) this.pool.failed(p, this.host, { ...f, exchange: p.exchange }, this.reused, answered);
  }
}

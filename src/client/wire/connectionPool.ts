// Kept-alive HTTP/1.1 connections per host, one exchange at a time on each, up to `maxSockets`
// per host; requests beyond that wait in order (or, with `pipelining` above 1, a GET or HEAD is
// written on a busy connection behind up to pipelining − 1 others: wire/connection.ts). What Node's http.Agent does, without the
// ClientRequest/IncomingMessage streams around each exchange (the cost bench/trigger.ts measures).
// Idle sockets are unref'd (they never hold the process open) and closed after `idleSocketMs`, or a
// second before the server's own Keep-Alive timeout, so a request is not written to a socket the
// server is closing; one that still meets a closed reused socket before any answer is resent once
// on a new one when its method is idempotent.
import net from 'node:net';
import tls from 'node:tls';
import { Connection, type ConnectionOwner, type Exchange, type ExchangeFailure, type Pending } from './connection.js';

export type { Exchange, ExchangeFailure };
import type { ParsedResponse } from './responseParser.js';

export interface PoolOptions {
  readonly protocol: 'http:' | 'https:';
  readonly port: number;
  readonly maxSockets: number;
  readonly idleSocketMs: number;
  /** extra trusted CA certificates (PEM) for https */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /**
   * exchanges one connection may carry at once once all maxSockets are busy (HTTP/1.1 pipelining;
   * 1: none). Only GET and HEAD without a body, on a connection that has answered with keep-alive;
   * those not answered when it closes are sent again once on another.
   */
  readonly pipelining: number;
  /** the pool's failure → the error the caller sees */
  readonly failure: (f: ExchangeFailure) => Error;
}

interface HostState {
  readonly idle: Conn[];
  readonly busy: Set<Conn>;
  readonly queue: Pending[];
  open: number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

type Conn = Connection<HostState>;

export class ConnectionPool implements ConnectionOwner<HostState> {
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
      for (const c of host.busy) c.socket.destroy(new Error('client closed'));
    }
  }

  private hostState(name: string): HostState {
    let h = this.hosts.get(name);
    if (!h) this.hosts.set(name, (h = { idle: [], busy: new Set(), queue: [], open: 0 }));
    return h;
  }

  /** Starts waiting exchanges on idle sockets, then on new ones up to maxSockets, then pipelined. */
  private dispatch(host: HostState): void {
    while (host.queue.length > 0) {
      const next = host.queue[0];
      const conn = host.idle.pop() ?? (host.open < this.options.maxSockets ? this.connect(host, next.exchange) : this.withRoom(host, next));
      if (!conn) return;
      host.queue.shift();
      host.busy.add(conn);
      conn.send(next);
    }
  }

  /** A busy connection that takes `p` pipelined, if any (the first with room: fewer, fuller writes). */
  private withRoom(host: HostState, p: Pending): Conn | undefined {
    if (this.options.pipelining <= 1) return undefined;
    for (const c of host.busy) if (c.accepts(p.exchange)) return c;
    return undefined;
  }

  private connect(host: HostState, x: Exchange): Conn {
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
    return new Connection(socket, host, this, Math.max(1, o.pipelining));
  }

  keep(conn: Conn, keepAliveTimeoutS: number | undefined): void {
    const host = conn.home;
    const serverLimit = keepAliveTimeoutS === undefined ? Infinity : keepAliveTimeoutS * 1000 - 1000;
    const idleMs = Math.min(this.options.idleSocketMs, serverLimit);
    if (this.closed || idleMs <= 0) return this.drop(conn, []);
    const next = host.queue.shift();
    if (next) {
      conn.send(next); // straight on to the next waiting exchange: no idle timer, no unref/ref
      if (host.queue.length > 0 && this.options.pipelining > 1) this.dispatch(host); // and those pipelined behind it
      return;
    }
    host.busy.delete(conn);
    conn.idle(idleMs);
    host.idle.push(conn);
  }

  room(conn: Conn): void {
    const host = conn.home;
    if (host.queue.length > 0) this.dispatch(host);
  }

  drop(conn: Conn, unanswered: readonly Pending[]): void {
    const host = conn.home;
    if (conn.dropped) return;
    conn.dropped = true;
    host.busy.delete(conn);
    host.open--;
    const at = host.idle.indexOf(conn);
    if (at >= 0) host.idle.splice(at, 1);
    conn.disarm();
    conn.socket.destroy();
    // pipelined exchanges behind the one answered last: never answered, GET or HEAD, so sent again once
    for (let i = unanswered.length - 1; i >= 0; i--) {
      const p = unanswered[i];
      if (p.resent || this.closed) {
        p.reject(
          this.options.failure({ kind: 'connection', exchange: p.exchange, cause: new Error('connection closed before its answer') }),
        );
      } else {
        p.resent = true;
        host.queue.unshift(p);
      }
    }
    this.dispatch(host);
  }

  /** A reused socket closed before any answer: an idempotent exchange goes back to the front of the queue once. */
  failed(p: Pending, f: ExchangeFailure, reused: boolean, answered: boolean): void {
    const host = this.hostState(p.exchange.host);
    if (f.kind === 'connection' && reused && !answered && !p.resent && !this.closed && IDEMPOTENT.has(p.exchange.method)) {
      p.resent = true;
      host.queue.unshift(p);
      return this.dispatch(host);
    }
    p.reject(this.options.failure(f));
  }
}

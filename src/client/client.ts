// LogClient: the typed SLS client. Each method builds its request in requests/<action>.ts, sends it
// through the keep-alive transport, and retries only retriable service codes and transport errors.
import type { Credentials } from '../codec/index.js';
import { DeadlineError, SlsArgumentError } from '../errors/index.js';
import { isAuthRejection, isCredentialSource, sameKeys, type CredentialSource } from './credentialSource.js';
import { parseEndpoint, type Endpoint } from './endpoint.js';
import type { SlsRequest } from './request.js';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry.js';
import { errorFromResponse, Transport } from './transport.js';
import { createProject } from './requests/createProject.js';
import { getProject } from './requests/getProject.js';
import { deleteProject } from './requests/deleteProject.js';
import { listProject } from './requests/listProject.js';
import { createLogStore } from './requests/createLogStore.js';
import { getLogStore } from './requests/getLogStore.js';
import { updateLogStore } from './requests/updateLogStore.js';
import { deleteLogStore } from './requests/deleteLogStore.js';
import { listLogStores } from './requests/listLogStores.js';
import { putLogs } from './requests/putLogs.js';
import { listShards } from './requests/listShards.js';
import { splitShard } from './requests/splitShard.js';
import { mergeShards } from './requests/mergeShards.js';
import { getCursor } from './requests/getCursor.js';
import { getCursorTime } from './requests/getCursorTime.js';
import { pullLogs } from './requests/pullLogs.js';
import { createConsumerGroup } from './requests/createConsumerGroup.js';
import { listConsumerGroup } from './requests/listConsumerGroup.js';
import { updateConsumerGroup } from './requests/updateConsumerGroup.js';
import { deleteConsumerGroup } from './requests/deleteConsumerGroup.js';
import { heartbeat } from './requests/heartbeat.js';
import { updateCheckpoint } from './requests/updateCheckpoint.js';
import { getCheckpoint } from './requests/getCheckpoint.js';

export interface LogClientOptions {
  /** e.g. http://127.0.0.1:8080 or https://cn-hangzhou.log.aliyuncs.com */
  readonly endpoint: string;
  /**
   * static credentials; a CredentialSource (rotating STS keys: asked for the current keys per
   * request, refreshed once when SLS refuses them); or a function returning the keys to use
   */
  readonly credentials: Credentials | CredentialSource | (() => Credentials | Promise<Credentials>);
  /** per-request timeout (default 30 000 ms) */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryOptions>;
  readonly userAgent?: string;
  /** clock for the Date header (tests) */
  readonly now?: () => Date;
  /** connections kept open per host (default 64); requests beyond that wait for one */
  readonly maxSockets?: number;
  /** an idle connection is closed after this long (default 4 000 ms; sooner when the server's Keep-Alive says so) */
  readonly idleSocketMs?: number;
  /**
   * HTTP/1.1 pipelining: once maxSockets connections are busy, a GET (GetCursor, PullLogs, …) may be
   * written on one behind up to this many − 1 others, in one write per event-loop turn (default 1:
   * off). Cuts the client's CPU per idle check (docs/benchmarks.md); needs a server (and any proxy
   * between) that answers pipelined requests in order, as HTTP/1.1 requires and the embedded LogHub does
   */
  readonly pipelining?: number;
  /** extra trusted CA certificates (PEM) for an https endpoint behind a private CA */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
}

/** Per-call options. */
export interface CallOptions {
  /**
   * epoch ms by which the call must end (an invocation's deadline): each attempt's timeout is cut
   * to what remains, and no retry starts that could not end in time (DeadlineError)
   */
  readonly deadline?: number;
}

type Params<F> = F extends (p: infer P) => unknown ? P : never;
type Result<F> = F extends (p: never) => SlsRequest<infer T> ? T : never;

export class LogClient {
  readonly endpoint: Endpoint;
  private readonly transport: Transport;
  private readonly retry: RetryOptions;
  private readonly creds: LogClientOptions['credentials'];

  constructor(opts: LogClientOptions) {
    if (!opts || !opts.credentials)
      throw new SlsArgumentError('credentials are required ({accessKeyId, accessKeySecret[, securityToken]})');
    for (const field of ['maxSockets', 'pipelining'] as const) {
      const v = opts[field];
      if (v !== undefined && !(Number.isInteger(v) && v >= 1))
        throw new SlsArgumentError(`${field} must be a whole number of at least 1, got ${JSON.stringify(v)}`);
    }
    this.endpoint = parseEndpoint(opts.endpoint);
    this.creds = opts.credentials;
    this.retry = { ...DEFAULT_RETRY, ...(opts.retry ?? {}) };
    this.transport = new Transport({
      endpoint: this.endpoint,
      timeoutMs: opts.timeoutMs ?? 30_000,
      userAgent: opts.userAgent ?? 'sls-trigger',
      nowMs: opts.now ? () => opts.now!().getTime() : Date.now,
      maxSockets: opts.maxSockets,
      idleSocketMs: opts.idleSocketMs,
      pipelining: opts.pipelining,
      ca: opts.ca,
    });
  }

  /** Sends any request built by requests/*.ts, with retries. */
  // Not async, and the attempt not async either: each would add a promise and microtask hops to
  // every call, and the idle check (one GetCursor) is the scheduler's hot path (docs/benchmarks.md).
  // withRetry awaits the attempt inside its try, so a synchronous throw is handled like a rejection.
  send<T>(req: SlsRequest<T>, o: CallOptions = {}): Promise<T> {
    const deadline = o.deadline;
    return withRetry(
      (attempt) => {
        const timeoutMs = deadline === undefined ? undefined : deadline - Date.now();
        if (timeoutMs !== undefined && timeoutMs <= 0) {
          throw new DeadlineError(`${req.action}: no time left before the deadline (attempt ${attempt + 1})`);
        }
        return this.sendSigned(req, timeoutMs);
      },
      deadline === undefined ? this.retry : { ...this.retry, deadline },
    );
  }

  /** One attempt; with a CredentialSource, keys SLS refuses (expired STS) are refreshed and the request sent once more. */
  private async sendSigned<T>(req: SlsRequest<T>, timeoutMs: number | undefined): Promise<T> {
    const source = isCredentialSource(this.creds) ? this.creds : undefined;
    const creds = source ? await source.current() : typeof this.creds === 'function' ? await this.creds() : (this.creds as Credentials);
    const res = await this.transport.send(req, creds, timeoutMs);
    if (res.status === 200) return req.decode(res);
    const err = errorFromResponse(req.action, res);
    if (!source || !isAuthRejection(err.code)) throw err;
    const fresh = await source.refresh();
    if (sameKeys(fresh, creds)) throw err;
    const again = await this.transport.send(req, fresh, timeoutMs);
    if (again.status !== 200) throw errorFromResponse(req.action, again);
    return req.decode(again);
  }

  close(): void {
    this.transport.close();
  }

  private call<F extends (p: never) => SlsRequest<unknown>>(build: F, p: Params<F>, o?: CallOptions): Promise<Result<F>> {
    return this.send((build as unknown as (p: Params<F>) => SlsRequest<Result<F>>)(p), o);
  }

  createProject = (p: Params<typeof createProject>) => this.call(createProject, p);
  getProject = (p: Params<typeof getProject>) => this.call(getProject, p);
  deleteProject = (p: Params<typeof deleteProject>) => this.call(deleteProject, p);
  listProject = (p: Params<typeof listProject> = {}) => this.call(listProject, p);
  createLogStore = (p: Params<typeof createLogStore>) => this.call(createLogStore, p);
  getLogStore = (p: Params<typeof getLogStore>) => this.call(getLogStore, p);
  updateLogStore = (p: Params<typeof updateLogStore>) => this.call(updateLogStore, p);
  deleteLogStore = (p: Params<typeof deleteLogStore>) => this.call(deleteLogStore, p);
  listLogStores = (p: Params<typeof listLogStores>) => this.call(listLogStores, p);
  putLogs = (p: Params<typeof putLogs>) => this.call(putLogs, p);
  listShards = (p: Params<typeof listShards>) => this.call(listShards, p);
  splitShard = (p: Params<typeof splitShard>) => this.call(splitShard, p);
  mergeShards = (p: Params<typeof mergeShards>) => this.call(mergeShards, p);
  getCursor = (p: Params<typeof getCursor>) => this.call(getCursor, p);
  getCursorTime = (p: Params<typeof getCursorTime>) => this.call(getCursorTime, p);
  pullLogs = (p: Params<typeof pullLogs>, o?: CallOptions) => this.call(pullLogs, p, o);
  createConsumerGroup = (p: Params<typeof createConsumerGroup>) => this.call(createConsumerGroup, p);
  listConsumerGroup = (p: Params<typeof listConsumerGroup>) => this.call(listConsumerGroup, p);
  updateConsumerGroup = (p: Params<typeof updateConsumerGroup>) => this.call(updateConsumerGroup, p);
  deleteConsumerGroup = (p: Params<typeof deleteConsumerGroup>) => this.call(deleteConsumerGroup, p);
  heartbeat = (p: Params<typeof heartbeat>) => this.call(heartbeat, p);
  updateCheckpoint = (p: Params<typeof updateCheckpoint>) => this.call(updateCheckpoint, p);
  getCheckpoint = (p: Params<typeof getCheckpoint>) => this.call(getCheckpoint, p);
}

// Prometheus metrics of the embedded LogHub (prom-client): requests by action and error code, bytes
// in and out, request latency, and the latency of each group commit's write and fsync. Its own
// registry per instance; `serve` answers GET /metrics with it, the console merges it with the job's.
import { Counter, Histogram, Registry } from 'prom-client';
import { ACTION_NAMES } from './http/route.js';
import type { RequestLogEntry } from './requestLog.js';
import { STORAGE_ERROR_CODES, type StorageErrorCode } from './store/storageHealth.js';

/** The code label of an answered request (an empty label value reads as a missing one in PromQL). */
const SUCCESS_CODE = 'OK';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class LogHubMetrics {
  readonly registry: Registry;
  private readonly requests: Counter;
  private readonly bytesIn: Counter;
  private readonly bytesOut: Counter;
  private readonly latency: Histogram;
  private readonly fsyncs: Histogram;
  private readonly storageErrors: Counter;

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    this.requests = new Counter({
      name: 'sls_loghub_requests_total',
      help: 'requests by API action and SLS error code (OK on success)',
      labelNames: ['action', 'code'],
      registers,
    });
    this.bytesIn = new Counter({
      name: 'sls_loghub_bytes_in_total',
      help: 'request body bytes received',
      labelNames: ['action'],
      registers,
    });
    this.bytesOut = new Counter({
      name: 'sls_loghub_bytes_out_total',
      help: 'response body bytes sent',
      labelNames: ['action'],
      registers,
    });
    this.latency = new Histogram({
      name: 'sls_loghub_request_duration_seconds',
      help: 'time from request to response',
      labelNames: ['action'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.fsyncs = new Histogram({
      name: 'sls_loghub_fsync_seconds',
      help: "a group commit's write and fsync of data and index, before PutLogs is acknowledged",
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.storageErrors = new Counter({
      name: 'sls_loghub_storage_errors_total',
      help: 'failed file writes by errno (ENOSPC: disk full); each was answered as an error and undone, nothing acknowledged',
      labelNames: ['errno'],
      registers,
    });
    // Known up front, so rate() and alerts work from the first scrape.
    for (const errno of STORAGE_ERROR_CODES) this.storageErrors.inc({ errno }, 0);
    for (const action of ACTION_NAMES) this.requests.inc({ action, code: SUCCESS_CODE }, 0);
  }

  /** For the file store's onStorageError. */
  storageError(errno: StorageErrorCode): void {
    this.storageErrors.inc({ errno });
  }

  /** For LogHubOptions.onRequest. */
  request(e: RequestLogEntry): void {
    const action = e.action ?? 'unknown';
    this.requests.inc({ action, code: e.errorCode ?? SUCCESS_CODE });
    this.bytesIn.inc({ action }, e.bytesIn);
    this.bytesOut.inc({ action }, e.bytesOut);
    this.latency.observe({ action }, e.ms / 1000);
  }

  /** For the file store's onFsync. */
  fsync(seconds: number): void {
    this.fsyncs.observe(seconds);
  }
}

// One line of the LogHub's request log (serve prints it; metrics count it). Its own module: both
// server.ts and metrics.ts read it.
export interface RequestLogEntry {
  time: string;
  requestId: string;
  method: string;
  path: string;
  action: string | undefined;
  project: string | undefined;
  status: number;
  errorCode?: string;
  errorMessage?: string;
  ms: number;
  bytesIn: number;
  bytesOut: number;
}

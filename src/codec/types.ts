// The LogGroup data model as SLS defines it (field numbers in protobuf.ts).

export interface LogContent {
  key: string;
  value: string;
}

export interface Log {
  /** unix seconds */
  time: number;
  contents: LogContent[];
  /** nanosecond part (0..999 999 999), present only when the writer sent it */
  timeNs?: number;
}

export interface LogTag {
  key: string;
  value: string;
}

export interface LogGroup {
  logs: Log[];
  /** field 2: "Reserved" in the Python/Node SDKs, "Category" in Go/Java; no SDK sets it */
  reserved?: string;
  topic?: string;
  source?: string;
  machineUUID?: string;
  logTags: LogTag[];
}

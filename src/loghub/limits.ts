// The LogHub's limits as data (as kinesalite keeps them): each one's default, its allowed range and
// the SLS error a request over it gets. startLogHub's `limits` option is checked against LIMIT_RANGES,
// so a misspelt or out-of-range limit fails at start naming itself.

export interface Limits {
  /** compressed body bytes per request (PostBodyTooLarge) */
  readonly maxBodyBytes: number;
  /** raw (declared or decompressed) PutLogs bytes (PostBodyTooLarge) */
  readonly maxRawBytes: number;
  /** logs in one PutLogs (InvalidLogSize) */
  readonly maxLogsPerPut: number;
  /** consumer groups per logstore (ConsumerGroupQuotaExceed) */
  readonly maxConsumerGroups: number;
  /** readwrite shards per logstore, at create and after splits (ParameterInvalid) */
  readonly maxShards: number;
  /** allowed |Date - server time| in seconds (RequestTimeExpired) */
  readonly clockSkewSeconds: number;
}

const MiB = 1024 * 1024;

/** default, minimum and maximum of every limit; the maxima keep a body within one Buffer and a count within int32 */
export const LIMIT_RANGES = {
  maxBodyBytes: { default: 10 * MiB, minimum: 1, maximum: 1024 * MiB },
  maxRawBytes: { default: 10 * MiB, minimum: 1, maximum: 1024 * MiB },
  maxLogsPerPut: { default: 512_000, minimum: 1, maximum: 2 ** 31 - 1 },
  maxConsumerGroups: { default: 30, minimum: 1, maximum: 10_000 },
  maxShards: { default: 256, minimum: 1, maximum: 10_000 },
  // a LogHub on a test clock far from real time allows any skew
  clockSkewSeconds: { default: 15 * 60, minimum: 0, maximum: 1000 * 365 * 86400 },
} as const satisfies Record<keyof Limits, { default: number; minimum: number; maximum: number }>;

export const DEFAULT_LIMITS: Limits = Object.fromEntries(Object.entries(LIMIT_RANGES).map(([k, r]) => [k, r.default])) as unknown as Limits;

/** the JSON Schema of startLogHub's `limits` option, made from LIMIT_RANGES */
export const LIMITS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    Object.entries(LIMIT_RANGES).map(([k, r]) => [k, { type: 'integer', minimum: r.minimum, maximum: r.maximum }]),
  ),
} as const;

// The settings CreateLogStore and UpdateLogStore share, checked as SLS checks them and accepting
// every default the official clients send (docs/protocol-notes.md has the table):
//   Go CreateLogStore(p, name, ttl, shards, autoSplit, maxSplitShard) always sends maxSplitShard, 0
//   from Terraform's alicloud_log_store; Java `new LogStore(name, ttl, shards)` sends -1 and a full
//   body (resourceQuota, archiveSeconds, telemetryType); SLS checks maxSplitShard only when
//   autoSplit is on ("maxSplitShard must be within range [1, 256]", LogStoreInfoInvalid).
// Fields no action reads (resourceQuota, archiveSeconds, encrypt_conf, productType, ...) are ignored.
import { SlsServiceError } from '../../errors/index.js';
import type { LogStoreMeta } from '../store/types.js';
import { boolField, intField } from './common.js';

export const LOGSTORE_MODES = ['standard', 'query', 'lite'] as const;
const MAX_SPLIT_SHARD = 256;

export type LogStoreSettings = Required<
  Pick<LogStoreMeta, 'ttl' | 'autoSplit' | 'maxSplitShard' | 'appendMeta' | 'enableTracking' | 'mode' | 'telemetryType' | 'hotTtl'>
>;

/** Defaults of a logstore created with no settings (the Python SDK's, which spells them all out). */
const DEFAULTS: LogStoreSettings = {
  ttl: 30,
  autoSplit: false,
  maxSplitShard: 64,
  appendMeta: false,
  enableTracking: false,
  mode: 'standard',
  telemetryType: '',
  hotTtl: -1,
};

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw SlsServiceError.of('ParameterInvalid', `${name} must be an integer, got ${JSON.stringify(value)}`);
  return n;
}

function stringField(value: unknown, name: string, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') throw SlsServiceError.of('ParameterInvalid', `${name} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** Settings from a CreateLogStore (no `current`) or UpdateLogStore body. */
export function logstoreSettings(body: Record<string, unknown>, current?: LogStoreSettings): LogStoreSettings {
  const base = current ?? DEFAULTS;
  const autoSplit = boolField(body.autoSplit, 'autoSplit', base.autoSplit);
  const maxSplitShard = integer(body.maxSplitShard, 'maxSplitShard') ?? base.maxSplitShard;
  if (autoSplit && (maxSplitShard < 1 || maxSplitShard > MAX_SPLIT_SHARD)) {
    throw SlsServiceError.of('LogStoreInfoInvalid', `maxSplitShard must be within range [1, ${MAX_SPLIT_SHARD}]`);
  }
  const mode = stringField(body.mode, 'mode', base.mode);
  if (!(LOGSTORE_MODES as readonly string[]).includes(mode))
    throw SlsServiceError.of('LogStoreInfoInvalid', `mode ${JSON.stringify(mode)} is not one of ${LOGSTORE_MODES.join(', ')}`);
  if (current && mode !== current.mode)
    throw SlsServiceError.of('NotSupported', 'The logstore mode or telemetryType is not supported for current metering mode.');
  const hot = integer(body.hot_ttl, 'hot_ttl');
  return {
    ttl: intField(body.ttl, 'ttl', 1, 3650, base.ttl),
    autoSplit,
    maxSplitShard,
    appendMeta: boolField(body.appendMeta, 'appendMeta', base.appendMeta),
    enableTracking: boolField(body.enable_tracking, 'enable_tracking', base.enableTracking),
    mode,
    telemetryType: stringField(body.telemetryType, 'telemetryType', base.telemetryType),
    // Clients send hot_ttl only when set (> 0); anything else means "all storage is hot".
    hotTtl: hot !== undefined && hot > 0 ? hot : base.hotTtl,
  };
}

/** A stored logstore's settings; meta.json written before mode, telemetryType and hot_ttl were kept has the defaults. */
export function settingsOf(ls: LogStoreMeta): LogStoreSettings {
  return {
    ttl: ls.ttl,
    autoSplit: ls.autoSplit,
    maxSplitShard: ls.maxSplitShard,
    appendMeta: ls.appendMeta,
    enableTracking: ls.enableTracking,
    mode: ls.mode ?? DEFAULTS.mode,
    telemetryType: ls.telemetryType ?? DEFAULTS.telemetryType,
    hotTtl: ls.hotTtl ?? DEFAULTS.hotTtl,
  };
}

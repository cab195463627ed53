// sls-trigger serve: the embedded LogHub as a standalone server.
import type { Command } from 'commander';
import { lz4Implementation } from '../codec/index.js';
import { DEFAULT_ACCESS_KEY, LogHubMetrics, startLogHub, type AccessKey } from '../loghub/index.js';
import { envCredentials } from '../env/env.js';
import { intOption, onShutdown } from './util.js';
import { SlsArgumentError } from '../errors/index.js';
import { createTerminal, logFormatOption, type LogFormat } from './terminal.js';

export interface ServeFlags {
  port: number;
  host: string;
  dataDir: string;
  memory?: boolean;
  accessKeyId?: string;
  accessKeySecret?: string;
  accessKeysFile?: string;
  anonymous?: boolean;
  fsync: boolean;
  maxOpenFiles: number;
  quiet?: boolean;
  logFormat: LogFormat;
}

export function serveKeys(flags: { accessKeyId?: string; accessKeySecret?: string }): AccessKey {
  if (flags.accessKeyId || flags.accessKeySecret) {
    if (!flags.accessKeyId || !flags.accessKeySecret)
      throw new SlsArgumentError('--access-key-id and --access-key-secret must be given together');
    return { accessKeyId: flags.accessKeyId, accessKeySecret: flags.accessKeySecret };
  }
  const env = envCredentials();
  return env ? { accessKeyId: env.accessKeyId, accessKeySecret: env.accessKeySecret } : DEFAULT_ACCESS_KEY;
}

export function registerServe(command: Command): void {
  command
    .option('--port <n>', 'port to listen on (0 = any free port)', intOption('--port', 0, 65535), 8090)
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--data-dir <dir>', 'where shard data and metadata live', '.sls-trigger/loghub')
    .option('--memory', 'keep everything in memory (lost on exit)')
    .option('--access-key-id <id>', `accepted AccessKeyId (default: $ALIBABA_CLOUD_ACCESS_KEY_ID, else ${DEFAULT_ACCESS_KEY.accessKeyId})`)
    .option('--access-key-secret <secret>', 'its secret')
    .option(
      '--access-keys-file <file>',
      'also accept the keys in this JSON file ([{accessKeyId, accessKeySecret, securityToken?, expiration?}]), read again when a request names a key or token not seen yet: STS tokens are then checked and refused once expired, as SLS does',
    )
    .option('--anonymous', 'accept unsigned requests (no signature check)')
    .option('--no-fsync', 'acknowledge writes before they reach the disk (faster, not crash-safe)')
    .option(
      '--max-open-files <n>',
      'data files kept open at most, across all shards (keep it well under ulimit -n)',
      intOption('--max-open-files', 2, 1_000_000),
      512,
    )
    .option('--quiet', 'do not log requests')
    .addOption(logFormatOption())
    .action(async (flags: ServeFlags) => {
      const key = serveKeys(flags);
      const term = createTerminal(flags.logFormat);
      const hub = await startLogHub({
        port: flags.port,
        host: flags.host,
        dataDir: flags.dataDir,
        memory: flags.memory,
        anonymous: flags.anonymous,
        accessKeys: [key],
        accessKeysFile: flags.accessKeysFile,
        fsync: flags.fsync,
        maxOpenFiles: flags.maxOpenFiles,
        metrics: new LogHubMetrics(),
        onRequest: flags.quiet ? undefined : (e) => process.stdout.write(JSON.stringify(e) + '\n'),
        onWarning: (m) => term.line('warn', `warning: ${m}`),
      });
      // Before the banner: whoever reads "listening" may signal at once (a race seen in CI).
      onShutdown(() => hub.close(), term);
      const where = flags.memory ? 'memory (not persisted)' : hub.dataDir;
      term.line(
        'info',
        [
          `LogHub listening on ${hub.endpoint}`,
          `  data:              ${where}`,
          flags.anonymous
            ? '  auth:              anonymous (signatures not checked)'
            : `  AccessKeyId:       ${key.accessKeyId}\n  AccessKeySecret:   ${key.accessKeySecret}`,
          `  lz4:               ${lz4Implementation}`,
          `  SDK endpoint:      ${hub.endpoint}  (projects are addressed as <project>.127.0.0.1:${hub.port})`,
          `  metrics:           ${hub.endpoint}/metrics  (Prometheus text, unsigned)`,
        ].join('\n'),
        {
          message: `LogHub listening on ${hub.endpoint}`,
          endpoint: hub.endpoint,
          dataDir: flags.memory ? null : hub.dataDir,
          lz4: lz4Implementation,
        },
      );
    });
}

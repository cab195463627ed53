// Starting the console from a command (dev, run --console, console): the [host:]port flag and the
// start line with the URL.
import { InvalidArgumentError, Option } from 'commander';
import type { Registry } from 'prom-client';
import type { CredentialsInput, LogClient } from '../client/index.js';
import { readFileSync } from 'node:fs';
import { checkOperatorSecret, SECRET_ENV, startConsole, type ConsoleServer } from '../console/index.js';
import { SlsArgumentError } from '../errors/index.js';
import { createTerminal, type Terminal } from './terminal.js';
import {
  readinessOf,
  runsInThisProcess,
  TriggerMetrics,
  type Invoker,
  type JobConfig,
  type Readiness,
  type Scheduler,
} from '../trigger/index.js';
import { serveSaved } from './job.js';

export interface Listen {
  readonly host: string;
  readonly port: number;
}

/** commander parser for `[host:]port` (IPv6 as [::1]:port). */
export function listenOption(flag: string) {
  return (value: string): Listen => {
    const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:\s]+)):(\d+)$/.exec(value) ?? /^()()(\d+)$/.exec(value);
    const port = m ? Number(m[3]) : NaN;
    if (!m || !Number.isInteger(port) || port < 0 || port > 65535)
      throw new InvalidArgumentError(`${flag} takes [host:]port (e.g. 8091 or 127.0.0.1:8091), got ${JSON.stringify(value)}`);
    return { host: m[1] || m[2] || '127.0.0.1', port };
  };
}

/** A `[host:]port` option; with a default, --help shows it as host:port. */
export function listenFlag(flags: string, description: string, byDefault?: Listen): Option {
  const name = flags.split(' ')[0];
  const o = new Option(flags, description).argParser(listenOption(name));
  return byDefault ? o.default(byDefault, `${byDefault.host}:${byDefault.port}`) : o;
}

export const CONSOLE_DEFAULT: Listen = { host: '127.0.0.1', port: 8091 };

export const SECRET_FILE_FLAG = '--console-secret-file <file>';
export const SECRET_FILE_HELP = `the console's operator secret (required beyond loopback; else env ${SECRET_ENV})`;

/**
 * The console's operator secret, from the file (its first line) or the environment, checked before
 * anything starts: a console bound beyond loopback without one is refused.
 */
export function consoleSecret(listen: Listen | false | undefined, secretFile: string | undefined): string | undefined {
  if (!listen) return undefined;
  let secret = process.env[SECRET_ENV] || undefined;
  if (secretFile !== undefined) {
    try {
      secret = readFileSync(secretFile, 'utf8').split(/\r?\n/)[0];
    } catch (e) {
      throw new SlsArgumentError(`--console-secret-file ${secretFile}: ${(e as Error).message}`, { cause: e });
    }
  }
  checkOperatorSecret(listen.host, secret);
  return secret;
}

export interface JobConsoleOptions {
  readonly listen: Listen;
  readonly config: JobConfig;
  readonly client: LogClient;
  readonly invoker?: Invoker;
  readonly credentials: CredentialsInput;
  readonly registries: readonly Registry[];
  readonly mode: 'live' | 'standalone';
  /** how often the console samples the job (default 2000 ms) */
  readonly sampleMs?: number;
  /** from consoleSecret */
  readonly operatorSecret?: string;
  /** the job's readiness for /readyz (a job running in this process) */
  readonly readiness?: () => Readiness;
  /** where the lines go (default: text on stderr) */
  readonly term?: Terminal;
}

export async function startJobConsole(o: JobConsoleOptions): Promise<ConsoleServer> {
  const term = o.term ?? createTerminal('text');
  const server = await startConsole({
    ...o.listen,
    client: o.client,
    job: o.config,
    invoker: o.invoker,
    credentials: o.credentials,
    registries: o.registries,
    mode: o.mode,
    sampleMs: o.sampleMs,
    operatorSecret: o.operatorSecret,
    readiness: o.readiness,
    serveSaved,
    canServeSaved: runsInThisProcess(o.config.target),
    onWarning: (m) => term.line('warn', `warning: ${m}`),
  });
  term.line('info', `console  ${server.url}  (metrics ${server.url}metrics, probes /healthz /readyz)`, { consoleUrl: server.url });
  return server;
}

/** The console of a job running in this process: its scheduler's metrics, plus `more` registries (dev's LogHub). */
export function startLiveConsole(
  o: Omit<JobConsoleOptions, 'registries' | 'mode'> & { readonly scheduler: Scheduler; readonly more?: readonly Registry[] },
): Promise<ConsoleServer> {
  const metrics = new TriggerMetrics();
  metrics.attach(o.scheduler, o.config);
  return startJobConsole({
    ...o,
    registries: [metrics.registry, ...(o.more ?? [])],
    mode: 'live',
    readiness: () => readinessOf(o.scheduler.health()),
  });
}

// Loading a trigger job for the CLI: JSON config or s.yaml, flag overrides, credentials.
import { existsSync, readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import path from 'node:path';
import { LogClient, RefreshingCredentials, type CredentialsInput } from '../client/index.js';
import { parseEndpoint } from '../client/endpoint.js';
import { chooseCredentials } from '../env/credentialChain.js';
import { DEFAULT_ACCESS_KEY, serveFixture } from '../loghub/index.js';
import {
  JOB_NUMBERS,
  jobFromSYaml,
  parseJobConfig,
  ValidationError,
  type JobConfig,
  type JobConfigInput,
  type JobNumberField,
  type ServeSaved,
} from '../trigger/index.js';
import { SlsArgumentError } from '../errors/index.js';
import { intOption } from './util.js';
import type { Credentials } from '../codec/index.js';
import { createTerminal, type LogFormat } from './terminal.js';

export interface JobFlags {
  config: string;
  trigger?: string;
  endpoint?: string;
  module?: string;
  jobName?: string;
  /** s.yaml only: invoke the local code (default) or the deployed FC 3.0 function */
  target?: 'local' | 'fc';
  fcEndpoint?: string;
  /** how warnings while reading the config are printed (run --log-format) */
  logFormat?: LogFormat;
}

/** What picks the job out of an s.yaml besides its path. */
export type SYamlChoice = Pick<JobFlags, 'target' | 'fcEndpoint' | 'logFormat'> & { trigger?: string };

export function readJobInput(file: string, choice: SYamlChoice = {}): JobConfigInput {
  if (!existsSync(file)) throw new SlsArgumentError(`config file ${file} not found (give -c, --config <s.yaml or job.json>)`);
  if (/\.ya?ml$/i.test(file))
    return jobFromSYaml(file, {
      triggerName: choice.trigger,
      target: choice.target,
      fcEndpoint: choice.fcEndpoint,
      onWarning: (m) => createTerminal(choice.logFormat ?? 'text').line('warn', `warning: ${m}`),
    });
  if (choice.target || choice.fcEndpoint)
    throw new SlsArgumentError('--target and --fc-endpoint apply to an s.yaml; a JSON config names its own target');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new SlsArgumentError(`${file}: ${(e as Error).message}`, { cause: e });
  }
  const input = raw as JobConfigInput;
  // Relative paths in a JSON config (the module, a dead-letter directory) are relative to the config file.
  if (input?.target?.type === 'local' && input.target.module && !path.isAbsolute(input.target.module)) {
    input.target.module = path.resolve(path.dirname(file), input.target.module);
  }
  if (input?.deadLetter?.dir && !path.isAbsolute(input.deadLetter.dir)) {
    input.deadLetter.dir = path.resolve(path.dirname(file), input.deadLetter.dir);
  }
  return input;
}

/** The job from --config with the flags' overrides; `edit` changes the input before it is checked (a command's own flags). */
export function loadJob(flags: JobFlags, edit?: (input: JobConfigInput) => void): JobConfig {
  const input = readJobInput(flags.config, flags);
  if (flags.endpoint) input.endpoint = flags.endpoint;
  if (flags.jobName) input.jobName = flags.jobName;
  if (flags.module && input.target.type === 'local') input.target.module = path.resolve(flags.module);
  edit?.(input);
  return parseJobIn(flags.config, input);
}

/** parseJobConfig, its errors naming the file they are about. */
export function parseJobIn(file: string, input: JobConfigInput): JobConfig {
  try {
    return parseJobConfig(input);
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(`${file}: trigger config`, e.errors, { cause: e });
    throw e;
  }
}

export interface CredentialFlags {
  /** how long rotating keys are used before the provider is asked again (default 60 s) */
  readonly refreshIntervalMs?: number;
  readonly onWarning?: (message: string) => void;
}

/**
 * Credentials: the config's, else the first source the environment configures (env/credentialChain.ts:
 * env keys, RRSA, credentials URI, profiles), else — for a loopback endpoint — the embedded LogHub's
 * default key, else the ECS RAM role. Rotating keys come as one RefreshingCredentials for the process.
 */
export function credentialsFor(endpoint: string, fromConfig?: Credentials, o: CredentialFlags = {}): CredentialsInput {
  if (fromConfig) return fromConfig;
  const choice = chooseCredentials({ loopback: parseEndpoint(endpoint).direct });
  if (choice.kind === 'static') return choice.credentials;
  if (choice.kind === 'none') return DEFAULT_ACCESS_KEY;
  return new RefreshingCredentials({
    provider: choice.provider,
    origin: choice.origin,
    refreshIntervalMs: o.refreshIntervalMs,
    onError: (e) => o.onWarning?.(`${e.message} (signing with the keys in hand until they are refused)`),
  });
}

/** --target and --fc-endpoint, for the commands that invoke a job's function. */
export function targetOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--target <where>', 'with an s.yaml: local runs its code here; fc invokes the deployed FC 3.0 function').choices([
        'local',
        'fc',
      ]),
    )
    .option(
      '--fc-endpoint <url>',
      'FC 3.0 invoke endpoint for --target fc (default $FC_CLIENT_CUSTOM_ENDPOINT, else https://<account>.<region>.fc.aliyuncs.com)',
    );
}

/** A flag that sets a numeric job-config field: its range is the field's row of JOB_NUMBERS, so the two cannot differ. */
export function jobNumberOption(flags: string, field: JobNumberField, help: string): Option {
  const { min, max } = JOB_NUMBERS[field];
  return new Option(flags, help).argParser(intOption(flags.split(' ')[0], min, max));
}

export function clientFor(endpoint: string, creds: CredentialsInput, pipelining?: number): LogClient {
  return new LogClient({ endpoint, credentials: creds, retry: { retries: 3 }, pipelining });
}

export interface SourceFlags {
  config?: string;
  trigger?: string;
  endpoint?: string;
  project?: string;
  logstore?: string;
  job?: string;
  parameter?: string;
}

export interface ResolvedSource {
  endpoint: string;
  project: string;
  logstore: string;
  jobName: string;
  parameter: Record<string, unknown>;
  credentials: CredentialsInput;
  config?: JobConfig;
}

/** Where the data is: from --config (s.yaml or JSON), with flags overriding, or from flags alone. */
export function resolveSource(flags: SourceFlags, needsJob = false): ResolvedSource {
  if (needsJob && !flags.job && !flags.config) throw new SlsArgumentError('give --job <name> (or --config, whose job is used)');
  let config: JobConfig | undefined;
  if (flags.config) config = loadJob({ config: flags.config, trigger: flags.trigger, endpoint: flags.endpoint, jobName: flags.job });
  const endpoint = flags.endpoint ?? config?.endpoint;
  const project = flags.project ?? config?.project;
  const logstore = flags.logstore ?? config?.logstore;
  const missing = [
    ['--endpoint', endpoint],
    ['--project', project],
    ['--logstore', logstore],
  ]
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length > 0) throw new SlsArgumentError(`give --config, or ${missing.join(', ')}`);
  let parameter = config?.functionParameter ?? {};
  if (flags.parameter) {
    try {
      parameter = JSON.parse(flags.parameter) as Record<string, unknown>;
    } catch (e) {
      throw new SlsArgumentError(`--parameter is not JSON: ${(e as Error).message}`, { cause: e });
    }
  }
  return {
    endpoint: endpoint!,
    project: project!,
    logstore: logstore!,
    jobName: flags.job ?? config?.jobName ?? 'local-replay',
    parameter,
    credentials: credentialsFor(endpoint!, config?.credentials),
    config,
  };
}

export function sourceOptions<T extends { option: (...a: never[]) => T }>(cmd: T): T {
  const c = cmd as unknown as import('commander').Command;
  c.option('-c, --config <file>', 's.yaml or JSON job config (gives endpoint, project, logstore, job, parameter)')
    .option('--trigger <name>', 'which log trigger in the s.yaml')
    .option('--endpoint <url>', 'SLS endpoint (e.g. http://127.0.0.1:8090)')
    .option('--project <name>', 'source project')
    .option('--logstore <name>', 'source logstore');
  return cmd;
}

/** Saved dead-letter bytes served under their own cursors by a throwaway LogHub (redrive; trigger/ cannot import the LogHub). */
export const serveSaved: ServeSaved = async (fixture) => {
  const { hub, event } = await serveFixture(fixture);
  return { event, close: () => hub.close() };
};
